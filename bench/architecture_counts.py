"""Architecture counts of a lianpu source tree (issue 11's closing note), read with ``ast`` only.

    python bench/architecture_counts.py                   # src/lianpu of this checkout
    python bench/architecture_counts.py --root DIR        # another checkout's src/lianpu
    python bench/architecture_counts.py --json            # the same as JSON

Nothing is imported from the tree that is counted, so an old commit can be measured from a
worktree (``git worktree add /tmp/base 446369e``; ``--root /tmp/base/src/lianpu``).
tests/test_architecture.py imports these functions (one definition of every rule).

What is counted, and how:

- **import circles**: strongly connected components (Tarjan) of size > 1 of the graph
  module → module it imports, built from every ``import``/``from … import`` statement in
  the file (module level, inside functions, under ``if``/``try``), relative imports resolved
  against the importing module's package. ``from pkg import name`` is an edge to the module
  ``pkg.name`` when that module exists, else to ``pkg`` itself. The root package's lazy
  ``_LAZY`` table is strings read by ``importlib``, so it is not an import statement and is
  not in the graph.
- **copied helpers** (definitions, i.e. ``def`` statements):
  code-to-string: ``def code_str``, and any function whose body is the one-liner
  ``"/".join(map(str, c)) if isinstance(c, tuple) else str(c)`` (``_code``, ``_c``, ``_key``
  …; a function of another shape, such as the CHNIO reader's cell parser ``_code``, is not);
  JSON conversion: ``def jsonable/_jsonable/_plain/_frame_json/_json_default/dumps``;
  language check: ``def check_lang`` and any other function that tests ``lang in ("zh",
  "en")`` (a literal zh/en collection or a name ``LANGS``);
  number formatter: ``def fmt_num/_fmt/_num`` returning text (a ``_num`` that parses a cell
  to a float, or cleans NaN to None, is not a formatter).
  Inline copies of the code-to-string expression (outside a definition) are listed apart.
- ``def to_json`` implementations;
- ``raise ValueError(…)`` / ``raise KeyError(…)``: plain built-in types rather than the
  template's (``ArgumentError``, ``TableError`` …), and how many of them build their text
  with ``message()``; and every raise of those or of a lianpu error type whose text is
  written out in the raise (``raise TableError(f"…")``: a string, f-string, ``+``, ``%`` or
  ``.format`` of one — not a variable, not ``message(...)``);
- ``except Exception`` / ``except BaseException`` / bare ``except:``; the web's 500 handler
  (the function registered with ``exception_handler(Exception)``) is allowed one;
- modules over 600 lines;
- upward imports: a module importing one of a higher layer (:data:`LAYERS`: core → table →
  readers/data/satellites → analysis → report/web/cli), the layer rule of
  docs/architecture.md.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / "src" / "lianpu"
MAX_LINES = 600
JSON_NAMES = ("jsonable", "_jsonable", "_plain", "_frame_json", "_json_default", "dumps")
FORMATTER_NAMES = ("fmt_num", "_fmt", "_num")
LANG_SET = {"zh", "en"}
# the layers of docs/architecture.md, lowest first, by the module's first name under lianpu;
# a module may import its own layer's modules and lower layers' (the root __init__ and
# __main__ re-export or start the CLI and have no layer)
LAYERS = (("core", ("core", "atomic", "safe_text")),
          ("table", ("table", "table_labels", "table_views")),
          ("inputs", ("readers", "data", "satellites", "io", "export")),
          ("analysis", ("analysis",)),
          ("presentation", ("report", "web", "cli", "commands")))
# the built-in types users' errors were raised as, and lianpu's own (core/errors.py)
USER_ERRORS = ("ValueError", "KeyError", "LianpuError", "TableError", "BalanceError",
               "ProductivityError", "FormatError", "ConvergenceError", "ArgumentError",
               "DatasetError", "DownloadError")


@dataclass
class Module:
    name: str            # dotted, e.g. lianpu.analysis.chains.chainmap
    path: Path
    rel: str             # path relative to the tree's parent, e.g. lianpu/cli.py
    tree: ast.Module
    lines: int
    is_package: bool


@dataclass
class Found:
    """One place a rule matched: ``file:line`` and the function (or '-')."""

    rel: str
    line: int
    what: str = ""

    def __str__(self) -> str:
        return f"{self.rel}:{self.line}" + (f" {self.what}" if self.what else "")


@dataclass
class Counts:
    root: str
    modules: int
    circles: list = field(default_factory=list)          # list of sorted member lists
    code_str: list = field(default_factory=list)
    code_str_inline: list = field(default_factory=list)
    json: list = field(default_factory=list)
    lang_check: list = field(default_factory=list)
    formatter: list = field(default_factory=list)
    to_json: list = field(default_factory=list)
    plain_raises: list = field(default_factory=list)
    plain_raises_message: int = 0
    hand_raises: list = field(default_factory=list)
    broad_except: list = field(default_factory=list)
    broad_except_allowed: list = field(default_factory=list)
    long_modules: list = field(default_factory=list)      # (rel, lines)
    upward: list = field(default_factory=list)            # (importer, imported) across layers

    def summary(self) -> dict:
        return {
            "modules": self.modules,
            "import circles": len(self.circles),
            "modules in circles": sum(len(c) for c in self.circles),
            "code-to-string definitions": len(self.code_str),
            "code-to-string inline copies": len(self.code_str_inline),
            "JSON conversion definitions": len(self.json),
            "language check definitions": len(self.lang_check),
            "number formatter definitions": len(self.formatter),
            "to_json implementations": len(self.to_json),
            "plain raise ValueError/KeyError": len(self.plain_raises),
            "  of which text by message()": self.plain_raises_message,
            "raises with text written in the raise": len(self.hand_raises),
            "except Exception / bare (outside the 500 handler)": len(self.broad_except),
            f"modules over {MAX_LINES} lines": len(self.long_modules),
            "upward imports (a lower layer importing a higher)": len(self.upward),
        }

    def to_dict(self) -> dict:
        s = lambda xs: [str(x) for x in xs]  # noqa: E731
        return {"root": self.root, "summary": self.summary(), "circles": self.circles,
                "code_str": s(self.code_str), "code_str_inline": s(self.code_str_inline),
                "json": s(self.json), "lang_check": s(self.lang_check),
                "formatter": s(self.formatter), "to_json": s(self.to_json),
                "plain_raises": s(self.plain_raises), "hand_raises": s(self.hand_raises),
                "broad_except": s(self.broad_except),
                "broad_except_allowed": s(self.broad_except_allowed),
                "long_modules": [list(x) for x in self.long_modules],
                "upward": [list(x) for x in self.upward]}


# ------------------------------------------------------------------------------ reading
def read_tree(root: Path) -> dict[str, Module]:
    """Every ``.py`` under ``root`` (a package folder such as src/lianpu), by dotted name."""
    root = Path(root).resolve()
    mods = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        text = path.read_text(encoding="utf-8")
        name = ".".join(parts)
        mods[name] = Module(name, path, path.relative_to(root.parent).as_posix(),
                            ast.parse(text, filename=str(path)), len(text.splitlines()), is_pkg)
    return mods


# ------------------------------------------------------------------------------ imports
def _resolve(mod: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    pkg = mod.name.split(".") if mod.is_package else mod.name.split(".")[:-1]
    base = pkg[:len(pkg) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known(name: str, mods) -> str | None:
    """``name`` or its longest prefix that is a module of the tree (None if external)."""
    parts = name.split(".")
    while parts:
        cand = ".".join(parts)
        if cand in mods:
            return cand
        parts.pop()
    return None


def import_graph(mods: dict[str, Module]) -> dict[str, set[str]]:
    """module → modules of the tree it imports (every import statement, anywhere in it)."""
    graph = {name: set() for name in mods}
    for name, mod in mods.items():
        for node in ast.walk(mod.tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, node)
                for a in node.names:
                    sub = f"{base}.{a.name}" if base else a.name
                    targets.append(sub if sub in mods else base)
            for t in targets:
                k = _known(t, mods)
                if k is not None and k != name:
                    graph[name].add(k)
    return graph


def layer(name: str) -> int | None:
    """Index in :data:`LAYERS` of a dotted module name (None: the root package, __main__)."""
    parts = name.split(".")[1:]
    if not parts:
        return None
    for i, (_label, heads) in enumerate(LAYERS):
        if parts[0] in heads:
            return i
    return None


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs where the imported module sits in a higher layer."""
    out = []
    for a, targets in graph.items():
        la = layer(a)
        for b in targets:
            lb = layer(b)
            if la is not None and lb is not None and lb > la:
                out.append((a, b))
    return sorted(out)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return sorted(out, key=lambda c: (-len(c), c))


