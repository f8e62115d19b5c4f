"""In-process cache of loaded tables (by dataset id or upload id), of built sections and of
the analysis results sections share.

Tables are immutable, so a cached table (with its cached LU factorization) can serve every
request; a per-key lock makes concurrent first requests load a table once. Uploads are parsed
only by lianpu's readers, in a child process (:mod:`.worker`), from a temporary file with the
original suffix — never unpickled or evaluated — after the checks of
:mod:`lianpu.readers.safety`. The file is removed once read; uploaded tables are kept by least
recent use under a memory budget (``max_upload_mb`` of arrays in all), so a few large uploads
cannot exhaust the server. The temporary folder (``lianpu-uploads-PID-…``) goes with the store,
and folders left by a killed server are removed when the next one starts.

User-keyed results (a chain of a sector selection, an impact scenario) are kept only here, in
three bounded least-recently-used caches — built sections (``max_sections``), the analysis
results they share (:class:`ResultMemo`, ``max_results``) and what a warm request would
otherwise derive from a cached section again (its formatted rows, its JSON, a table's track
list: :meth:`TableStore.derived`, ``max_renders``) — never on the table, whose own memo holds
derived numerics only: a server answering many selections stays bounded.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from ..atomic import is_stale
from ..core.errors import DatasetError, FormatError, LianpuError

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".rda", ".rdata")
_UPLOAD_ID = re.compile(r"^up-[0-9a-f]{16}$")
TMP_PREFIX = "lianpu-uploads-"


class NotFound(LianpuError, KeyError):
    """An unknown table id, page or resource (HTTP 404)."""

    def __str__(self):
        return str(self.args[0]) if self.args else "not found"


def table_nbytes(table) -> int:
    """Bytes of a table's arrays (its blocks and any factorization it has cached)."""
    import numpy as np
    seen, total = set(), 0
    for v in list(vars(table).values()) + list(getattr(table, "__dict__", {}).values()):
        for a in (v if isinstance(v, (tuple, list)) else (v,)):
            if isinstance(a, np.ndarray) and id(a) not in seen:
                seen.add(id(a))
                total += a.nbytes
            elif hasattr(a, "memory_usage") and id(a) not in seen:  # pandas objects
                seen.add(id(a))
                try:
                    m = a.memory_usage(deep=False)
                    total += int(m.sum() if hasattr(m, "sum") else m)
                except (TypeError, ValueError):
                    pass
    return total + 2 * 8 * int(table.n) ** 2  # room for A and the LU factors built on use


def sweep_stale_tmp(root=None) -> list[Path]:
    """Remove ``lianpu-uploads-*`` folders of dashboard processes that are gone."""
    root = Path(root or tempfile.gettempdir())
    gone = []
    try:
        entries = list(root.glob(TMP_PREFIX + "*"))
    except OSError:
        return gone
    for p in entries:
        if p.is_dir() and not p.is_symlink() and is_stale(p.name, p, TMP_PREFIX):
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p)
    return gone


class ResultMemo:
    """A bounded, thread-safe least-recently-used mapping: the dashboard's memo of analysis
    results (:func:`lianpu.report.memo` stores ``(table, result)`` entries in it)."""

    def __init__(self, max_entries: int = 128):
        self.max_entries = max_entries
        self._d: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self._d:
                return default
            self._d.move_to_end(key)
            return self._d[key]

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._d[key] = value
            self._d.move_to_end(key)
            while len(self._d) > self.max_entries:
                self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)

    def drop_table(self, table) -> None:
        """Forget every result of ``table`` (an upload dropped from the store)."""
        with self._lock:
            for k in [k for k, v in self._d.items() if v[0] is table]:
                del self._d[k]

    def drop_id(self, tid: str) -> None:
        """Forget every entry whose key starts with the table id ``tid``."""
        with self._lock:
            for k in [k for k in self._d if isinstance(k, tuple) and k and k[0] == tid]:
                del self._d[k]


