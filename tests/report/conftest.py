"""A dataset cache seeded from ../shared/data for the report tests (the five 42-sector NBS
tables, the 2020 153-sector table and the CEADs national CO2 inventory)."""
from __future__ import annotations

import pytest

NBS42 = ("cn-nbs-2005-42", "cn-nbs-2015-42", "cn-nbs-2017-42", "cn-nbs-2018-42",
         "cn-nbs-2020-42")
SEED = NBS42 + ("cn-nbs-2020-153", "cn-nbs-2017-149", "cn-nbs-2018-153", "ceads-china")


@pytest.fixture(scope="session")
def report_cache(tmp_path_factory, shared_data):
    from lianpu.data.download import download
    d = tmp_path_factory.mktemp("report-cache")
    download(list(SEED), data_dir=d, from_dir=shared_data, progress=False)
    return d
