"""Where datasets live on disk.

The cache folder is chosen as: an explicit ``override`` (the CLI flag ``--data-dir``), else the
environment variable ``LIANPU_DATA``, else the per-user data folder
(``platformdirs.user_data_dir("lianpu")``).

Inside it the layout mirrors the project's ``../shared/data`` folder exactly, so a copy of that
folder can be used as a cache as it is::

    cn/nbs/cn_io_{year}_{n}.csv                 NBS tables (converted from the ionet .rda files)
    cn/oecd-icio-2021/oecd2021_chn_{year}.csv   OECD national IOTs for China, 2021 edition
    cn/raw/*.rda                                raw downloads from ionet
    wiod2013/raw/wiot_{year}.RData              WIOD release 2013 (read as published)
    wiod2013/raw/wiot_regional_{year}.RData
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "LIANPU_DATA"


def data_dir(override=None) -> Path:
    """The cache folder: ``override`` > ``$LIANPU_DATA`` > the user data folder.

    The folder is not created here; writers create what they need.
    """
    if override is not None and str(override) != "":
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # imported lazily: keeps `import lianpu` cheap
    return Path(user_data_dir("lianpu"))
