"""The CLI's one error boundary (issue 11): usage errors and lianpu errors are one line
(plus at most a hint line) and exit code 2; a bug is a traceback, never a "user error";
library argument names are shown as the command's flags; ``--version``.

No shared data needed: the tables are built here (Miller & Blair's two-sector example,
Z = [[150, 500], [200, 100]], final demand (350, 1700), written as native parquet)."""
from __future__ import annotations

import subprocess
import sys

import pytest

import lianpu
from lianpu.cli import flag_text, main
from lianpu.core.errors import ArgumentError


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    return _write_table(tmp_path_factory.mktemp("t") / "mb.parquet")


def _write_table(path):
    from lianpu.export import export_table
    return export_table(lianpu.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700]), path)


# ------------------------------------------------------------------ usage errors (click/typer)
def test_unknown_command_one_line_and_a_hint(capsys):
    code, out, err = run(capsys, "chian")
    assert code == 2 and out == ""
    assert lines(err) == ["error: No such command 'chian'.",
                          "hint: did you mean 'chain'? see lianpu --help"]


def test_unknown_subcommand_hint_names_its_group(capsys):
    code, _, err = run(capsys, "mrio", "twinn")
    assert code == 2 and lines(err)[1] == "hint: did you mean 'twin'? see lianpu mrio --help"


def test_missing_option(capsys):
    code, out, err = run(capsys, "template")
    assert code == 2 and out == ""
    assert lines(err) == ["error: Missing option '--to'.", "hint: see lianpu template --help"]


def test_template_file_without_its_flag(capsys):
    """docs/template.md once wrote `lianpu template my_table.xlsx`: the hint gives the flag."""
    code, _, err = run(capsys, "template", "my_table.xlsx")
    assert code == 2 and len(lines(err)) == 2
    assert "did you mean 'lianpu template --to my_table.xlsx'?" in lines(err)[1]


def test_bad_value_type(capsys, table):
    code, out, err = run(capsys, "multipliers", table, "--top", "abc")
    assert code == 2 and out == "" and len(lines(err)) == 2
    assert lines(err)[0].startswith("error: Invalid value for '--top'")


def test_unknown_option(capsys, table):
    code, _, err = run(capsys, "multipliers", table, "--kindd", "output")
    assert code == 2 and len(lines(err)) == 2 and "--kindd" in lines(err)[0]


def test_no_arguments_shows_the_help(capsys):
    code, out, err = run(capsys)
    assert code == 2 and "Usage" in out + err and "Traceback" not in out + err


def test_usage_error_through_the_console_script():
    r = subprocess.run([sys.executable, "-m", "lianpu", "chian"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert len(lines(r.stderr)) == 2 and "did you mean 'chain'" in r.stderr


# ------------------------------------------------------------------ bad choices (lianpu errors)
def test_bad_choice_of_the_library_names_the_flag(capsys, table):
    """`multipliers(type='III')` raises ArgumentError naming argument 'type': shown as --type."""
    code, out, err = run(capsys, "multipliers", table, "--type", "III")
    assert code == 2 and out == "" and len(lines(err)) == 1
    assert err.startswith("error: ") and "--type" in err and "argument 'type'" not in err
    assert "expected 'I' or 'II'" in err          # the message is not cut


def test_bad_choice_of_the_cli(capsys, table):
    code, _, err = run(capsys, "multipliers", table, "--basis", "nope")
    assert code == 2 and lines(err) == [
        "error: --basis: found 'nope', expected one of auto, published, domestic, local"]


# ------------------------------------------------------------------ argument names → flags
def _raise(exc):
    def f(*a, **k):
        raise exc
    return f


def test_argument_kind_is_printed_as_the_flag(monkeypatch, capsys, table):
    import lianpu.analysis.multipliers as m
    monkeypatch.setattr(m, "multipliers", _raise(ArgumentError(
        "argument 'kind': unknown multiplier kind 'x' (expected output, value_added or income)")))
    code, _, err = run(capsys, "multipliers", table)
    assert code == 2 and lines(err) == [
        "error: --kind: unknown multiplier kind 'x' (expected output, value_added or income)"]


def test_argument_data_dir_is_printed_as_the_flag(monkeypatch, capsys):
    import lianpu.io
    monkeypatch.setattr(lianpu.io, "load", _raise(ArgumentError(
        "argument 'data_dir': not a folder")))
    code, _, err = run(capsys, "info", "x.csv")
    assert code == 2 and lines(err) == ["error: --data-dir: not a folder"]


def test_flag_text():
    # names the command has become its flags; aliases only where the command has the flag
    assert flag_text("argument 'kind': bad", ["multipliers", "x"]) == "--kind: bad"
    assert flag_text("argument 'type': bad", ["multipliers", "x"]) == "--type: bad"
    assert flag_text("argument 'start': bad", ["position"]) == "--from: bad"
    assert flag_text("gras: argument 'tol, max_iter': bad", ["gras"]) == "gras: --tol, --max-iter: bad"
    assert flag_text("argument 'u, v': bad", ["gras"]) == "--rows, --cols: bad"
    assert flag_text("argument 'depth': bad", ["mrio", "chain", "2017"]) == "--depth: bad"
    # an argument the command has no flag for is left as the library wrote it
    assert flag_text("argument 'top': bad", ["info", "x"]) == "argument 'top': bad"
    assert flag_text("argument 'a': bad", ["twin", "t", "A", "B"]) == "argument 'a': bad"


# ------------------------------------------------------------------ bugs stay tracebacks
@pytest.mark.parametrize("exc", [ValueError("boom"), KeyError("boom")])
def test_an_internal_bug_is_not_a_user_error(monkeypatch, capsys, table, exc):
    import lianpu.analysis.multipliers as m
    monkeypatch.setattr(m, "multipliers", _raise(exc))
    with pytest.raises(type(exc), match="boom"):
        main(["multipliers", str(table)])
    assert "error: " not in capsys.readouterr().err


def test_a_bug_is_a_traceback_through_the_console_script(tmp_path):
    """A plain ValueError from inside a command exits 1 with a traceback (not exit 2)."""
    script = ("import lianpu.analysis.multipliers as m, sys\n"
              "def boom(*a, **k): raise ValueError('boom')\n"
              "m.multipliers = boom\n"
              "from lianpu.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    t = _write_table(tmp_path / "t.parquet")
    r = subprocess.run([sys.executable, "-c", script, "multipliers", str(t)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "boom" in r.stderr and "error: boom" not in r.stderr
    assert "Traceback" in r.stderr or "ValueError" in r.stderr


# ------------------------------------------------------------------ --version, structure
def test_version(capsys):
    code, out, err = run(capsys, "--version")
    assert code == 0 and out == f"lianpu {lianpu.__version__}\n" == "lianpu 0.1.0\n" and err == ""


def test_command_modules_do_not_import_the_cli():
    """No circle: the command modules register on commands._app without importing lianpu.cli."""
    code = ("import sys, lianpu.commands.chains, lianpu.commands.tables, lianpu.commands.mrio\n"
            "assert 'lianpu.cli' not in sys.modules, 'a command module imported lianpu.cli'\n"
            "from lianpu.commands._app import app\n"
            "import typer\n"
            "names = set(typer.main.get_command(app).commands)\n"
            "assert {'chain', 'info', 'mrio'} <= names, names\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
