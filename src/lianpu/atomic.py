"""Atomic file writes: write to a temporary file beside the target, then ``os.replace``.

A failed or interrupted write leaves the previous file (if any) untouched and no partial file
under the target name. The temporary name carries the writer's process id
(``.NAME.PID-XXXX.part.SUFFIX``): one left by a killed process is removed by the next write to
the same target, one of a live writer is left alone. The file gets the permissions of a file
created normally (0666 less the umask), not mkstemp's private 0600.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from functools import cache
from pathlib import Path

from .core.errors import LianpuError

STALE_UNTAGGED = 24 * 3600  # a debris name without a process id is removed after a day

#: errno → the words of "cannot write X: …"
_WHY = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded",
        errno.EACCES: "permission denied", errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system", errno.ENOTDIR: "a parent is not a folder",
        errno.EISDIR: "it is a folder", errno.ENAMETOOLONG: "file name too long",
        errno.EFBIG: "file too large"}


class WriteError(LianpuError, OSError):
    """An output file could not be written (disk full, no permission, …): exit 2, not a
    traceback. The previous file, if any, is left as it was."""


def write_error(target, exc: OSError) -> WriteError:
    why = _WHY.get(exc.errno, exc.strerror or str(exc))
    return WriteError(f"cannot write {target}: {why}")


@cache
def umask() -> int:
    """The process umask (read without changing it where the system allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    m = os.umask(0o022)
    os.umask(m)
    return m


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a process we may not signal counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def is_stale(name: str, path: Path, tag: str) -> bool:
    """Whether debris ``name`` (``…{tag}PID-…``) belongs to a process that is gone."""
    m = re.search(re.escape(tag) + r"(\d+)-", name)
    if m:
        return not pid_alive(int(m.group(1)))
    try:
        return time.time() - path.lstat().st_mtime > STALE_UNTAGGED
    except OSError:
        return False


def sweep_parts(target: Path) -> list[Path]:
    """Remove ``.part`` files of earlier, interrupted writes to ``target``; returns them."""
    gone = []
    prefix = f".{target.name}."
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return gone
    for e in entries:
        if (e.name.startswith(prefix) and ".part" in e.name[len(prefix):]
                and e.is_file(follow_symlinks=False)
                and is_stale(e.name, Path(e.path), prefix)):
            with contextlib.suppress(OSError):
                os.unlink(e.path)
                gone.append(Path(e.path))
    return gone


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path in the target's folder; on success move it onto ``target``.

    >>> with atomic_path("out.xlsx") as tmp:   # doctest: +SKIP
    ...     frame.to_excel(tmp)
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_parts(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-",
                                   suffix=".part" + target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as exc:
        if isinstance(exc, LianpuError) or exc.errno not in _WHY:
            raise
        raise write_error(target, exc) from exc
    tmp = Path(tmp)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    except OSError as exc:
        if isinstance(exc, LianpuError) or exc.errno not in _WHY:
            raise
        raise write_error(target, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()


@contextlib.contextmanager
def atomic_open(target, mode: str = "wb", **kw):
    """Open a temporary file for writing; it replaces ``target`` only if the block succeeds."""
    with atomic_path(target) as tmp:
        with open(tmp, mode, **kw) as fh:
            yield fh
