"""``lianpu serve`` through the CLI entry point: loopback by default, remote binding only with
--allow-remote and a token, flags checked before anything starts."""
from __future__ import annotations

import pytest

import lianpu.commands.web  # noqa: F401  (registers `serve` until cli.py imports it)
from lianpu.cli import main


@pytest.fixture
def started(monkeypatch):
    """Replace uvicorn.run: record what would be served instead of serving."""
    calls = []
    import uvicorn
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv("LIANPU_TOKEN", raising=False)
    return calls


@pytest.mark.parametrize("args, needle", [
    (["--host", "0.0.0.0"], "not a loopback address; pass --allow-remote and --token"),
    (["--host", "192.168.1.20", "--allow-remote"], "a token is required"),
    (["--host", "::", "--token", "long-enough-token"], "not a loopback address"),
    (["--token", "short"], "--token: found 5 characters, expected at least 8"),
    (["--port", "70000"], "--port: found 70000"),
    (["--max-upload-mb", "0"], "--max-upload-mb: found 0"),
])
def test_refused_before_starting(started, capsys, args, needle):
    assert main(["serve"] + args) == 2
    assert needle in capsys.readouterr().err
    assert started == []


def test_loopback_by_default(started, capsys, tmp_path):
    assert main(["serve", "--port", "8765", "--data-dir", str(tmp_path)]) == 0
    (app, kw), = started
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8765
    assert app.state.token is None and app.state.store.data_dir == tmp_path
    assert "http://127.0.0.1:8765/" in capsys.readouterr().out


def test_remote_with_token_from_environment(started, capsys, monkeypatch):
    monkeypatch.setenv("LIANPU_TOKEN", "from-the-environment")
    assert main(["serve", "--host", "0.0.0.0", "--allow-remote", "--port", "0"]) == 0
    (app, kw), = started
    assert kw["host"] == "0.0.0.0" and app.state.token == "from-the-environment"
    assert 0 < kw["port"] < 65536  # --port 0: a free port, chosen before printing it
    out = capsys.readouterr().out
    assert f"http://0.0.0.0:{kw['port']}/ (token required)" in out
