"""``lianpu chain`` through the real entry point (issue 15, item 2): the mapping caveat is
printed on screen (``chain cn-nbs-2020-42 --track 航空航天`` used to show car-industry numbers
with the caveat only in the JSON), and carve-out tracks take ``--share``/``--share-source``."""
from __future__ import annotations

import json

from lianpu.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_chain_prints_the_mapping_caveat(capsys, nbs_dir):
    f = nbs_dir / "cn_io_2020_42.csv"
    code, out, _ = run(capsys, "chain", f, "--track", "航空航天", "--rows", "3", "--top", "2")
    flat = "".join(out.split())  # the console wraps long lines
    assert code == 0 and "对应说明" in out and "描述的实际上是汽车产业" in flat
    code, out, _ = run(capsys, "chain", f, "--track", "aerospace", "--lang", "en", "--rows", "3",
                       "--top", "2")
    assert code == 0 and "mapping:" in out and "describes the car industry" in " ".join(out.split())


def test_chain_carve_out_share_options(capsys, nbs_dir):
    f = nbs_dir / "cn_io_2020_153.csv"
    code, _, err = run(capsys, "chain", f, "--track", "新型显示")
    assert code == 2 and "give --share (the source you use)" in err
    code, out, _ = run(capsys, "chain", f, "--track", "新型显示", "--share", "0.2",
                       "--share-source", "my estimate", "--json")
    d = json.loads(out)
    assert code == 0 and d["track"]["sectors"] == ["094.DISP"] and "my estimate" in d["track"]["note"]
    code, out, _ = run(capsys, "chain", f, "--track", "集成电路", "--rows", "3", "--top", "2")
    assert code == 0 and "094.IC" in out and "CSIA" in out
