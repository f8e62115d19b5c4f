"""Which sections a report has, in which order (the report's plan).

Sections are built only from lianpu's analysis API (``lianpu.multipliers``,
``lianpu.keysectors``, ``lianpu.chain``, ``lianpu.weaklinks``, ``lianpu.impact``,
``lianpu.footprint``); this module decides what to show, never how to compute it. The
analysis defaults it relies on (which tracks, which region, which view) are
:mod:`lianpu.analysis.defaults`; the helpers the section modules share are :mod:`.common`
(which imports no section module, so there is no import circle).
"""
from __future__ import annotations

from functools import partial

from ..analysis.defaults import DEFAULT_TRACKS, report_tracks
from .common import multiplier_frame, multipliers_block

__all__ = ["DEFAULT_TRACKS", "plan", "multiplier_frame", "multipliers_block"]


def plan(table, tracks=None, scenario=None, data_dir=None, region=None):
    """[(progress label, callable(lang) → Section)] in report order, and the track ids."""
    from . import economy
    from . import tracks as trk
    from ..analysis.households import remember_data_dir
    remember_data_dir(table, data_dir)  # Type II household split: detailed table in this cache
    ids = report_tracks(table, tracks)
    steps = [("overview", partial(_overview, table)),
             ("key sectors", partial(economy.keysectors_section, table))]
    for i in ids:
        steps.append((f"chain {i}", partial(trk.track_section, table, i, region=region)))
    steps.append(("carbon", partial(_carbon, table, data_dir, tuple(ids))))
    steps.append(("scenario", partial(_scenario, table, tuple(ids), scenario)))
    from .valuechains import step as valuechains_step
    steps.append(valuechains_step(table, data_dir))
    if region is not None:  # 区域联动 on the China MRIO (lianpu report cn-mrio-2017 --region 四川)
        from .regional import step as regional_step
        steps.append(regional_step(table, region, data_dir))
    return steps, ids


def _carbon(table, data_dir, ids, lang):
    from .extras import carbon_section
    return carbon_section(table, lang, data_dir=data_dir, track_ids=ids)


def _scenario(table, ids, project, lang):
    from .extras import scenario_section
    return scenario_section(table, lang, ids, project)


def _overview(table, lang):
    from .overview import overview
    return overview(table, lang)
