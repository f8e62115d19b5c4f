"""Issue 11's checks on the source tree: no import circle, no module over 600 lines, no broad
``except`` outside the web's 500 handler, one definition of each shared helper, and every
public analysis returning a :class:`lianpu.analysis._result.Result` with strict JSON.

The rules (what counts as a circle, a copy, a broad except) are written once, in
bench/architecture_counts.py, which prints the same counts for any checkout; this file imports
them. Expected numbers: the tree checks expect 0 or exactly the one named definition (issue
11, "Checks"); the rule self-tests count a small tree written here by hand, so each expected
number is the number of cases typed into that tree.
"""
from __future__ import annotations

import importlib
import inspect
import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import architecture_counts as ac  # noqa: E402

SRC = ROOT / "src" / "lianpu"


@pytest.fixture(scope="module")
def counts():
    return ac.count(SRC)


def _places(items) -> str:
    return "\n  " + "\n  ".join(map(str, items))


# ----------------------------------------------------------------------------- the tree
def test_no_import_circle(counts):
    """No strongly connected component in the import graph (every import statement, also
    inside functions; the root package's lazy ``_LAZY`` table is not an import)."""
    text = "\n  ".join(f"({len(c)}) " + ", ".join(c) for c in counts.circles)
    assert counts.circles == [], f"{len(counts.circles)} import circle(s):\n  {text}"


# lower layers importing higher ones on purpose (inside the method that needs it): IOTable's
# convenience methods hand over to the module that does the work. Those modules do not import
# the table module back (they take the class or build with type(table)), so no circle closes
# through them; the registry names its dataset builder (registry.BUILT) instead of importing
# it. Nothing else may (docs/architecture.md).
UPWARD_ALLOWED = {
    ("lianpu.table", "lianpu.readers.frames"),        # IOTable.from_frames, role hints
    ("lianpu.table", "lianpu.readers.native_write"),  # IOTable.save
    ("lianpu.table", "lianpu.readers.pymrio_io"),     # IOTable.from_pymrio / to_pymrio
    ("lianpu.table", "lianpu.analysis.aggregate"),    # IOTable.aggregate / split_sector
    ("lianpu.table", "lianpu.analysis.regions.mrio.groups"),  # IOTable.aggregate_regions
}


def test_no_upward_import(counts):
    """core → table → readers/data/satellites → analysis → report/web/cli: a module imports
    its own layer or lower ones (presentation out of the analyses: issue 11)."""
    extra = [f"{a} → {b}" for a, b in counts.upward if (a, b) not in UPWARD_ALLOWED]
    assert extra == [], "upward imports:" + _places(extra)


def test_no_module_over_600_lines(counts):
    assert counts.long_modules == [], f"modules over {ac.MAX_LINES} lines: {counts.long_modules}"


def test_no_broad_except_outside_the_500_handler(counts):
    """``except Exception``/``BaseException``/bare ``except`` hide bugs as user errors; only
    the web's handler registered with ``exception_handler(Exception)`` may catch everything."""
    assert counts.broad_except == [], "broad except:" + _places(counts.broad_except)


# one definition each, by name, wherever it lives (code_str moved from analysis/_result.py
# down to core/codes.py so that core, table and readers import it without an upward import)
def test_one_code_str(counts):
    assert [f.what for f in counts.code_str] == ["code_str"], "code-to-string defs:" + \
        _places(counts.code_str)


def test_no_inline_code_str(counts):
    """The one-liner written out inline (not a def) is a copy too: import code_str."""
    assert counts.code_str_inline == [], "inline code-to-string:" + \
        _places(counts.code_str_inline)


def test_one_json_encoder(counts):
    assert sorted(f.what for f in counts.json) == ["dumps", "jsonable"] \
        and len({f.rel for f in counts.json}) == 1, "JSON conversion defs:" + _places(counts.json)


def test_one_language_check(counts):
    assert [f.what for f in counts.lang_check] == ["check_lang"], "language checks:" + \
        _places(counts.lang_check)


def test_one_number_formatter(counts):
    assert [f.what for f in counts.formatter] == ["fmt_num"], "number formatters:" + \
        _places(counts.formatter)


def test_to_json_written_once(counts):
    """``to_json`` lives in analysis/_result.py only (Result, ResultSeries, ResultFrame)."""
    others = [f for f in counts.to_json if f.rel != "lianpu/analysis/_result.py"]
    assert others == [], "to_json outside _result.py:" + _places(others)


