"""Reader plug-ins: built-ins are registered through the entry-point group exactly like a third
party's; every one is documented; a broken plug-in warns and does not take the others down."""
from pathlib import Path

import pytest

from lianpu.readers import base

BUILTIN = {"nbs", "oecd", "wiod", "generic", "native", "ceads_mrio"}
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_builtins_registered_and_documented():
    r = base.readers()
    assert BUILTIN <= set(r)
    for name, reader in r.items():
        assert reader.name == name and len(reader.description) > 20
        assert callable(reader.guess_can_open) and callable(reader.open)


@pytest.mark.parametrize("word", ["NBS", "OECD", "WIOD", "template", "native", "CEADs"])
def test_readme_documents_each_format(word):
    assert word.lower() in README.lower()


def test_broken_plugin_warns_and_others_survive(monkeypatch):
    class EP:
        name, value = "broken", "nowhere:READER"

        def load(self):
            raise ImportError("no module named nowhere")

    real = base.entry_points

    def fake(group):
        return list(real(group=group)) + [EP()]

    monkeypatch.setattr(base, "entry_points", fake)
    monkeypatch.setattr(base, "_cache", None)
    with pytest.warns(RuntimeWarning, match="reader plug-in 'broken'.*failed to load"):
        r = base.readers()
    assert BUILTIN <= set(r) and "broken" not in r
    monkeypatch.setattr(base, "_cache", None)