class TableStore:
    def __init__(self, data_dir=None, max_upload_mb: int = 1024, max_sections: int = 256,
                 limits=None, max_results: int = 128, max_renders: int = 256):
        from ..readers.safety import Limits
        self.data_dir = data_dir
        self.max_upload_mb = max_upload_mb
        self.limits = limits or Limits()
        self._tables: dict[str, object] = {}
        self._uploads: OrderedDict[str, int] = OrderedDict()  # id → bytes, least recent first
        self._jobs: set = set()  # parses in progress (child processes)
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._sections: OrderedDict = OrderedDict()
        self._max_sections = max_sections
        self.results = ResultMemo(max_results)  # analysis results shared by sections
        self.renders = ResultMemo(max_renders)  # (owner, rendering) by (table id, …): derived
        self.closed = False
        sweep_stale_tmp()
        self._tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))

    @property
    def upload_bytes(self) -> int:
        return sum(self._uploads.values())

    # ------------------------------------------------------------------ tables
    def datasets(self) -> list[dict]:
        """Registry IO tables (national, OECD, WIOD and the provincial tables) with a
        ``cached`` flag (only cached ones can be opened)."""
        from ..data import registry
        return [{"id": d.id, "title_zh": d.title_zh, "title_en": d.title_en, "year": d.year,
                 "sectors": d.sectors, "unit": d.unit,
                 "cached": registry.is_cached(d.id, self.data_dir)}
                for d in registry.datasets(provincial=True)]

    def get(self, tid: str):
        """The table ``tid`` (dataset id or upload id), loading it on first use."""
        if tid in self._tables:
            if tid in self._uploads:
                with self._lock:
                    if tid in self._uploads:
                        self._uploads.move_to_end(tid)
            return self._tables[tid]
        with self._lock:
            lock = self._locks.setdefault(tid, threading.Lock())
        with lock:
            if tid in self._tables:
                return self._tables[tid]
            if _UPLOAD_ID.match(tid):
                raise NotFound(f"unknown upload {tid!r} (uploads are kept while the server "
                               f"runs, the least recently used dropped beyond "
                               f"{self.max_upload_mb} MB; upload the file again)")
            from ..data import registry
            try:
                registry.get(tid)
            except DatasetError as exc:
                raise NotFound(str(exc)) from None
            t = registry.load_dataset(tid, data_dir=self.data_dir)
            _remember(t, self.data_dir)
            self._tables[tid] = t
            return t

    def check_suffix(self, filename: str) -> str:
        suffix = Path(filename or "").suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise FormatError(f"{filename or '(no name)'}: unsupported file type "
                              f"{suffix or '(none)'!r} (expected one of "
                              f"{', '.join(UPLOAD_SUFFIXES)})")
        return suffix

    def save_upload(self, filename: str, chunks) -> Path:
        """Write an uploaded file (an iterable of bytes) into a fresh folder of the store's
        temporary folder, under a safe name with its suffix; returns its path."""
        suffix = self.check_suffix(filename)
        folder = self._tmp / ("f-" + secrets.token_hex(8))
        folder.mkdir()
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(filename).name)[:80] or f"table{suffix}"
        path = folder / (safe if safe.lower().endswith(suffix) else safe + suffix)
        written = False
        try:
            with open(path, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
            written = True
        finally:  # a failed or cancelled upload leaves nothing behind
            if not written:
                shutil.rmtree(folder, ignore_errors=True)
        return path

    async def parse_upload(self, filename: str, path: Path, *, stop_when, deadline_s: float):
        """Read a saved upload in a child process (see :mod:`.worker`) and keep the table.
        The file's folder is removed whatever happens. Returns (upload id, table)."""
        from .worker import Abandoned, Job
        name = Path(filename).stem or "upload"
        job = None
        try:
            if self.closed:
                raise Abandoned()
            out = path.parent / ".parsed.parquet"
            job = Job(path, name, self.limits, out)
            self._jobs.add(job)

            async def stop():
                return self.closed or await stop_when()

            msg = await job.result(deadline_s=deadline_s, stop_when=stop)
            if msg[0] == "ok":
                from starlette.concurrency import run_in_threadpool

                from ..readers.native import load
                table = await run_in_threadpool(load, out)  # written by our own child
        finally:
            if job is not None:
                self._jobs.discard(job)
            shutil.rmtree(path.parent, ignore_errors=True)
        if msg[0] == "error":
            from ..readers.safety import TooBig
            _, status, text = msg
            raise (TooBig if status == 413 else FormatError)(text)
        from .usable import check_usable
        check_usable(table, Path(filename).name or "(no name)")  # degenerate: refused (400)
        return self.keep_upload(table)

    def keep_upload(self, table) -> tuple[str, object]:
        """Hold an uploaded table under the memory budget, dropping the least recently used
        uploads to make room. Returns (upload id, table)."""
        from ..readers.safety import TooBig
        size = table_nbytes(table)
        budget = self.max_upload_mb * 2**20
        if size > budget:
            raise TooBig(f"{table.name}: the table needs about {size / 2**20:,.0f} MB, more than "
                         f"{self.max_upload_mb:,} MB (the upload memory budget of this server)")
        _remember(table, self.data_dir)
        uid = "up-" + secrets.token_hex(8)
        with self._lock:
            self._tables[uid] = table
            self._uploads[uid] = size
            while sum(self._uploads.values()) > budget:
                old, _ = self._uploads.popitem(last=False)
                gone = self._tables.pop(old, None)
                if gone is not None:
                    self.results.drop_table(gone)
                self.renders.drop_id(old)
                for k in [k for k in self._sections if k and k[0] == old]:
                    del self._sections[k]
        return uid, table

    def title(self, tid: str, lang: str) -> str:
        from ..data import registry
        if _UPLOAD_ID.match(tid):
            t = self._tables.get(tid)
            return f"{'上传' if lang == 'zh' else 'upload'}: {t.name if t else tid}"
        d = registry.get(tid)
        return d.title_zh if lang == "zh" else d.title_en

    # ------------------------------------------------------------------ sections
    def section(self, key: tuple, build):
        """A built section (or any result) cached by ``key``; ``build()`` makes it once."""
        with self._lock:
            if key in self._sections:
                self._sections.move_to_end(key)
                return self._sections[key]
            lock = self._locks.setdefault(("section",) + key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._sections:
                    return self._sections[key]
            try:
                value = build()
                with self._lock:
                    self._sections[key] = value
                    while len(self._sections) > self._max_sections:
                        self._sections.popitem(last=False)
            finally:  # the per-key lock goes with the build: no entry per selection remains
                with self._lock:
                    self._locks.pop(("section",) + key, None)
            return value

    def derived(self, key: tuple, owner, build):
        """What depends only on ``owner`` (a cached section, or the table itself): the rows of
        a section's sheets formatted for a page, its JSON text, a table's track list. Kept in
        the bounded memo :attr:`renders` under ``key`` (the table id first, then the section,
        the selection and the language) beside the ``owner`` it was made from, so a warm
        request does not derive it again; built anew when ``owner`` is not that object any
        more (the section was dropped from its cache and built again)."""
        hit = self.renders.get(key)
        if hit is not None and hit[0] is owner:
            return hit[1]
        value = build()
        self.renders[key] = (owner, value)
        return value

    def close(self) -> None:
        """Stop parses in progress and remove the temporary folder."""
        self.closed = True
        for job in list(self._jobs):
            job.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __del__(self):  # the temp folder goes with the store
        if os.path.isdir(getattr(self, "_tmp", "")):
            shutil.rmtree(self._tmp, ignore_errors=True)


def _remember(table, data_dir):
    """Type II on a table that publishes only total consumption splits households by the same
    year's detailed table: look for it in the dashboard's cache."""
    from ..analysis.households import remember_data_dir
    remember_data_dir(table, data_dir)
