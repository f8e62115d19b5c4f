"""CLI: lianpu gvc / prices / cbam through the real entry point (exit codes, strict JSON)."""
import json

import pytest

from lianpu.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_gvc_kww_json(capsys, shared_data):
    code, out, _ = run(capsys, "gvc", "wiod2013-2011", "--country", "CHN", "--method", "kww",
                       "--data-dir", shared_data, "--json")
    assert code == 0
    d = json.loads(out)
    row = d["rows"][0]
    assert row["country"] == "CHN" and abs(row["residual"]) < 1e-3
    assert d["basis"]["basis"] == "published"


def test_gvc_bad_level(capsys, shared_data):
    code, _, err = run(capsys, "gvc", "wiod2013-2011", "--method", "kww", "--level", "sector",
                       "--data-dir", shared_data)
    assert code == 2 and "--level" in err


def test_prices_json(capsys, shared_data):
    code, out, _ = run(capsys, "prices", "cn-nbs-2020-42", "--carbon-price", "100", "--wage-rise",
                       "10", "--import-price", "03=20", "--data-dir", shared_data, "--json")
    assert code == 0
    d = json.loads(out)
    assert d["shocks"]["carbon_price_yuan_per_t"] == 100 and d["households"]
    code, _, err = run(capsys, "prices", "cn-nbs-2020-42", "--import-price", "03", "--data-dir",
                       shared_data)
    assert code == 2 and "--import-price" in err


def test_cbam_requires_price(capsys, shared_data):
    code, _, err = run(capsys, "cbam", "cn-nbs-2020-42", "--data-dir", shared_data)
    assert code == 2 and "--price-gap" in err
    code, out, _ = run(capsys, "cbam", "cn-nbs-2020-42", "--price-gap", "60", "--eur-cny", "7.8",
                       "--data-dir", shared_data, "--json")
    assert code == 0 and json.loads(out)["total"]["charge"] > 0