# ----------------------------------------------------------------------------- the rules
RULE_TREE = {
    "__init__.py": "from .a import f\n_LAZY = {'b': ('pkg.b', None)}\n",
    "a.py": "def f():\n    from . import b\n    return b\n",          # a → b (in a function)
    "b.py": "from .sub.c import g\n",                                     # b → sub.c
    "sub/__init__.py": "",
    "core.py": "from . import web\n",                                   # upward: core → web
    "sub/c.py": textwrap.dedent("""\
        from .. import a                      # sub.c → a: circle a → b → sub.c → a
        import json
        def g(v):
            try:
                return json.dumps(v)
            except Exception:                 # broad 1
                raise ValueError("bad")       # plain raise 1 (hand-written)
        def _c(c):
            return "/".join(map(str, c)) if isinstance(c, tuple) else str(c)
        def _code(v) -> str:                  # a cell parser, not the one-liner
            return str(v).strip()
        def key(c):
            return {"k": "/".join(map(str, c)) if isinstance(c, tuple) else c}   # inline 1
        def _fmt(v) -> str:
            return f"{v:,.2f}"
        def _num(v, fname, row, col) -> float:  # a parser, not a formatter
            return float(v)
        def show(lang):
            if lang not in ("zh", "en"):      # language check 1
                raise KeyError(message(None, "bad", argument="lang"))   # plain raise 2
        def jsonable(v):
            return v
        class R:
            def to_json(self):
                return "{}"
        """),
    "web.py": textwrap.dedent("""\
        def create_app(app):
            @app.exception_handler(Exception)
            async def unexpected(request, exc):
                try:
                    return 1
                except:                       # allowed: inside the 500 handler
                    return 2
        """),
    "long.py": "x = 1\n" * 601,
}


@pytest.fixture(scope="module")
def rule_counts(tmp_path_factory):
    root = tmp_path_factory.mktemp("tree") / "pkg"
    for rel, text in RULE_TREE.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return ac.count(root)


def test_rules_on_a_tree_written_by_hand(rule_counts):
    c = rule_counts
    assert c.modules == 8
    assert c.circles == [["pkg.a", "pkg.b", "pkg.sub.c"]]      # __init__ → a is not in it
    assert [f.what for f in c.code_str] == ["_c"]
    assert [f.what for f in c.code_str_inline] == ["key"]
    assert [f.what for f in c.json] == ["jsonable"]
    assert [f.what for f in c.lang_check] == ["show"]
    assert [f.what for f in c.formatter] == ["_fmt"]
    assert [f.what for f in c.to_json] == ["to_json"]
    assert len(c.plain_raises) == 2 and c.plain_raises_message == 1
    assert [f.what for f in c.hand_raises] == ["g"]            # the message() one is not
    assert [str(f) for f in c.broad_except] == ["pkg/sub/c.py:6 g"]
    assert [f.what for f in c.broad_except_allowed] == ["unexpected"]
    assert c.long_modules == [("pkg/long.py", 601)]
    assert c.upward == [("pkg.core", "pkg.web")]      # the other modules have no layer


