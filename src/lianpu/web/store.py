"""In-process cache of loaded tables (by dataset id or upload id) and of built sections.

Tables are immutable, so a cached table (with its cached LU factorization) can serve every
request; a per-key lock makes concurrent first requests load a table once. Uploads are parsed
only by lianpu's readers from a temporary file with the original suffix — never unpickled or
evaluated — and dropped (file and table) once more than ``max_uploads`` are held.
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

from ..core.errors import DatasetError, FormatError, LianpuError

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet", ".rda", ".rdata")
_UPLOAD_ID = re.compile(r"^up-[0-9a-f]{16}$")


class NotFound(LianpuError, KeyError):
    """An unknown table id, page or resource (HTTP 404)."""

    def __str__(self):
        return str(self.args[0]) if self.args else "not found"


class TableStore:
    def __init__(self, data_dir=None, max_uploads: int = 8, max_sections: int = 256):
        self.data_dir = data_dir
        self.max_uploads = max_uploads
        self._tables: dict[str, object] = {}
        self._uploads: OrderedDict[str, Path] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._sections: OrderedDict = OrderedDict()
        self._max_sections = max_sections
        self._tmp = Path(tempfile.mkdtemp(prefix="lianpu-uploads-"))

    # ------------------------------------------------------------------ tables
    def datasets(self) -> list[dict]:
        """Registry IO tables with a ``cached`` flag (only cached ones can be opened)."""
        from ..data import registry
        return [{"id": d.id, "title_zh": d.title_zh, "title_en": d.title_en, "year": d.year,
                 "sectors": d.sectors, "unit": d.unit,
                 "cached": registry.is_cached(d.id, self.data_dir)}
                for d in registry.datasets()]

    def get(self, tid: str):
        """The table ``tid`` (dataset id or upload id), loading it on first use."""
        if tid in self._tables:
            return self._tables[tid]
        with self._lock:
            lock = self._locks.setdefault(tid, threading.Lock())
        with lock:
            if tid in self._tables:
                return self._tables[tid]
            if _UPLOAD_ID.match(tid):
                raise NotFound(f"unknown upload {tid!r} (uploads are kept while the server "
                               f"runs, at most {self.max_uploads}; upload the file again)")
            from ..data import registry
            try:
                registry.get(tid)
            except DatasetError as exc:
                raise NotFound(str(exc)) from None
            t = registry.load_dataset(tid, data_dir=self.data_dir)
            _remember(t, self.data_dir)
            self._tables[tid] = t
            return t

    def add_upload(self, filename: str, chunks) -> tuple[str, object]:
        """Save an uploaded file (an iterable of bytes) with its suffix and read it with lianpu's
        readers. Returns (upload id, table). The file is removed if it cannot be read."""
        suffix = Path(filename or "").suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise FormatError(f"{filename or '(no name)'}: unsupported file type "
                              f"{suffix or '(none)'!r} (expected one of "
                              f"{', '.join(UPLOAD_SUFFIXES)})")
        uid = "up-" + secrets.token_hex(8)
        folder = self._tmp / uid
        folder.mkdir()
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(filename).name)[:80] or f"table{suffix}"
        path = folder / (safe if safe.lower().endswith(suffix) else safe + suffix)
        with open(path, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        from ..readers.base import open_table
        try:
            table = open_table(path, name=Path(filename).stem or uid)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _remember(table, self.data_dir)
        with self._lock:
            self._tables[uid] = table
            self._uploads[uid] = folder
            while len(self._uploads) > self.max_uploads:
                old, p = self._uploads.popitem(last=False)
                self._tables.pop(old, None)
                shutil.rmtree(p, ignore_errors=True)
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
            value = build()
            with self._lock:
                self._sections[key] = value
                while len(self._sections) > self._max_sections:
                    self._sections.popitem(last=False)
            return value

    def close(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __del__(self):  # the temp folder goes with the store
        if os.path.isdir(getattr(self, "_tmp", "")):
            shutil.rmtree(self._tmp, ignore_errors=True)


def _remember(table, data_dir):
    """Type II on a table that publishes only total consumption splits households by the same
    year's detailed table: look for it in the dashboard's cache."""
    from ..analysis.households import remember_data_dir
    remember_data_dir(table, data_dir)
