"""Roles of final-use columns and primary-input rows, carried as data by a table's labels.

Every final-use column of an :class:`~lianpu.IOTable` has a *role* (``final_demand_labels
["role"]``) and every primary-input row one too (``primary_labels["role"]``). Readers set
them from the codes of their own format; tables built by hand (``from_arrays``,
``from_frames``, the generic template) get them from :func:`infer_fd_role` /
:func:`infer_primary_role`, which know the standard codes (SNA/ESA 2010 ``P3_S14`` …,
the NBS ``FU101`` …, OECD, WIOD) and common labels in Chinese and English, or from an
explicit ``roles=`` argument. Analyses ask for roles, never for codes: this module is the
one place where a code turns into a meaning.

Sign convention: ``import``, ``inflow`` and ``trade_in`` columns are *negative* uses (supply
from outside the economy), so that Y·1 = x − Z·1 holds on a competitive table.
"""
from __future__ import annotations

import re

#: final-use roles → (中文, English)
FD_ROLES: dict[str, tuple[str, str]] = {
    "household": ("居民消费", "household consumption"),
    "npish": ("为住户服务的非营利机构消费", "consumption of non-profit institutions serving households"),
    "government": ("政府消费", "government consumption"),
    "consumption": ("最终消费（居民与政府合计）", "final consumption (households and government together)"),
    "consumption_abroad": ("居民境外直接购买", "direct purchases abroad by residents"),
    "investment": ("固定资本形成", "gross fixed capital formation"),
    "inventory": ("存货变动", "changes in inventories"),
    "capital": ("资本形成总额", "gross capital formation (fixed capital and inventories together)"),
    "export": ("出口", "exports abroad"),
    "nonresident": ("非居民境内直接购买", "direct purchases by non-residents"),
    "outflow": ("国内省外流出", "outflow to other provinces"),
    "trade_out": ("流出（出口与省外流出合计）", "outflow (exports and outflow to other provinces together)"),
    "net_outflow": ("净流出", "net outflow (outflows less inflows)"),
    "import": ("进口", "imports from abroad"),
    "inflow": ("国内省外流入", "inflow from other provinces"),
    "trade_in": ("流入（进口与省外流入合计）", "inflow (imports and inflow from other provinces together)"),
    "discrepancy": ("其他（误差项）", "statistical discrepancy"),
    "other": ("其他最终使用", "other final use"),
}

#: groups of final-use roles, by question
CONSUMPTION = frozenset({"household", "npish", "government", "consumption", "consumption_abroad"})
CAPITAL = frozenset({"investment", "inventory", "capital"})
#: sales that leave the economy of the table abroad (the national "exports")
EXPORTS = frozenset({"export", "nonresident"})
#: sales that leave a province (abroad or to other provinces)
OUTFLOWS = frozenset({"export", "nonresident", "outflow", "trade_out", "net_outflow"})
#: negative-signed supply from abroad / other provinces
IMPORTS = frozenset({"import"})
INFLOWS = frozenset({"inflow"})
SUPPLY_FROM_OUTSIDE = frozenset({"import", "inflow", "trade_in"})
#: household consumption proper (what a Type II closure should close)
HOUSEHOLDS = frozenset({"household", "npish"})
#: columns where negative entries are legitimate
NEGATIVE_OK_FD = frozenset({"inventory", "capital", "investment", "import", "inflow", "trade_in",
                            "net_outflow", "discrepancy", "consumption_abroad", "nonresident",
                            "other"})

#: primary-input roles → (中文, English)
PRIMARY_ROLES: dict[str, tuple[str, str]] = {
    "compensation": ("劳动者报酬", "compensation of employees"),
    "production_taxes": ("生产税净额", "net taxes on production"),
    "depreciation": ("固定资产折旧", "depreciation of fixed assets"),
    "surplus": ("营业盈余", "operating surplus"),
    "value_added": ("增加值", "value added"),
    "product_taxes": ("产品税净额", "net taxes on products"),
    "imports": ("进口（作为初始投入）", "imports (as a primary input)"),
    "other": ("其他初始投入", "other primary input"),
}
#: primary rows that are part of value added (GDP at the table's prices)
VALUE_ADDED = frozenset({"compensation", "production_taxes", "depreciation", "surplus",
                         "value_added"})
