"""Parse an uploaded table in a child process that can be stopped.

A reader cannot be interrupted from another thread, and a thread parsing a hostile file keeps
the server (and its memory) busy after the client has gone. So each upload is read by a fresh
child process (``spawn``, no state shared): the dashboard polls it and kills it when the client
disconnects, when the parse runs past its deadline, or when the server stops. The child checks
the file's declared size first (:mod:`lianpu.readers.safety`), then reads it with lianpu's
readers, and hands back the table in lianpu's native lossless Parquet format, written beside
the upload (nothing is pickled), or the error. On Linux the child is also killed if the server process dies (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import asyncio
import multiprocessing
import time

from ..core.errors import FormatError, LianpuError


class Abandoned(Exception):
    """The client left or the server is stopping: the parse was stopped."""


class ParseTimeout(FormatError):
    pass


def _die_with_parent() -> None:
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(conn, path: str, name: str, limits, out: str) -> None:
    """Read the upload; a file the readers refuse is sent back as a 4xx message. Anything else
    (a reader bug) is not caught: the child prints its traceback to the server's stderr and
    exits with code 1, which :meth:`Job.result` turns into :class:`ReaderFailed` (a 500 with a
    logged reference, never a user error)."""
    _die_with_parent()
    try:
        from ..readers.base import open_table
        from ..readers.native import save
        from ..readers.safety import TooBig, check_file, check_table
        try:
            check_file(path, limits)
            table = open_table(path, name=name)
            check_table(table, name, limits)
        except TooBig as exc:
            conn.send(("error", 413, str(exc)))
        except (LianpuError, ValueError) as exc:
            conn.send(("error", 400, str(exc)))
        except KeyError as exc:  # str() of a KeyError is its key's repr: send the text
            conn.send(("error", 400, str(exc.args[0]) if exc.args else "missing key"))
        except MemoryError:
            conn.send(("error", 413, f"{name}: the table does not fit in memory"))
        else:
            save(table, out)
            conn.send(("ok", out))
    finally:
        conn.close()


class ReaderFailed(RuntimeError):
    """The parse stopped with an exception that is not a user error (a bug: HTTP 500)."""


class Job:
    """One parse in a child process."""

    def __init__(self, path, name: str, limits, out):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child, str(path), name, limits, str(out)),
                                daemon=True, name="lianpu-upload-parse")
        self.proc.start()
        child.close()

    def stop(self) -> None:
        self.proc.join(0.2)  # a child that has sent its answer is exiting already
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()

    async def result(self, *, deadline_s: float, stop_when, poll: float = 0.05):
        """The child's message; kills the child (and raises) when ``await stop_when()`` is
        true or ``deadline_s`` passes."""
        from starlette.concurrency import run_in_threadpool
        end = time.monotonic() + deadline_s
        try:
            while True:
                if self.conn.poll():
                    return await run_in_threadpool(self.conn.recv)
                if not self.proc.is_alive() and not self.conn.poll():
                    code = self.proc.exitcode
                    if code == 1:  # an uncaught exception: its traceback is on stderr
                        raise ReaderFailed("the upload parser failed with an internal error "
                                           "(traceback in the server's stderr)")
                    raise FormatError("the file could not be read (the parser stopped with "
                                      f"exit code {code}; it may have needed too much memory)")
                if await stop_when():
                    raise Abandoned()
                if time.monotonic() > end:
                    raise ParseTimeout(f"reading the file took more than {deadline_s:g} s "
                                       "(the parse time limit of this server)")
                await asyncio.sleep(poll)
        except EOFError:
            raise FormatError("the file could not be read (the parser stopped)") from None
        finally:
            self.stop()
