"""Cache stamps: a small JSON file beside each cached file (size, mtime, sha256) that tells a
truncated or hand-altered cache file from the one that was downloaded. Used by the registry
when it loads a dataset and by :mod:`lianpu.data.download` when it writes or verifies one."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..atomic import atomic_open
from ..core.errors import DatasetError


def stamp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.stamp")


def write_stamp(path: Path, sha256: str | None = None) -> None:
    """Record ``path``'s size, mtime and sha256 (computed unless given) beside it."""
    path = Path(path)
    st = path.stat()
    rec = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256 or _sha256(path)}
    with atomic_open(stamp_path(path), "w", encoding="utf-8") as fh:
        json.dump(rec, fh)


def _read_stamp(path: Path) -> dict | None:
    try:
        rec = json.loads(stamp_path(path).read_text("utf-8"))
        return rec if isinstance(rec, dict) and isinstance(rec.get("size"), int) else None
    except (OSError, ValueError):
        return None  # no stamp (a cache seeded by hand, or older than stamps): not checked


def stamp_problem(path: Path) -> str | None:
    """Why cached ``path`` differs from its stamp (size or mtime changed), or None."""
    rec = _read_stamp(path)
    if rec is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return f"cache file {path} is missing"
    if st.st_size != rec["size"]:
        return f"cache file {path} is corrupt: expected {rec['size']:,} bytes, found {st.st_size:,}"
    if st.st_mtime_ns != rec.get("mtime_ns"):
        return f"cache file {path} was changed after it was downloaded (modification time)"
    return None


def check_cached(id: str, path: Path) -> None:
    """Raise DatasetError if cached ``path`` of dataset ``id`` no longer matches its stamp."""
    problem = stamp_problem(Path(path))
    if problem:
        raise DatasetError(f"{problem}; run `lianpu download {id}` to fetch it again")


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