NEGATIVE_OK_VA = frozenset({"production_taxes", "product_taxes", "surplus", "value_added", "other"})

# ---------------------------------------------------------------- standard codes and labels
# Codes as published by the sources lianpu reads, and the SNA 2008 / ESA 2010 codes user
# tables use. Matched exactly (case-insensitive) on the last label level.
_FD_CODES = {
    # NBS
    "FU101": "household", "FU102": "household", "THC": "household", "FU103": "government",
    "TC": "consumption", "FU201": "investment", "FU202": "inventory", "GCF": "capital",
    "EX": "export", "IM": "import", "ERR": "discrepancy",
    # NBS provincial tables (CHNIO): 2012/2017 OF/IF, 2007 FU302/FU304, 2002 NOF
    "OF": "outflow", "IF": "inflow", "FU302": "trade_out", "FU304": "trade_in",
    "NOF": "net_outflow",
    # OECD IOTs
    "HFCE": "household", "NPISH": "npish", "GGFC": "government", "GFCF": "investment",
    "INVNT": "inventory", "CONS_ABR": "consumption_abroad", "CONS_NONRES": "nonresident",
    "EXPO": "export", "IMPO": "import",
    # WIOD
    "CONS_H": "household", "CONS_NP": "npish", "CONS_G": "government", "INVEN": "inventory",
    # SNA 2008 / ESA 2010
    "P3": "consumption", "P3_S14": "household", "P3_S15": "npish", "P3_S13": "government",
    "P31_S14": "household", "P31_S15": "npish", "P3_S1M": "household", "P31_S13": "government",
    "P32_S13": "government", "P5": "capital", "P51": "investment", "P51G": "investment",
    "P52": "inventory", "P53": "inventory", "P52_P53": "inventory", "P6": "export",
    "P61": "export", "P62": "export", "P7": "import", "P71": "import", "P72": "import",
    "P33": "nonresident", "P34": "consumption_abroad",
    # ESA 2010 bare and joined codes (Eurostat naio_10_*, ONS supply-use/IOAT code columns):
    # P31 individual consumption (households, NPISH and the individual part of government),
    # P32 collective consumption (government only), P5G/P5M gross capital formation
    "P31": "consumption", "P32": "government", "P3_S1": "consumption", "P5G": "capital",
    "P5M": "capital", "P51_S1": "investment", "P52_S1": "inventory", "P53_S1": "inventory",
    "P5X": "capital", "P6_S2": "export", "P7_S2": "import",
    # the generic template's and tests' short codes
    "HH": "household", "HOUSEHOLD": "household", "HOUSEHOLDS": "household",
    "GOV": "government", "GOVERNMENT": "government", "INV": "investment",
    "INVESTMENT": "investment", "CHINV": "inventory", "INVENTORY": "inventory",
    "EXPORTS": "export", "EXPORT": "export", "IMPORTS": "import", "IMPORT": "import",
}
# label keywords (English lower-case, or Chinese), tried in order; the first match wins
_FD_WORDS = [
    (r"non-?profit|npish|为住户服务", "npish"),
    (r"non-?residents?|非居民", "nonresident"),
    (r"residents? abroad|purchases abroad|境外", "consumption_abroad"),
    (r"inventor|stocks?\b|valuables|存货|贵重物品", "inventory"),
    (r"fixed capital|gfcf|固定资本", "investment"),
    (r"capital formation|资本形成", "capital"),
    (r"inflow|from other provinces|流入", "inflow"),
    (r"outflow|to other provinces|流出", "outflow"),
    (r"re-?exports?|exports?|出口", "export"),
    (r"imports?|进口", "import"),
    (r"discrepanc|误差|其他", "discrepancy"),
    (r"household|private consumption|居民|住户|农村|城镇", "household"),
    (r"government|general gov|public consumption|政府", "government"),
    (r"total consumption|final consumption|最终消费", "consumption"),
]