# ------------------------------------------------------------------------------ shapes
def _functions(tree):
    """(function node, enclosing function names) for every def in the tree."""
    out = []

    def visit(node, chain):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((child, chain))
                visit(child, chain + (child,))
            else:
                visit(child, chain)
    visit(tree, ())
    return out


def _is_code_expr(node) -> bool:
    """``"/".join(map(str, c)) if isinstance(c, tuple) else …`` (either branch order)."""
    if not isinstance(node, ast.IfExp):
        return False
    t = node.test
    if not (isinstance(t, ast.Call) and isinstance(t.func, ast.Name) and t.func.id == "isinstance"
            and len(t.args) == 2 and isinstance(t.args[1], ast.Name) and t.args[1].id == "tuple"):
        return False
    b = node.body
    return (isinstance(b, ast.Call) and isinstance(b.func, ast.Attribute) and b.func.attr == "join"
            and isinstance(b.func.value, ast.Constant) and b.func.value.value == "/")


def _body(fn) -> list:
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def _is_code_def(fn) -> bool:
    if fn.name == "code_str":
        return True
    body = _body(fn)
    return len(body) == 1 and isinstance(body[0], ast.Return) and _is_code_expr(body[0].value)


def _is_lang_collection(node) -> bool:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        vals = {e.value for e in node.elts if isinstance(e, ast.Constant)}
        return len(node.elts) == 2 and vals == LANG_SET
    if isinstance(node, ast.Name):
        return node.id == "LANGS"
    return isinstance(node, ast.Attribute) and node.attr == "LANGS"


