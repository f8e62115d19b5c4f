"""The accounting basis 计算口径 of every analysis, decided in one place.

A competitive table (imports mixed with domestic products, a negative ``import`` column) can be
analysed as published — A then includes imported inputs, so multipliers count output that
happens abroad — or in its **domestic view** (import proportionality, :meth:`IOTable.domestic`).
A provincial table with inflows from other provinces has, in addition, a **local view**
(本地视角: imports from abroad *and* inflows from other provinces removed,
:meth:`IOTable.local`). A non-competitive table is domestic as published.

:func:`resolve_basis` is the only function that chooses; every analysis calls it (CLI, Python
API, report and dashboard therefore agree), and every result records the :class:`Basis` it used.

Default (``basis="auto"``): the local view for a provincial table with inflows, else the
domestic view wherever imports can be separated, else the table as published (and the result
says imports could not be separated).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core import roles
from ..core.errors import ArgumentError, message
from ..core.notes import Note

#: the bases a user can ask for (CLI ``--basis``)
BASES = ("auto", "published", "domestic", "local")


@dataclass(frozen=True)
class Basis:
    """Which view of the table an analysis used, and what that means for its numbers."""

    name: str          # "published" | "domestic" | "local"
    method: str        # how the view was made (machine-readable)
    note_en: str
    note_zh: str
    requested: str = "auto"

    def text(self, lang: str = "en") -> str:
        return self.note_zh if lang == "zh" else self.note_en

    def to_dict(self) -> dict:
        return {"basis": self.name, "method": self.method, "requested": self.requested,
                "note_en": self.note_en, "note_zh": self.note_zh}

    def __str__(self) -> str:
        return self.note_en


_NOTES = {
    "published-competitive": (
        "competitive table as published: A includes imported inputs (imports are not "
        "leakages, so multipliers count output made abroad)",
        "竞争型表按原表计算：直接消耗系数含进口中间品（进口不作为漏出，乘数包含境外生产）"),
    "published-noimports": (
        "competitive table without an imports column: A includes imported inputs (imports "
        "cannot be separated)",
        "竞争型表且无进口列，系数含进口中间品（无法分离进口）"),
    "published-noncompetitive": (
        "non-competitive table: A is domestic, imports from the import block Zm",
        "非竞争型表，直接消耗系数为国内系数，进口取自进口矩阵"),
    "published-mrio": (
        "multi-regional table: imports are the flows between regions",
        "多区域表，进口为区域间流量"),
    "domestic-proportionality": (
        "competitive table: domestic view by import proportionality (each user of product i "
        "imports the same share of it)",
        "竞争型表，按进口比例法转为国内（非竞争型）视角（各使用者对产品i的进口比例相同）"),
    "domestic-mrio-proportionality": (
        "multi-regional table: imports are the flows between regions; imports from abroad "
        "split by import proportionality",
        "多区域表，进口为区域间流量；境外进口按进口比例法分离"),
    "local-proportionality": (
        "provincial table: local view (imports from abroad and inflows from other provinces "
        "removed from every use in proportion; the two leakages kept apart)",
        "省级表本地视角：按比例从各项使用中扣除进口（境外）和省外流入（国内其他省份），两类漏出分开列示"),
    "local-as-given": (
        "provincial table in its local view (imports and inflows separated)",
        "省级表本地视角（进口与省外流入已分离）"),
}


def note_text(note, lang: str = "en") -> str:
    """A basis note in ``lang``: a :class:`Basis`, or its ``note_en`` as results carry it (a
    :class:`~lianpu.core.notes.Note`, its Chinese in ``.zh``); other text as written."""
    if hasattr(note, "text"):
        return note.text(lang)
    return str(note)


def _basis(name, method, requested) -> Basis:
    en, zh = _NOTES[method]
    return Basis(name, method, Note(en, zh), zh, requested)


def can_separate_imports(table) -> bool:
    return table.imports == "non-competitive" or bool(table.fd_positions(roles.IMPORTS))


def has_inflows(table) -> bool:
    """A provincial table whose inflows are published (apart from imports, 2012/2017; or as
    one 'inflow' column with imports, 2007 FU304 — its local view removes them as one
    leakage)."""
    return getattr(table, "Zr_", None) is not None or bool(
        table.fd_positions(roles.INFLOWS | {"trade_in"}))


def check_basis(basis: str, argument: str = "basis") -> str:
    if basis not in BASES:
        raise ArgumentError(message(None, "unknown accounting basis", argument=argument,
                                    found=repr(basis), expected=f"one of {list(BASES)}"))
    return basis


def resolve_basis(table, basis: str = "auto", *, sparse_ok: bool = False):
    """(table to analyse, :class:`Basis`): the one rule for the accounting basis.

    ``basis``: ``"auto"`` (default: local view of a provincial table with inflows, else the
    domestic view where imports can be separated, else as published), ``"published"``,
    ``"domestic"`` or ``"local"``. Views are cached on the immutable table (one view, one LU).
    ``sparse_ok``: the caller works on a sparse Z (``table.storage == "sparse"``) as stored;
    otherwise a sparse table is analysed through :meth:`lianpu.IOTable.dense` (made once).
    """
    check_basis(basis)
    if not sparse_ok:
        table = table.dense()
    local_given = getattr(table, "Zr_", None) is not None
    if local_given:
        if basis == "published":
            raise ArgumentError(message(table.name, "the table is already a local view; "
                                        "load the published provincial table instead",
                                        argument="basis", found="'published'"))
        return table, _basis("local", "local-as-given", basis)
    if basis == "published":
        return table, _basis("published", _published_method(table), basis)
    if basis == "local" or (basis == "auto" and has_inflows(table)):
        if not has_inflows(table):
            raise ArgumentError(message(
                table.name, "the local view needs a provincial table with inflows from other "
                "provinces", argument="basis", found="no column with the role 'inflow'",
                expected="a cn-prov-2012-… or cn-prov-2017-… table (columns IF/OF), or "
                         "basis 'domestic'"))
        local = getattr(table, "local", None)
        if local is None:  # pragma: no cover - the provincial view is built by IOTable.local
            raise ArgumentError(message(table.name, "this lianpu has no local view",
                                        argument="basis"))
        return local(), _basis("local", "local-proportionality", basis)
    # domestic (asked, or auto without inflows)
    if table.imports == "non-competitive":
        return table, _basis("domestic", _published_method(table), basis)
    if table.fd_positions(roles.IMPORTS):
        method = ("domestic-mrio-proportionality" if table.is_multiregional
                  else "domestic-proportionality")
        return table.domestic(), _basis("domestic", method, basis)
    if basis == "domestic":
        raise ArgumentError(message(
            table.name, "imports cannot be separated: no final-use column has the role "
            "'import'", argument="basis", found=f"roles {sorted(set(table.fd_roles))}",
            expected="a competitive table with an imports column, a non-competitive table, "
                     "or basis 'published'"))
    return table, _basis("published", _published_method(table), basis)


def given_basis(table) -> Basis:
    """The :class:`Basis` of ``table`` taken as it is passed (no view chosen): for functions
    that work on the table they are given (explicit inverses, position measures, extraction)
    so that their results still say which basis their numbers are on."""
    if getattr(table, "Zr_", None) is not None:
        return _basis("local", "local-as-given", "as given")
    method = _published_method(table)
    name = "domestic" if method == "published-noncompetitive" else "published"
    return _basis(name, method, "as given")


def _published_method(table) -> str:
    if table.imports == "non-competitive":
        return "published-mrio" if table.is_multiregional else "published-noncompetitive"
    if table.is_multiregional:
        return "published-mrio"
    if table.fd_positions(roles.IMPORTS):
        return "published-competitive"
    return "published-noimports"
