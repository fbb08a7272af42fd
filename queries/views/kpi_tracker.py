"""What the strategy KPI page (総合戦略 KPI 進捗, pages/kpi_tracker.py) shows: the plan choices of an area, the filter
options of a plan, the count table of the summary, the source legend, the indicator picker labels and the detail
chart's arguments — texts in the language asked for, frames with display column names.
"""
from __future__ import annotations

import pandas as pd

from charts import kpi as kcharts
from i18n import tr as text
from kpi.tracker import detail as kpi_detail
from queries import kpi as kq

#: the plan selector's entry inviting to create a plan for the area.
NEW = "new"
#: the view state a new plan starts from its own defaults (rule, evaluation year, filters, chosen indicator).
PAGE_KEYS = ("rule", "asof", "goal", "dept", "kpi")
#: the columns of the KPI table, in display order.
TABLE_ORDER = ["goal", "kpi", "grade", "progress", "trend", "actual", "target", "baseline", "reason", "origin",
               "department", "recorded", "note"]


def plan_choices(area_code: str, area_name: str, lang: str) -> tuple[list, dict, str]:
    """(ids, names, default): every plan plus NEW, their display names, and the plan the area picker preselects —
    that area's plan or, for an area without one, the invitation to create it (never another municipality's)."""
    plans = kq.plans()
    ids = plans["plan_id"].tolist() + [NEW]
    names = dict(zip(plans["plan_id"], plans["plan" if lang == "ja" else "plan_en"]))
    names[NEW] = text("kpi_plan_new", lang, area=area_name)
    return ids, names, kq.default_plan(area_code) or NEW


def filter_options(plan_id: str, rule: str, as_of: str, lang: str) -> tuple[list, list]:
    """(goal keys in plan order, departments sorted) of the plan's graded KPIs."""
    graded = kq.view(plan_id, rule, as_of, lang=lang)["graded"]
    goal_keys = list(dict.fromkeys(graded.apply(kq.goal_key, axis=1)))
    departments = sorted({d for d in graded["department"] if isinstance(d, str)})
    return goal_keys, departments


def counts_table(counts: pd.DataFrame, rule: str, lang: str) -> pd.DataFrame:
    """The summary's counts per basic goal with display column names (grade words of `rule`)."""
    labels = kcharts.grade_labels(rule, lang)
    return counts.rename(columns={"goal": text("kpi_col_goal", lang), "n": text("kpi_n", lang),
                                  "good": labels["good"], "short": labels["short"], "other": labels["other"],
                                  "ungraded": text("kpi_grade_none", lang), "numeric": text("kpi_col_numeric", lang)})


def origin_legend(plan: dict, lang: str) -> str:
    """The note under the summary: what the origins mean, and for a plan made in the app where it comes from."""
    user = "" if plan["origin"] != "user" else "  \n" + text("kpi_user_plan_source", lang)
    return text("kpi_origin_legend", lang) + user


def pick_labels(table: pd.DataFrame) -> dict:
    """kpi_id -> 'goal｜KPI', the indicator picker's labels."""
    return dict(zip(table["kpi_id"], table["goal"] + "｜" + table["kpi"]))


def detail(shown: pd.DataFrame, table: pd.DataFrame, values: pd.DataFrame, pick: str, lang: str) -> dict:
    """The chosen indicator's detail: dict(series (kpi.tracker.detail: actual, path, projection), title, note)."""
    row = shown[shown["kpi_id"] == pick].iloc[0].to_dict()
    unit = row["unit"] if isinstance(row["unit"], str) and row["unit"] else "—"
    name = table.loc[table["kpi_id"] == pick, "kpi"].iat[0]
    return {"series": kpi_detail(row, values), "title": text("kpi_chart_detail", lang, kpi=name, unit=unit),
            "note": text("kpi_detail_note", lang, link=kq.link_text(row, lang))}
