"""Notes in the report's language (issue 15): a table's data notes (the reader's, on the
overview) and a result's notes (the footprint's CO2 data note in the carbon section, the
project report's satellite and impact notes) are shown in Chinese in the Chinese report and
in English in the English one.

Expected texts come from the objects the sections are built from: each note of the table or
result (a :class:`lianpu.core.notes.Note`, its English the string itself, its Chinese ``.zh``)
or a result's parallel ``notes_zh``."""
from __future__ import annotations

from pathlib import Path

import lianpu
from lianpu.core.notes import zh
from lianpu.report import build_section

DEMAND = Path(__file__).resolve().parents[2] / "docs" / "examples" / "project_demand.csv"


def flat(text) -> str:
    return "".join(str(text).split())


def test_table_notes_on_the_overview(oecd_dir):
    # the OECD reader's notes (IMPO → IM, VALU): the table's own, on the overview's last line
    t = lianpu.load(oecd_dir / "oecd2021_chn_2018.csv")
    assert t.notes and all(zh(n) != str(n) for n in t.notes)
    zh_par = flat(" ".join(build_section(t, "overview", "zh").paragraphs))
    en_par = flat(" ".join(build_section(t, "overview", "en").paragraphs))
    for n in t.notes:
        assert flat(zh(n)) in zh_par and flat(n) not in zh_par, n
        assert flat(n) in en_par and flat(zh(n)) not in en_par, n


def test_result_notes_in_the_carbon_section(report_cache):
    # the footprint's CO2 data note (CEADs 2019 for a 2020 table): notes_zh under zh
    from lianpu.analysis.carbon.footprint import footprint
    from lianpu.report.extras import carbon_section
    t = lianpu.load("cn-nbs-2020-42", data_dir=report_cache)
    r = footprint(t, data_dir=report_cache)
    co2 = [i for i, n in enumerate(r.notes) if n.startswith("co2:")]
    assert co2 and "2019 emissions are used" in r.notes[co2[0]]
    zh_par = [flat(p) for p in carbon_section(t, "zh", data_dir=report_cache).paragraphs]
    en_par = [flat(p) for p in carbon_section(t, "en", data_dir=report_cache).paragraphs]
    for i in co2:
        assert flat(r.notes_zh[i]) in zh_par and flat(r.notes[i]) not in zh_par
        assert flat(r.notes[i]) in en_par and flat(r.notes_zh[i]) not in en_par


def test_project_report_notes(report_cache):
    # section 5 of the project report: the CO2 satellite's data note and the impact's notes
    from lianpu.report.project import project_impact, sections
    t = lianpu.load("cn-nbs-2020-42", data_dir=report_cache)
    p = project_impact(t, DEMAND, data_dir=report_cache, draws=0)
    sat = p.satellite_notes["co2"]
    assert sat.startswith("co2: CEADs national inventory 2019") and zh(sat) != str(sat)
    zh_par = [flat(x) for x in sections(p, t, "zh")[4].paragraphs]
    en_par = [flat(x) for x in sections(p, t, "en")[4].paragraphs]
    assert flat(zh(sat)) in zh_par and flat(sat) not in zh_par
    assert flat(sat) in en_par
    r = p.impact  # its own notes (the Type II closure: households spend 69.1 % …), notes_zh
    own = [(en, z) for en, z in zip(r.notes, r.notes_zh) if not en.startswith(("jobs:", "co2:"))]
    assert own and own[0][0].startswith("Type II: labour income row VA001")
    for en, z in own:
        assert z != en and flat(z) in zh_par and flat(en) not in zh_par and flat(en) in en_par
