"""Shared fixtures.

Real data lives in ../shared/data (relative to the project root); it is never copied into the
repository. Tests that need it use the ``shared_data`` fixture, which skips LOUDLY when the
folder is truly absent (CI always has it).
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIANPU_SHARED_DATA", ROOT.parent / "shared" / "data"))
NBS_DIR = SHARED / "cn" / "nbs"
OECD_DIR = SHARED / "cn" / "oecd-icio-2021"
WIOD_DIR = SHARED / "wiod2013" / "raw"


def _need_shared():
    if not SHARED.is_dir():
        msg = (f"!!! REAL DATA MISSING: {SHARED} does not exist; data tests are SKIPPED. "
               "CI must have ../shared/data beside the checkout. !!!")
        warnings.warn(msg)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    _need_shared()
    return SHARED


@pytest.fixture(scope="session")
def nbs_dir(shared_data) -> Path:
    return NBS_DIR


@pytest.fixture(scope="session")
def oecd_dir(shared_data) -> Path:
    return OECD_DIR


@pytest.fixture(scope="session")
def wiod_dir(shared_data) -> Path:
    return WIOD_DIR


@pytest.fixture(scope="session")
def chnio_cache(tmp_path_factory, shared_data) -> Path:
    """A cache seeded (``download --from``) with the CHNIO tables only: the provincial
    workbooks and the national ones 1990–2000 (~160 small .xls files, copied and verified)."""
    from lianpu.data import registry
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("chnio-cache")
    ids = [s.id for s in registry.datasets(provincial=True) if s.format == "chnio"]
    download(ids, data_dir=d, from_dir=shared_data, progress=False)
    return d