def _checks_lang(fn) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn))
                                                 for op in node.ops):
            if any(_is_lang_collection(c) for c in node.comparators):
                return True
    return False


def _returns_text(fn) -> bool:
    ann = fn.returns
    if isinstance(ann, ast.Name):
        return ann.id == "str"
    if isinstance(ann, ast.Constant):
        return ann.value == "str"
    for node in ast.walk(fn):
        if isinstance(node, ast.Return) and node.value is not None:
            for v in ast.walk(node.value):
                if isinstance(v, ast.JoinedStr):
                    return True
                if isinstance(v, ast.Call) and isinstance(v.func, (ast.Name, ast.Attribute)):
                    fname = v.func.id if isinstance(v.func, ast.Name) else v.func.attr
                    if fname in ("format", "str", "fmt_num", "fmt_pct"):
                        return True
    return False


def _is_broad(handler: ast.ExceptHandler) -> bool:
    t = handler.type
    names = t.elts if isinstance(t, ast.Tuple) else [t]
    return t is None or any(isinstance(n, ast.Name) and n.id in ("Exception", "BaseException")
                            for n in names)


def _is_500_handler(fn) -> bool:
    """The function registered with ``@app.exception_handler(Exception)``."""
    for d in fn.decorator_list:
        if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) \
                and d.func.attr == "exception_handler" and d.args \
                and isinstance(d.args[0], ast.Name) and d.args[0].id == "Exception":
            return True
    return False


def _uses_message(call: ast.Call) -> bool:
    for node in ast.walk(call):
        if isinstance(node, ast.Call) and node is not call:
            f = node.func
            if (isinstance(f, ast.Name) and f.id == "message") or \
                    (isinstance(f, ast.Attribute) and f.attr == "message"):
                return True
    return False


