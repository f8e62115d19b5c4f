"""Fill the dataset cache: download pinned raw files, verify them, convert them.

Every raw file is pinned to a commit and a sha256 digest (``sources.toml``). A download streams
into a temporary ``.part`` file beside its target and is moved into place only after the whole
transfer arrived and its digest matched: a failed download never leaves a half-written file
under the final name, and a good file already in the cache stays as it was.

NBS tables and the OECD series are published as R data files (``.rda``); they are converted to
the CSV layout of the cache (``cn/nbs/…``, ``cn/oecd-icio-2021/…``), cell for cell as in R (the
CSVs are byte-identical to those in ``../shared/data``). The employment series
(``cn-employment``) is converted the same way from ``china_employment.rda``. WIOD files and
the CEADs inventories (``.xlsx``, mirrored by OpenClimate) and the CHNIO workbooks (``.xls``,
provincial tables, under ``cn/chnio/`` with the repository's own paths) are kept as published.

``from_dir`` seeds the cache from a local folder laid out like ``../shared/data`` instead
(converted CSVs are copied, raw files are verified against their digest first).

A transfer has an overall deadline (:data:`DEADLINE`, so a server that trickles cannot hold it
forever) and a size cap (the announced length, else :data:`MAX_BYTES`); a full disk is a
DownloadError, not a traceback. Every file put in the cache gets a stamp beside it
(``.NAME.stamp``: size, mtime and sha256 at download time): a cached file whose size or mtime
no longer match is corrupt — :func:`check_cached` says so and ``lianpu download ID`` fetches it
again — and :func:`verify` (``lianpu download --verify``) recomputes the digests.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ..atomic import atomic_open, atomic_path
from ..core.errors import DatasetError, DownloadError, FormatError, message
from .cache import data_dir as _data_dir
from .registry import Dataset, datasets, get
from .stamps import (_read_stamp, _sha256, check_cached, stamp_path,  # noqa: F401 (re-exported)
                     stamp_problem, write_stamp)

MIRROR_ENV = "LIANPU_MIRROR"
CHUNK = 1 << 16
TIMEOUT = 60  # seconds without data before a transfer counts as interrupted
DEADLINE = 30 * 60  # seconds a whole transfer may take
MAX_BYTES = 1 << 30  # most bytes one raw file may have (the largest published is a few MB)
OECD_RDA = "OECD21ed_CHN_1995to2018.rda"
EMPLOYMENT_RDA = "china_employment.rda"


@dataclass(frozen=True)
class RawFile:
    """A raw file as published: where to fetch it and the digest it must have.

    ``dir`` is its folder both in the cache and in a mirror laid out like ``../shared/data``.
    """

    name: str
    source: str
    url: str
    sha256: str | None
    dir: str
    #: the big MRIOs (no published sha256): verified by this size instead, if recorded
    size: int | None = None
    max_bytes: int | None = None

    @property
    def path(self) -> str:
        return f"{self.dir}/{self.name}"


@cache
def _sources() -> dict:
    text = resources.files(__package__).joinpath("sources.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _raw_name(ds: Dataset) -> str:
    if ds.format == "nbs":
        return f"china_{ds.year}_{ds.sectors}.rda"
    if ds.format == "oecd":
        return OECD_RDA
    if ds.format == "employment":
        return EMPLOYMENT_RDA
    if ds.format == "ceads":  # the published file is the dataset; its folder is part of the name
        return ds.path.split("/", 1)[1]
    if ds.format == "chnio":  # the published workbook, by its path in the CHNIO repository
        return ds.path.removeprefix("cn/chnio/")
    return Path(ds.path).name  # WIOD: the published .RData file is the dataset


def sources_for(id: str, base_url: str | None = None) -> list[RawFile]:
    """The raw files dataset ``id`` is made from, with URL and sha256 (for ``lianpu download``).

    ``base_url`` replaces the public host with a mirror laid out like ``../shared/data``
    (``{base_url}/cn/raw/china_2020_42.rda``, ``{base_url}/wiod2013/raw/wiot_2011.RData``,
    ``{base_url}/ceads/CEADS_china_cities/….xlsx``).
    """
    ds = get(id)
    src = _sources()[ds.source]
    name = _raw_name(ds)
    if "url" not in src and not base_url:  # published only through a web form (OECD ICIO)
        raise DownloadError(f"{ds.id}: no direct download; get it from {src['publisher']} and "
                            f"put it at {{data dir}}/{ds.path} (or use --from DIR)")
    quoted = urllib.parse.quote(name, safe="/")  # CEADs names hold parentheses
    url = (f"{base_url.rstrip('/')}/{src['dir']}/{quoted}" if base_url
           else src["url"].format(file=quoted))
    if "sha256" not in src:  # the big MRIOs: size only (see sources.toml)
        return [RawFile(name=name, source=ds.source, url=url, sha256=None, dir=src["dir"],
                        size=src.get("size", {}).get(name), max_bytes=src.get("max_bytes"))]
    return [RawFile(name=name, source=ds.source, url=url, sha256=src["sha256"][name],
                    dir=src["dir"])]


def download(ids=None, *, data_dir=None, from_dir=None, base_url=None, progress: bool = True,
             force: bool = False) -> list[Path]:
    """Put datasets in the cache and return their cached paths, in the order of ``ids``.

    Parameters
    ----------
    ids : str, iterable of str or None
        Registry ids (``cn-nbs-2020-153``, ``ceads-provinces-2017``); None means every
        registered dataset, the auxiliary ones included (``--all``).
    data_dir : path, optional
        The cache folder (default: ``$LIANPU_DATA`` or the user data folder).
    from_dir : path, optional
        Seed from this local folder (laid out like ``../shared/data``) instead of the web.
    base_url : str, optional
        A mirror laid out like ``../shared/data`` (default: ``$LIANPU_MIRROR``, else the
        public sources in ``sources.toml``).
    progress : bool
        Show a progress bar on stderr while downloading.
    force : bool
        Fetch again even if the dataset is cached; the cached file is replaced only once the
        new one has arrived whole and verified.

    Raises
    ------
    DatasetError
        An unknown id (raised before anything is fetched).
    DownloadError
        HTTP error, interrupted transfer, checksum mismatch, or ``from_dir`` lacks the file.
    """
    if ids is None:
        wanted = datasets(auxiliary=True)
    else:
        wanted = [get(i) for i in ([ids] if isinstance(ids, str) else ids)]
    built = [ds.id for ds in wanted if ds.format == "cn-mrio"]
    if built:
        raise DatasetError(f"{', '.join(built)}: built, not downloaded — lianpu builds the "
                           "inter-provincial MRIO from the provincial tables on first use "
                           "(`lianpu download` the cn-prov-{year}-… tables, then `lianpu mrio "
                           "build --year …` or `lianpu.load(id)`)")
    root = _data_dir(data_dir)
    base_url = base_url or os.environ.get(MIRROR_ENV) or None
    done: set[str] = set()      # raw files fetched or verified in this call
    parsed: dict[Path, dict] = {}  # parsed .rda files: the 24 OECD years share one
    out = []
    for ds in wanted:
        target = root / ds.path
        if force or not target.is_file() or stamp_problem(target):
            if from_dir is not None:
                _seed(ds, Path(from_dir), target, parsed)
            else:
                _from_web(ds, root, target, base_url, progress, force, done, parsed)
        out.append(target)
    return out


# ---------------------------------------------------------------------------- web
def _from_web(ds, root, target, base_url, progress, force, done, parsed):
    (raw,) = sources_for(ds.id, base_url)
    local = root / raw.path
    if raw.name not in done:
        if raw.sha256 is None:  # size only: the big MRIOs
            if force or not local.is_file() or (raw.size and local.stat().st_size != raw.size):
                fetch(raw.url, local, None, progress=progress, size=raw.size,
                      max_bytes=raw.max_bytes)
        elif force or _sha256(local) != raw.sha256:
            fetch(raw.url, local, raw.sha256, progress=progress)
        write_stamp(local, raw.sha256)
        done.add(raw.name)
    if local != target:
        _convert(ds, local, target, parsed)


def fetch(url: str, target, sha256: str | None, *, progress: bool = True, deadline: float = None,
          max_bytes: int = None, size: int | None = None) -> Path:
    """Download ``url`` to ``target`` via a ``.part`` file; keep it only if its digest matches.

    The whole transfer must end within ``deadline`` seconds (default :data:`DEADLINE`) and
    bring at most ``max_bytes`` (default :data:`MAX_BYTES`; less if the server announces
    less); otherwise it is stopped and nothing is kept. ``sha256=None`` (a source without a
    published digest) checks ``size`` instead, when given."""
    target = Path(target)
    deadline = DEADLINE if deadline is None else deadline
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    end = time.monotonic() + deadline
    req = urllib.request.Request(url, headers={"User-Agent": "lianpu"})
    try:
        resp = urllib.request.urlopen(req, timeout=min(TIMEOUT, deadline))
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: download failed with HTTP status {exc.code} {exc.reason}; "
                            "nothing was written") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"{url}: cannot connect ({reason}); nothing was written "
                            "(without internet, use `lianpu download --from DIR` with a local "
                            "copy)") from None
    with resp, atomic_path(target) as tmp:
        length = resp.headers.get("Content-Length", "")
        total = int(length) if length.isdigit() else None
        if total is not None and total > max_bytes:
            raise DownloadError(f"{url}: the server announces {total:,} bytes, more than the "
                                f"{max_bytes:,} bytes this file may have; nothing was written")
        cap = max_bytes if total is None else total
        sock = getattr(getattr(resp.fp, "raw", None), "_sock", None)
        digest, got = hashlib.sha256(), 0
        with open(tmp, "wb") as fh, _bar(progress, target.name, total) as advance:
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    raise DownloadError(_interrupted(url, got, total, f"took more than "
                                                     f"{deadline:g} s, the download deadline"))
                try:
                    if sock is not None:  # never wait past the deadline for the next bytes
                        sock.settimeout(max(0.05, min(TIMEOUT, left)))
                    chunk = resp.read1(CHUNK)  # what has arrived: a trickle cannot stall us
                except (http.client.HTTPException, OSError) as exc:
                    raise DownloadError(_interrupted(url, got, total, exc)) from None
                if not chunk:
                    break
                if got + len(chunk) > cap:
                    raise DownloadError(_interrupted(url, got, total, f"more than {cap:,} "
                                                     "bytes sent, the size cap"))
                try:
                    fh.write(chunk)
                except OSError as exc:  # disk full, quota: say so, keep nothing
                    raise DownloadError(f"{target}: cannot write the download "
                                        f"({exc.strerror or exc}); nothing was kept") from None
                digest.update(chunk)
                got += len(chunk)
                advance(len(chunk))
        if total is not None and got != total:
            raise DownloadError(_interrupted(url, got, total, "connection closed early"))
        if sha256 is None:
            if size is not None and got != size:
                raise DownloadError(message(url, "size mismatch, the file was not saved",
                                            found=f"{got:,} bytes", expected=f"{size:,} bytes"))
        elif digest.hexdigest() != sha256:
            raise DownloadError(message(url, "checksum mismatch, the file was not saved",
                                        found=f"sha256 {digest.hexdigest()}",
                                        expected=f"sha256 {sha256}"))
    return target


def _interrupted(url, got, total, why) -> str:
    of = f" of {total}" if total is not None else ""
    return (f"{url}: transfer interrupted after {got}{of} bytes ({why}); nothing was written, "
            "run the download again")


@contextmanager
def _bar(show: bool, name: str, total):
    """A rich progress bar on stderr; yields ``advance(nbytes)``."""
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                               TimeRemainingColumn, TransferSpeedColumn)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task(name, total=total)
        yield lambda n: bar.advance(task, n)


def verify(ids=None, *, data_dir=None) -> list[str]:
    """Recompute the sha256 of every cached file of ``ids`` (default: all cached datasets)
    against its stamp and, for raw files, the pinned digest. Returns the problems found."""
    root = _data_dir(data_dir)
    wanted = datasets(auxiliary=True) if ids is None else [
        get(i) for i in ([ids] if isinstance(ids, str) else ids)]
    problems, seen = [], set()
    for ds in wanted:
        (raw,) = sources_for(ds.id)
        for p, pinned in ((root / ds.path, raw.sha256 if raw.path == ds.path else None),
                          (root / raw.path, raw.sha256)):
            if p in seen or not p.is_file():
                continue
            seen.add(p)
            problem = stamp_problem(p)
            if problem is None:
                found = _sha256(p)
                rec = _read_stamp(p) or {}
                want = pinned or rec.get("sha256")
                if want and found != want:
                    problem = (f"cache file {p} is corrupt: expected sha256 {want}, found "
                               f"{found}")
            if problem:
                problems.append(f"{problem}; run `lianpu download {ds.id} --force`")
    return problems


# ---------------------------------------------------------------------------- local copy
def _seed(ds: Dataset, src_root: Path, target: Path, parsed: dict) -> None:
    (raw,) = sources_for(ds.id)
    copy = src_root / ds.path
    raw_copy = src_root / raw.path
    if raw.path != ds.path and copy.is_file():
        _copy(copy, target)  # an already converted CSV
    elif raw_copy.is_file() and raw.path == ds.path:
        _copy(raw_copy, target, raw.sha256)  # WIOD, CEADs: the raw file is the dataset
    elif raw_copy.is_file():
        _check_sha256(raw_copy, _sha256(raw_copy), raw.sha256)
        _convert(ds, raw_copy, target, parsed)
        return
    else:
        where = raw.path if raw.path == ds.path else f"{ds.path} or {raw.path}"
        raise DownloadError(f"{src_root}: no local copy of dataset {ds.id!r} "
                            f"(looked for {where})")
    if target.exists() and (src_root / ds.path).resolve() != target.resolve():
        write_stamp(target, raw.sha256 if raw.path == ds.path else None)


def _copy(src: Path, target: Path, sha256: str | None = None) -> None:
    """Copy atomically; with ``sha256``, keep the copy only if its digest matches."""
    if target.exists() and src.resolve() == target.resolve():
        if sha256:
            _check_sha256(src, _sha256(src), sha256)
        return
    with atomic_path(target) as tmp:
        shutil.copyfile(src, tmp)
        if sha256:
            _check_sha256(src, _sha256(tmp), sha256)


def _check_sha256(src: Path, found: str | None, expected: str) -> None:
    if found != expected:
        raise DownloadError(message(str(src), "checksum mismatch, the file was not copied",
                                    found=f"sha256 {found}", expected=f"sha256 {expected}"))


# ---------------------------------------------------------------------------- conversion
def _convert(ds: Dataset, rda: Path, target: Path, parsed: dict) -> None:
    """Write the CSV of NBS/OECD/employment dataset ``ds`` from its verified ``.rda`` file."""
    if rda not in parsed:
        import rdata  # heavy: only when converting
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # R classes without a Python constructor
            parsed[rda] = rdata.read_rda(str(rda))
    objects = parsed[rda]
    if ds.format == "nbs":
        key, frame = f"china_{ds.year}_{ds.sectors}", objects.get(f"china_{ds.year}_{ds.sectors}")
    elif ds.format == "employment":
        key = EMPLOYMENT_RDA.removesuffix(".rda")
        frame = objects.get(key)
    else:
        key = f"OECD21ed_CHN_{ds.year}"
        frame = objects.get("OECD21ed_CHN_1995to2018", {}).get(key)
    if frame is None or not hasattr(frame, "to_csv") or list(frame.columns[:1]) != ["Code"]:
        raise FormatError(message(rda.name, "R object missing or not a table", row=key,
                                  expected="a data.frame whose first column is 'Code'"))
    # written as R's data frame holds it: same column order, shortest repr of each double,
    # empty cells for NA, LF line ends, UTF-8 without BOM
    with atomic_open(target, "w", encoding="utf-8", newline="") as fh:
        frame.to_csv(fh, index=False, lineterminator="\n")
    write_stamp(target)
