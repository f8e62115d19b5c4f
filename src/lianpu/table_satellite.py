"""Satellite accounts' row type (卫星账户): one physical or social quantity per sector, kept
apart from :mod:`lianpu.table` so that the readers that build satellites need not import the
table they are building."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Satellite:
    """An environmental or social extension row: amount per sector (n,), in ``unit``.

    ``final_demand`` optionally holds direct emissions of final-demand categories (k,), e.g.
    household fuel combustion, kept separate from production."""

    name: str
    values: np.ndarray
    unit: str
    name_zh: str = ""
    name_en: str = ""
    final_demand: np.ndarray | None = None
