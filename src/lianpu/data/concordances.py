"""Label tables the analyses look names up in 标签表: WIOD economies and China's provinces.

The analyses reach shipped label data through this module (the data layer), never through a
reader: :func:`region_labels` is the bilingual list of WIOD economies and aggregates
(``data/wiod_regions.csv``), :func:`province_iso` the ISO 3166-2:CN code of a province named
any way :func:`lianpu.data.registry.province` accepts (GB/T 2260 code, ISO code, pinyin,
Chinese short or full name, English name), also inside a bilingual label ('四川 Sichuan').
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

from ..core.errors import DatasetError


@cache
def region_labels() -> pd.DataFrame:
    """Bilingual names of the 41 WIOD economies and the 7 regional aggregates (index: code;
    name_en, name_zh; ``members``: space-separated member codes of an aggregate)."""
    with resources.files(__package__).joinpath("wiod_regions.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False).set_index("code")


def province_iso(text) -> str | None:
    """ISO code of the province ``text`` names ('SC' from '51', 'sichuan', '四川', '四川省',
    'Sichuan', '四川 Sichuan'), or None when it names none."""
    from .registry import province
    if text is None:
        return None
    s = str(text).strip()
    for cand in dict.fromkeys((s, *s.split())):
        try:
            return province(cand).iso
        except DatasetError:
            continue
    return None


__all__ = ["province_iso", "region_labels"]
