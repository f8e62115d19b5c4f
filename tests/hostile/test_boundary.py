"""The CLI error boundary (issue 14): lianpu errors → one line, exit 2; a ValueError from
numpy/pandas or our own bug stays a traceback instead of passing for a "user error"."""
from __future__ import annotations

import pytest

from lianpu.core.errors import ArgumentError, FormatError


def _raising(exc):
    def load(*a, **k):
        raise exc
    return load


@pytest.mark.parametrize("exc, text", [
    (FormatError("t.csv: row '07', column '12': cell is not a number"), "t.csv: row '07'"),
    (ArgumentError("argument 'top': found -1, expected ≥ 0"), "argument 'top'"),
])
def test_user_errors_exit_2(monkeypatch, capsys, exc, text):
    import lianpu.io
    from lianpu.cli import main
    monkeypatch.setattr(lianpu.io, "load", _raising(exc))
    assert main(["info", "whatever.csv"]) == 2
    err = capsys.readouterr().err
    assert text in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("exc", [ValueError("negative dimensions are not allowed"),
                                 KeyError("shapes"), IndexError("list index out of range"),
                                 # issue 11: every library argument check raises ArgumentError
                                 # now, so a plain ValueError is a bug even when it reads like one
                                 ValueError("argument 'depth': found 0, expected ≥ 1")])
def test_bugs_stay_tracebacks(monkeypatch, exc):
    import lianpu.io
    from lianpu.cli import main
    monkeypatch.setattr(lianpu.io, "load", _raising(exc))
    with pytest.raises(type(exc)):
        main(["info", "whatever.csv"])


def test_write_error_is_a_lianpu_error_and_an_oserror():
    from lianpu.atomic import WriteError
    from lianpu.core.errors import LianpuError
    assert issubclass(WriteError, LianpuError) and issubclass(WriteError, OSError)
