"""The dashboard's own words (the scenario form's options), zh and en. Everything the report
also says comes from the report's strings (:class:`lianpu.report.Text`); these are the few
the dashboard alone shows."""
from __future__ import annotations

from ..core.errors import check_lang

LABELS = {
    "unit_choice": ("金额单位", "Unit of amounts"),
    "local_share": ("本地采购比例", "Local purchase share"),
    "local_share_all": ("本地采购比例（各行未填时，0–1）", "Local purchase share (rows left blank, 0–1)"),
    "local_share_help": ("本地采购比例：新增需求中由本地生产者供给的部分（0–1，IMPLAN 的 LPP）；"
                         "其余视为外购漏出，直接效应 = 金额 × 比例。",
                         "Local purchase share: the part of the new demand supplied by local "
                         "producers (0–1, IMPLAN's LPP); the rest leaks out, direct effect = "
                         "amount × share."),
    "show_jobs": ("显示就业", "Show jobs"),
    "show_co2": ("显示二氧化碳排放", "Show CO2"),
    "summary": ("结果摘要", "Summary"),
    "indicator": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "direct": ("直接效应", "Direct"),
    "indirect": ("间接效应", "Indirect"),
    "induced": ("诱发效应", "Induced"),
    "total": ("合计", "Total"),
    "demand_total": ("新增需求合计", "New demand in all"),
    "local_total": ("其中本地供给（直接效应）", "of which supplied locally (direct effect)"),
    "basis": ("计算口径", "Basis"),
    "model": ("模型", "Model"),
    "satellite_used": ("已附加", "attached"),
    "satellite_missing": ("本表无此数据，未显示", "not available for this table, not shown"),
}


def label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if check_lang(lang) == "zh" else en


def labels(lang: str) -> dict:
    """Every label in ``lang`` (for a template: ``L.local_share``)."""
    check_lang(lang)
    return {k: (zh if lang == "zh" else en) for k, (zh, en) in LABELS.items()}
