"""The reader contract and registry.

A reader is an object with

- ``name`` (str): the format id used by ``lianpu.load(path, format=name)``;
- ``description`` (str): one line for ``lianpu formats`` and error messages;
- ``guess_can_open(path) -> bool``: cheap sniffing (extension, header) — must not raise;
- ``open(path, **kwargs) -> IOTable``: read and validate; raise :class:`FormatError` naming
  file, row and column on anything unexpected.

Readers are found through the ``lianpu.readers`` entry-point group, so a third-party package
registers one exactly as lianpu registers its own (see pyproject.toml).
"""
from __future__ import annotations

import codecs
import contextlib
import copy
import csv
import errno
import inspect
import io
import warnings
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable

from ..core.errors import FormatError, LianpuError, message

#: the longest CSV field a reader accepts (Python's csv default limit, stated in our message)
MAX_FIELD = 131_072
#: the longest code (sector, final-demand, primary-input id) a reader accepts
MAX_ID = 255
ENCODINGS = "UTF-8, UTF-8 with BOM, GB18030 (Chinese Excel) or UTF-16 with BOM"


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    guess_can_open: Callable[[Path], bool]
    open: Callable[..., object]
    #: optional ``diagnose(path) -> (score, reason) | None``: how close the file comes to this
    #: format (0–1) and why it is not accepted; used only to explain an unknown format
    diagnose: Callable[[Path], tuple[float, str] | None] | None = None