def _literal_text(node) -> bool:
    """Text written out in the raise itself: a string, an f-string, their ``+``/``%``/
    ``.format`` (a variable or a ``message(...)`` call is not)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return _literal_text(node.func.value)
    return False


def _enclosing(tree) -> dict:
    """node → innermost enclosing function name (for the report)."""
    where = {}
    for fn, _chain in _functions(tree):
        for node in ast.walk(fn):
            where[node] = fn      # inner functions come later and overwrite: innermost wins
    return where


# ------------------------------------------------------------------------------ counting
def count(root=DEFAULT_ROOT) -> Counts:
    mods = read_tree(Path(root))
    c = Counts(root=str(root), modules=len(mods))
    graph = import_graph(mods)
    c.circles = circles(graph)
    c.upward = upward_imports(graph)
    for mod in mods.values():
        fns = _functions(mod.tree)
        where = _enclosing(mod.tree)
        outer = {id(fn): chain for fn, chain in fns}
        in_code_def = set()
        for fn, chain in fns:
            f = Found(mod.rel, fn.lineno, fn.name)
            if _is_code_def(fn):
                c.code_str.append(f)
                in_code_def.update(id(n) for n in ast.walk(fn))
            if fn.name in JSON_NAMES:
                c.json.append(f)
            if fn.name == "check_lang" or (_checks_lang(fn) and not any(
                    _checks_lang(inner) for inner, ch in fns if fn in ch)):
                c.lang_check.append(f)
            if fn.name in FORMATTER_NAMES and _returns_text(fn):
                c.formatter.append(f)
            if fn.name == "to_json":
                c.to_json.append(f)
        for node in ast.walk(mod.tree):
            fn = where.get(node)
            name = fn.name if fn is not None else "-"
            if _is_code_expr(node) and id(node) not in in_code_def:
                c.code_str_inline.append(Found(mod.rel, node.lineno, name))
            elif isinstance(node, ast.Raise) and node.exc is not None:
                e = node.exc
                f = e.func if isinstance(e, ast.Call) else e
                if isinstance(f, ast.Name) and f.id in ("ValueError", "KeyError"):
                    c.plain_raises.append(Found(mod.rel, node.lineno, name))
                    if isinstance(e, ast.Call) and _uses_message(e):
                        c.plain_raises_message += 1
                if isinstance(e, ast.Call) and isinstance(f, ast.Name) and f.id in USER_ERRORS \
                        and e.args and _literal_text(e.args[0]):
                    c.hand_raises.append(Found(mod.rel, node.lineno, name))
            elif isinstance(node, ast.ExceptHandler) and _is_broad(node):
                chain = (fn,) + outer[id(fn)] if fn is not None else ()
                allowed = any(_is_500_handler(g) for g in chain)
                (c.broad_except_allowed if allowed else c.broad_except).append(
                    Found(mod.rel, node.lineno, name))
        if mod.lines > MAX_LINES:
            c.long_modules.append((mod.rel, mod.lines))
    c.long_modules.sort(key=lambda x: -x[1])
    for items in (c.code_str, c.code_str_inline, c.json, c.lang_check, c.formatter, c.to_json,
                  c.plain_raises, c.hand_raises, c.broad_except, c.broad_except_allowed):
        items.sort(key=lambda f: (f.rel, f.line))
    return c


def _table(c: Counts) -> str:
    rows = list(c.summary().items())
    w = max(len(k) for k, _ in rows)
    out = [f"{c.root}", f"| {'count'.ljust(w)} | value |", f"|{'-' * (w + 2)}|------:|"]
    out += [f"| {k.ljust(w)} | {v:>5} |" for k, v in rows]
    return "\n".join(out)


def _details(c: Counts) -> str:
    out = []
    for i, comp in enumerate(c.circles, 1):
        out.append(f"circle {i} ({len(comp)}): " + ", ".join(comp))
    for label, items in (("code-to-string", c.code_str),
                         ("code-to-string inline", c.code_str_inline), ("JSON conversion", c.json),
                         ("language check", c.lang_check),
                         ("number formatter", c.formatter), ("to_json", c.to_json),
                         ("raise text written in the raise", c.hand_raises),
                         ("except Exception/bare", c.broad_except),
                         ("except Exception/bare in the 500 handler", c.broad_except_allowed)):
        if items:
            out.append(f"{label}: " + "; ".join(map(str, items)))
    if c.upward:
        out.append("upward imports: " + "; ".join(f"{a} → {b}" for a, b in c.upward))
    if c.long_modules:
        out.append(f"over {MAX_LINES} lines: "
                   + ", ".join(f"{r} ({n})" for r, n in c.long_modules))
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                   help="the package folder to count (default: this checkout's src/lianpu)")
    p.add_argument("--json", action="store_true", help="print the counts and places as JSON")
    p.add_argument("--details", action="store_true", help="list where each count comes from")
    a = p.parse_args(argv)
    if not (a.root / "__init__.py").is_file():
        p.error(f"--root {a.root}: not a package folder (no __init__.py)")
    c = count(a.root)
    if a.json:
        print(json.dumps(c.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_table(c))
        if a.details:
            print()
            print(_details(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