def test_counts_script_json(rule_counts, capsys, tmp_path):
    root = Path(rule_counts.root)
    assert ac.main(["--json", "--root", str(root)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["summary"]["import circles"] == 1 and d["summary"]["modules in circles"] == 3
    assert d["summary"]["to_json implementations"] == 1


# ----------------------------------------------------------------------------- results
def _no_constant(name):
    raise AssertionError(f"to_json() wrote a bare {name}: not strict JSON")


def _toy_mrio():
    """Three regions × two sectors, random flows (seed 1), value added as the balance."""
    import lianpu
    from lianpu.table import _label_frame
    rng = np.random.default_rng(1)
    Z = rng.uniform(1, 10, (6, 6))
    Y = rng.uniform(5, 30, (6, 3))
    x = Z.sum(1) + Y.sum(1)
    idx = pd.MultiIndex.from_arrays([list("AABBCC"), ["01", "02"] * 3], names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples([(r, "FD") for r in "ABC"], names=["region", "category"])
    return lianpu.IOTable(Z, Y, (x - Z.sum(0))[None, :], x, sectors=_label_frame(idx),
                          final_demand_labels=_label_frame(fd),
                          primary_labels=_label_frame(["VA"], index_name="row"))


@pytest.fixture(scope="module")
def national(shared_data):
    """NBS 2020 and 2018 42-sector tables with the CEADs CO2 satellite."""
    import lianpu
    t = lianpu.co2_satellite(lianpu.load("cn-nbs-2020-42", data_dir=shared_data),
                             data_dir=shared_data)
    t18 = lianpu.co2_satellite(lianpu.load("cn-nbs-2018-42", data_dir=shared_data),
                               data_dir=shared_data)
    return {"t": t, "t18": t18}


@pytest.fixture(scope="module")
def toy():
    return _toy_mrio()


def _first(t):
    return t.index[0]


# public name → call with minimal arguments on the fixtures (t: national, m: MRIO)
ANALYSES = {
    "multipliers": lambda L, T: L.multipliers(T["t"]),
    "keysectors": lambda L, T: L.keysectors(T["t"]),
    "chain": lambda L, T: L.chain(T["t"], "future_manufacturing"),
    "weaklinks": lambda L, T: L.weaklinks(T["t"], "future_manufacturing"),
    "import_content": lambda L, T: L.import_content(T["t"]),
    "regions.spillover": lambda L, T: L.regions.spillover(T["m"]),
    "regions.induced": lambda L, T: L.regions.induced(T["m"]),
    "regions.trade_value_added": lambda L, T: L.regions.trade_value_added(T["m"]),
    "value_added_matrix": lambda L, T: L.value_added_matrix(T["m"]),
    "twin": lambda L, T: L.twin(T["m"], "A", "B"),
    "regions.complementarity": lambda L, T: L.regions.complementarity(T["m"], "A", "B", ["01"]),
    "impact": lambda L, T: L.impact(T["t"], pd.Series({_first(T["t"]): 100.0}), type="I"),
    "shock.ghosh": lambda L, T: L.shock.ghosh(T["t"], {_first(T["t"]): -10.0}),
    "shock.mixed": lambda L, T: L.shock.mixed(T["t"], {_first(T["t"]): -10.0}),
    "shock.capacity_cut": lambda L, T: L.shock.capacity_cut(T["t"], {_first(T["t"]): 0.1}),
    "shock.import_cut": lambda L, T: L.shock.import_cut(T["t"], {_first(T["t"]): 0.1}),
    "shock.disruption": lambda L, T: L.shock.disruption(T["t"], capacity={_first(T["t"]): 0.1}),
    "shock.inoperability": lambda L, T: L.shock.inoperability(T["t"], {_first(T["t"]): 0.1}),
    "shock.compare_supply": lambda L, T: L.shock.compare_supply(T["t"], {_first(T["t"]): 0.1}),
    "shock.recovery": lambda L, T: L.shock.recovery(T["t"], {_first(T["t"]): 0.1},
                                                    recovery_days=30),
    "montecarlo": lambda L, T: L.montecarlo(T["t"], pd.Series({_first(T["t"]): 100.0}),
                                            draws=20),
    "footprint": lambda L, T: L.footprint(T["t"]),
    "sda": lambda L, T: L.sda(T["t18"], T["t"]),
    "gvc.decompose": lambda L, T: L.gvc.decompose(T["m"]),
    "gvc.participation": lambda L, T: L.gvc.participation(T["m"]),
    "gvc.position": lambda L, T: L.gvc.position(T["m"]),
    "cost_push": lambda L, T: L.cost_push(T["t"], wage_rise=0.1),
    "prices.value_added_prices": lambda L, T: L.prices.value_added_prices(T["t"]),
    "cbam_exposure": lambda L, T: L.cbam_exposure(T["t"], price_gap=80.0, eur_cny=7.8),
}
# the cases above that run on the toy MRIO alone (no shared data needed)
ON_TOY = {"regions.spillover", "regions.induced", "regions.trade_value_added",
          "value_added_matrix", "twin", "regions.complementarity", "gvc.decompose",
          "gvc.participation", "gvc.position"}
# public names that are not analyses (they build or read the inputs analyses take)
NOT_ANALYSES = {
    "IOTable": "the table class", "Satellite": "the satellite class", "load": "reads a table",
    "leontief_inverse": "the inverse matrix L itself (a building block, not a question)",
    "ghosh_inverse": "the inverse matrix G itself (a building block, not a question)",
    "tracks": "the track catalogue chain/weaklinks take",
    "regionalize": "builds a regional IOTable", "gras": "balances a matrix (a method)",
    "employment_satellite": "adds a satellite to a table",
    "co2_satellite": "adds a satellite to a table", "read_demand": "parses a demand file",
    "build_china_mrio": "builds the China MRIO IOTable",
    "aggregate_regions": "builds an aggregated IOTable",
    "regions.block_factor": "an LU (a helper)", "regions.final_demand_by_region": "a helper",
    "regions.gross_exports": "an array helper", "regions.positions": "a helper",
    "regions.region_intensities": "a helper", "regions.require_mrio": "a check",
    "regions.resolve_region": "a lookup", "regions.records": "rows of a frame for to_dict",
    "shock.by_sector": "an input parser",
    "shock.mixed_solve": "the array solver under mixed()",
    "shock.resilience": "recovery rates from times (an input to recovery)",
    "gvc.prepare": "the array system the decompositions share",
    "cbam.mapping": "the shipped mapping table",
}


def _public_names():
    """Every public callable reachable from ``lianpu``: the lazy table's functions, and the
    functions of the modules it exposes (``lianpu.shock.ghosh`` …), plus multipliers."""
    import lianpu
    names = {"multipliers"} | {n for n, (_m, attr) in lianpu._LAZY.items() if attr is not None}
    top = {id(getattr(lianpu, n)) for n in names}       # lianpu.regions.value_added_matrix is
    for name, (module, attr) in lianpu._LAZY.items():   # lianpu.value_added_matrix: once
        if attr is not None:
            continue
        mod = importlib.import_module(module)
        public = getattr(mod, "__all__", None) or [
            n for n in vars(mod) if not n.startswith("_")
            and inspect.isfunction(vars(mod)[n]) and vars(mod)[n].__module__ == mod.__name__]
        names.update(f"{name}.{n}" for n in public if inspect.isfunction(getattr(mod, n, None))
                     and id(getattr(mod, n)) not in top)
    return names


def test_every_public_name_is_classified():
    """A new public function must be added to ANALYSES (and return a Result) or NOT_ANALYSES."""
    missing = _public_names() - set(ANALYSES) - set(NOT_ANALYSES)
    assert not missing, f"classify these public names: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_public_analysis_returns_a_result_with_strict_json(name, toy, request):
    import lianpu
    from lianpu.analysis._result import Result
    tables = {"m": toy} if name in ON_TOY else request.getfixturevalue("national")
    r = ANALYSES[name](lianpu, tables)
    assert isinstance(r, Result), f"lianpu.{name} returned {type(r).__name__}, not a Result"
    d = json.loads(r.to_json(), parse_constant=_no_constant)
    assert isinstance(d, dict) and "unit" in d and "basis" in d, \
        f"lianpu.{name}(...).to_json() lacks unit/basis: keys {sorted(d)[:12]}"


# ----------------------------------------------------------------------------- sparse storage
def _sparse(t):
    """The same table with Z held as a scipy.sparse CSR array (issue 17)."""
    import scipy.sparse as sp
    s = t.evolve(Z_=sp.csr_array(t.Z_))
    assert s.storage == "sparse" and t.storage == "dense"
    return s


def _same(a, b, path="$"):
    """JSON values equal, numbers to a relative 1e-9 (a sparse table's multipliers come from a
    different factorization of the same I − A, so the last digits may differ)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys {set(a) ^ set(b)}"
        for k in a:
            if not k.endswith("_seconds"):  # a stopwatch, not a result
                _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (u, v) in enumerate(zip(a, b)):
            _same(u, v, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert b is not None and a is not None, f"{path}: {a!r} vs {b!r}"
        assert abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300) + 1e-12, f"{path}: {a!r} vs {b!r}"
    else:
        assert a == b, f"{path}: {a!r} vs {b!r}"


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_every_analysis_gives_the_same_answer_on_sparse_storage(name, toy, request):
    """Expected: the dense run of the same analysis on the same table (the reference is the
    existing dense path, itself checked against textbooks and peers in its own tests)."""
    import lianpu
    tables = {"m": toy} if name in ON_TOY else request.getfixturevalue("national")
    dense = json.loads(ANALYSES[name](lianpu, tables).to_json())
    sparse = json.loads(ANALYSES[name](lianpu, {k: _sparse(v) for k, v in tables.items()})
                        .to_json())
    _same(dense, sparse)