_PRIMARY_CODES = {
    "VA001": "compensation", "VA002": "production_taxes", "VA003": "depreciation",
    "VA004": "surplus", "VALU": "value_added", "VA": "value_added",
    "TXS_INT_FNL": "product_taxes", "TXS_IMP_FNL": "product_taxes",
    "D1": "compensation", "D11": "compensation", "D29": "production_taxes",
    "D29X39": "production_taxes", "D29_D39": "production_taxes", "D21X31": "product_taxes",
    "D21_D31": "product_taxes", "K1": "depreciation", "P51C": "depreciation",
    "B2A3N": "surplus", "B2N_B3N": "surplus", "B2A3G": "surplus", "B1G": "value_added",
    "COMPENSATION": "compensation", "WAGES": "compensation", "TAXES": "production_taxes",
    "NET_TAXES": "production_taxes", "TLS": "product_taxes", "SURPLUS": "surplus",
    "OPERATING_SURPLUS": "surplus", "DEPRECIATION": "depreciation", "IMP": "imports",
    # ESA 95 spellings (Eurostat's 1995–2007 tables, e.g. Germany 1995) and bare ESA 2010 codes
    "D21": "product_taxes", "D31": "product_taxes", "D21_M_D31": "product_taxes",
    "D29_M_D39": "production_taxes", "D39": "production_taxes", "D12": "compensation",
    "B2N": "surplus", "B3N": "surplus", "B2G_B3G": "surplus", "B2A3": "surplus",
    "P7": "imports", "P71": "imports", "P72": "imports", "IMP_CIF": "imports",
}
_PRIMARY_WORDS = [
    (r"compensation|wages|salar|labou?r income|劳动者报酬|雇员报酬|工资", "compensation"),
    (r"taxes? (less subsidies )?on products|product tax|产品税", "product_taxes"),
    (r"tax|subsid|生产税", "production_taxes"),
    (r"depreciation|consumption of fixed capital|折旧", "depreciation"),
    (r"surplus|mixed income|营业盈余|混合收入", "surplus"),
    (r"imports?|进口", "imports"),
    (r"value added|gva|增加值", "value_added"),
]


def _last(code) -> str:
    return str(code[-1] if isinstance(code, tuple) else code)


def _by_words(words, texts) -> str | None:
    for text in texts:
        t = str(text or "").strip().lower()
        if not t:
            continue
        for pattern, role in words:
            if re.search(pattern, t):
                return role
    return None


def _infer(codes: dict, words: list, code, name_zh: str, name_en: str) -> str:
    c = _last(code).strip()
    return codes.get(c.upper()) or _by_words(words, (name_en, name_zh, c)) or "other"


def infer_fd_role(code, name_zh: str = "", name_en: str = "") -> str:
    """The role of a final-use column from its code (last level), else its labels, else
    ``"other"``."""
    return _infer(_FD_CODES, _FD_WORDS, code, name_zh, name_en)


def infer_primary_role(code, name_zh: str = "", name_en: str = "") -> str:
    """The role of a primary-input row from its code, else its labels, else ``"other"``."""
    return _infer(_PRIMARY_CODES, _PRIMARY_WORDS, code, name_zh, name_en)


def check_role(role: str, kind: str = "fd") -> str:
    """``role`` if it is a known final-use (kind='fd') or primary (kind='primary') role."""
    known = FD_ROLES if kind == "fd" else PRIMARY_ROLES
    if role not in known:
        from .errors import ArgumentError, message
        raise ArgumentError(message("roles", f"unknown {'final-use' if kind == 'fd' else 'primary-input'} role",
                                    found=repr(role), expected=f"one of {sorted(known)}"))
    return role


def role_name(role: str, lang: str = "zh") -> str:
    zh, en = FD_ROLES.get(role) or PRIMARY_ROLES.get(role) or (role, role)
    return zh if lang == "zh" else en