# ---------------------------------------------------------------------------- text files
def decode_text(raw: bytes, fname: str, partial: bool = False) -> tuple[str, str]:
    """``(text, encoding)`` of a text file's bytes: the one decoding rule of all readers.

    A byte-order mark decides (UTF-8-BOM, UTF-16 LE/BE); without one the bytes must be UTF-8,
    else GB18030 (what Chinese Excel writes; it contains GBK). A NUL character is refused (it
    is never part of a table and breaks the exports), so is UTF-16 without a byte-order mark.
    ``partial``: ``raw`` is the start of a longer file (a character may be cut at its end).
    """
    if raw.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        head = raw[:4096]
        if len(head) >= 4 and head.count(0) > len(head) // 4:
            raise FormatError(message(fname, "cannot decode the file: it looks like UTF-16 "
                                      "without a byte-order mark",
                                      found=f"{head.count(0)} NUL bytes in the first "
                                      f"{len(head)}", expected=ENCODINGS))
        enc = "utf-8"
        try:
            codecs.getincrementaldecoder("utf-8")().decode(raw, final=not partial)
        except UnicodeDecodeError:
            enc = "gb18030"
    try:
        text = codecs.getincrementaldecoder(enc)().decode(raw, final=not partial)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise FormatError(message(fname, "cannot decode the file", row=f"line {line}",
                                  found=f"byte {raw[exc.start:exc.start + 1]!r} at offset "
                                  f"{exc.start} (not {enc})", expected=ENCODINGS)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError(message(fname, "NUL character in the file",
                                  row=f"line {text.count(chr(10), 0, nul) + 1}",
                                  found=f"NUL at character {nul}",
                                  expected="text without NUL characters"))
    return text, enc


#: how much of a file decides its encoding when it is streamed rather than read whole
HEAD_BYTES = 1 << 20


def _head_bytes(fh) -> tuple[bytes, bool]:
    """The first :data:`HEAD_BYTES` of a binary stream and whether more follows."""
    raw = fh.read(HEAD_BYTES)
    return raw, len(raw) == HEAD_BYTES and bool(fh.read(1))


def stream_encoding(fh, fname: str) -> str:
    """The codec of a binary stream (a file, a zip member) by :func:`decode_text`'s rule,
    decided on its first MiB; the stream is rewound. For readers that hand a large text file
    to ``io.TextIOWrapper`` or pandas instead of decoding it whole."""
    raw, partial = _head_bytes(fh)
    fh.seek(0)
    return decode_text(raw, fname, partial=partial)[1]


@contextlib.contextmanager
def _reading(path: Path):
    """Turn the OS's refusal to read ``path`` into a FormatError naming the file."""
    try:
        yield
    except FileNotFoundError:
        raise FormatError(f"{path.name}: file not found") from None
    except IsADirectoryError:
        raise FormatError(message(path.name, "is a folder", expected="a table file")) from None
    except OSError as exc:
        raise FormatError(message(path.name, f"cannot read the file: {exc.strerror or exc}")) \
            from None


def text_encoding(path) -> str:
    """:func:`stream_encoding` of a file (a FormatError naming it when it cannot be read)."""
    path = Path(path)
    with _reading(path), open(path, "rb") as fh:
        return stream_encoding(fh, path.name)


def read_bytes(path: Path) -> bytes:
    path = Path(path)
    with _reading(path):
        return path.read_bytes()


def read_text(path) -> str:
    """A text file's content decoded by :func:`decode_text`."""
    path = Path(path)
    return decode_text(read_bytes(path), path.name)[0]


def csv_rows(text: str, fname: str, delimiter: str = ",") -> list[list[str]]:
    """CSV rows of decoded text; a field over :data:`MAX_FIELD` characters or a broken quote
    is a FormatError naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for r in reader:
            rows.append(r)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise FormatError(message(fname, "field too long", row=f"line {line}",
                                      found=f"more than {MAX_FIELD:,} characters",
                                      expected="a table cell")) from None
        raise FormatError(message(fname, f"broken CSV: {exc}", row=f"line {line}",
                                  expected="comma-separated cells")) from None
    return rows


def read_csv(path) -> list[list[str]]:
    """Rows of a CSV file (decoded by :func:`decode_text`)."""
    path = Path(path)
    return csv_rows(read_text(path), path.name)


def check_id(code, fname: str, **where) -> None:
    """Refuse an id (sector/final-demand/primary code) over :data:`MAX_ID` characters."""
    if code is not None and len(str(code)) > MAX_ID:
        raise FormatError(message(fname, "code too long", **where,
                                  found=f"{len(str(code)):,} characters",
                                  expected=f"at most {MAX_ID}"))


@dataclass(frozen=True)
class Sniff:
    """What a text file looks like: encoding, delimiter and its first rows (for diagnoses)."""

    encoding: str | None
    delimiter: str | None
    rows: list
    problem: str | None = None  # why the text could not be read at all

    def header_line(self, lead: list[str]) -> int | None:
        """1-based line of the first row starting with ``lead`` (case- and space-blind)."""
        want = [c.lower() for c in lead]
        for k, r in enumerate(self.rows, start=1):
            if [c.strip().lower() for c in r[:len(lead)]] == want:
                return k
        return None

    def describe(self) -> str:
        enc = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gb18030": "GB18030",
               "utf-16": "UTF-16"}.get(self.encoding or "", self.encoding)
        d = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}.get(self.delimiter or ",")
        return f"encoding {enc}, delimiter {d}"


def sniff(path, lines: int = 30) -> Sniff:
    """Decode the start of a text file and guess its delimiter; never raises."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw, partial = _head_bytes(fh)
        text, enc = decode_text(raw, path.name, partial=partial)
    except FormatError as exc:
        return Sniff(None, None, [], str(exc).split(": ", 1)[-1])
    except OSError as exc:
        return Sniff(None, None, [], f"cannot read the file ({exc.strerror or exc})")
    head = text.splitlines()[:lines]
    if not head:
        return Sniff(enc, None, [], "the file is empty")
    counts = {d: sum(h.count(d) for h in head) for d in (",", ";", "\t", "|")}
    delim = max(counts, key=counts.get) if max(counts.values()) else ","
    try:
        rows = list(csv.reader(head, delimiter=delim))
    except csv.Error:
        rows = [h.split(delim) for h in head]
    return Sniff(enc, delim, rows)


def diagnose_csv(path, name: str, lead: list[str], required: list[str]) -> tuple[float, str] | None:
    """A reader's diagnosis of a CSV file that it did not accept: encoding and delimiter seen,
    the line where its header was found, its missing required columns."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    s = sniff(path)
    if s.problem:
        return 0.1, s.problem
    k = s.header_line(lead)
    if k is None:
        first = s.rows[0][:len(lead)] if s.rows else []
        return 0.0, (f"{s.describe()}; no row starts with {', '.join(lead)} "
                     f"(line 1 starts with {first})")
    head = [c.strip() for c in s.rows[k - 1]]
    why = [s.describe()]
    score = 0.5
    if s.delimiter != ",":
        why.append("expected ',' as the delimiter")
    if k > 1:
        why.append(f"header row found at line {k}, not 1 (a title row above it?)")
    missing = [c for c in required if c not in head]
    if missing:
        why.append(f"header has no {', '.join(repr(c) for c in missing)} column")
    else:
        score += 0.3
    return score, "; ".join(why)


_cache: dict[str, Reader] | None = None
#: how an entry point fails to load: a missing or broken module, a missing attribute, or a
#: module refusing this Python or lianpu (a plug-in's own checks raise these)
_PLUGIN_ERRORS = (ImportError, AttributeError, SyntaxError, LianpuError, RuntimeError)


def readers() -> dict[str, Reader]:
    """All registered readers by name (loaded once from entry points)."""
    global _cache
    if _cache is None:
        found = {}
        for ep in entry_points(group="lianpu.readers"):
            try:
                reader = ep.load()
            except _PLUGIN_ERRORS as exc:  # a broken plug-in must not take the others down
                warnings.warn(f"lianpu reader plug-in {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
                continue
            found[reader.name] = reader
        _cache = found
    return _cache


def get_reader(name: str) -> Reader:
    r = readers()
    if name not in r:
        raise FormatError(f"argument 'format': unknown format {name!r} "
                          f"(expected one of: {', '.join(sorted(r))})")
    return r[name]


def _sniff_failure(exc: BaseException, path: Path) -> str | None:
    """Why a reader's sniffing failed, in one line, when it failed on the file's bytes (a
    lianpu error, a parser refusing them, an unreadable file); None for a bug, which must
    stay a traceback."""
    if isinstance(exc, (LianpuError, OSError) + _parser_errors()) or (
            isinstance(exc, (KeyError, ValueError, TypeError, IndexError))
            and _raised_in_parser(exc)):
        text = str(exc).strip() or type(exc).__name__
        for prefix in (f"{path}: ", f"{path.name}: "):  # the message names the file already
            text = text.removeprefix(prefix)
        if not isinstance(exc, LianpuError):
            text = f"{type(exc).__name__}: {text}"
        return text[:300]
    return None


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def detect(path: Path) -> Reader:
    """The first reader whose ``guess_can_open`` accepts the file, or a FormatError listing all.

    A reader whose sniffing fails on the file (a workbook xlrd or openpyxl cannot open, bytes
    no encoding decodes) does not decide, but its failure is said in the error when no reader
    accepts the file ("the chnio reader fails on it: …"), before the closest format."""
    failed: dict[str, list[str]] = {}  # why → the readers that failed so
    for reader in readers().values():
        try:
            if reader.guess_can_open(path):
                return reader
        except (LianpuError, OSError, ValueError, TypeError, KeyError, IndexError, EOFError,
                *_parser_errors()) as exc:
            why = _sniff_failure(exc, path)
            if why is None:
                raise
            failed.setdefault(why, []).append(reader.name)
    hint = closest(path)
    if hint or failed:  # the hint is what the user needs; the formats' names suffice after it
        known = ", ".join(readers()) + "; `lianpu formats` describes them"
    else:
        known = "; ".join(f"{r.name} ({r.description})" for r in readers().values())
    said = "".join(f"the {_and(names)} reader{'s' * (len(names) > 1)} "
                   f"fail{'s' * (len(names) == 1)} on it: {why}; " for why, names in failed.items())
    raise FormatError(f"{path}: {said}{hint}unknown table format (known formats: {known})")


def closest(path: Path) -> str:
    """'no reader accepts the file; closest is NAME (why); ' or '' when no reader can say."""
    best = None
    for reader in readers().values():
        if reader.diagnose is None:
            continue
        try:
            d = reader.diagnose(path)
        except (LianpuError, OSError, ValueError, TypeError, KeyError, IndexError, EOFError,
                *_parser_errors()) as exc:
            if _sniff_failure(exc, path) is None:  # a bug in the diagnosis: a traceback
                raise
            continue  # a diagnosis that cannot read the file must not replace the error
        if d is not None and d[0] > 0 and (best is None or d[0] > best[0]):  # 0: no likeness
            best = (d[0], reader.name, d[1])
    if best is None:
        return ""
    if best[0] <= 0.1:  # unreadable as text at all: the same for every reader
        return f"no reader can read the file ({best[2]}); "
    return f"no reader accepts the file; closest is {best[1]} ({best[2]}); "


_UNREADABLE = {errno.EISDIR, errno.EACCES, errno.EPERM, errno.ENOENT, errno.EIO}
_PARSERS = ("/openpyxl/", "/zipfile.py", "/zipfile/", "/pandas/io/", "/pyarrow/", "/xml/",
            "/et_xmlfile/", "/csv.py", "/gzip.py", "/rdata/")


def _raised_in_parser(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback lies in a file-parsing library."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    name = (last or "").replace("\\", "/")
    ours = str(Path(__file__).resolve().parents[1]).replace("\\", "/") + "/"
    return not name.startswith(ours) and any(p in name for p in _PARSERS)


def _parser_errors() -> tuple[type[BaseException], ...]:
    """Exceptions by which parsers (csv, zip, gzip, pandas, openpyxl, pyarrow, XML) refuse
    malformed bytes. Deliberately not KeyError/IndexError/TypeError: from our own code those are
    bugs and stay tracebacks (readers validate what they index)."""
    import gzip
    import lzma
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError
    errs: list = [csv.Error, UnicodeError, zipfile.BadZipFile, zlib.error, gzip.BadGzipFile,
                  lzma.LZMAError, EOFError, ParseError]
    try:
        import pandas.errors as pe
        errs += [pe.ParserError, pe.EmptyDataError]
    except ImportError:  # pragma: no cover
        pass
    try:
        from openpyxl.utils.exceptions import InvalidFileException
        errs.append(InvalidFileException)
    except ImportError:  # pragma: no cover
        pass
    try:
        import pyarrow as pa
        errs.append(pa.ArrowInvalid)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errs)


def workbook_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl (and pandas' read_excel over it) raise on bytes that are not a workbook
    as Excel writes it: the zip/XML/decompression errors, openpyxl's InvalidFileException,
    and the Key/Value/Type/Index errors of a missing member or a corrupted cell (only the
    workbook call runs where these are caught)."""
    return _parser_errors() + (KeyError, ValueError, TypeError, IndexError, AttributeError,
                               OSError)


def rdata_errors() -> tuple[type[BaseException], ...]:
    """What ``rdata.read_rda`` raises on bytes that are not R data (its own NotImplemented/
    Value/TypeError, the decompressors' errors, a short read), for the one call that parses."""
    import struct
    return _parser_errors() + (NotImplementedError, ValueError, TypeError, KeyError,
                               IndexError, struct.error, OSError)


def _accepts(fn, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # a builtin or C callable: no signature to read
        return False


def open_table(path, format: str | None = None, **kwargs):
    """Open a table file with the named reader, or auto-detect the format.

    ``storage`` ("dense", "sparse", "auto"; :class:`lianpu.IOTable`) goes to a reader whose
    ``open`` takes it (Parquet, OECD ICIO, EXIOBASE build a sparse Z straight from the file);
    any other reader's table is converted after reading."""
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path}: file not found")
    reader = get_reader(format) if format else detect(path)
    storage = None
    if "storage" in kwargs and not _accepts(reader.open, "storage"):
        storage = kwargs.pop("storage")
    table = _open(reader, path, kwargs)
    if storage is not None:
        from ..table_storage import with_storage  # the one storage rule
        table = with_storage(table, storage)
    return table


def _open(reader, path: Path, kwargs: dict):
    try:
        return reader.open(path, **kwargs)
    except LianpuError as exc:
        # a table's own checks name the table (its stored name); the user needs the file
        if path.name in str(exc) or len(exc.args) != 1 or not isinstance(exc.args[0], str):
            raise
        new = copy.copy(exc)
        new.args = (f"{path.name}: {exc.args[0]}",)
        raise new from None
    except _parser_errors() as exc:
        # a third-party parser refusing malformed bytes is a malformed file, not a lianpu bug
        raise FormatError(message(path.name, f"the {reader.name} reader cannot parse the file",
                                  found=f"{type(exc).__name__}: {str(exc)[:200]}",
                                  expected=reader.description)) from None
    except OSError as exc:
        if exc.errno not in _UNREADABLE:
            raise
        raise FormatError(message(path.name, f"cannot read the file: {exc.strerror or exc}")) \
            from None
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        # only when raised inside a parser library (openpyxl casting a corrupted cell, zipfile
        # missing a member): from lianpu's own code these stay tracebacks — they are bugs
        if not _raised_in_parser(exc):
            raise
        raise FormatError(message(path.name, f"the {reader.name} reader cannot parse the file",
                                  found=f"{type(exc).__name__}: {str(exc)[:200]}",
                                  expected=reader.description)) from None
    except MemoryError:
        # a file that declares (or a parser that builds) more than this machine holds
        raise FormatError(message(path.name, "the table does not fit in memory",
                                  expected="a table whose declared size matches its data")) \
            from None
