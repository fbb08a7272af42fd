"""Read side of the strategy KPI tracker: plans (the official ones of the database and those officials created in
the app, kept in the user store), KPI definitions, published values, linked population series and the values
officials entered (user store, see loaders.kpi), merged and graded by kpi.tracker — both kinds of plan alike.

Units are each KPI's own (kpi_defs.unit). Periods are kpi.periods labels.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from i18n import tr
from kpi import periods, tracker
from kpi.link import linked_rows
from loaders.errors import LoaderError
from store import user as user_store
from queries import query
from store import official


PLAN_COLUMNS = ["plan_id", "plan", "plan_en", "municipality_code", "municipality_ja", "municipality_en", "plan_start",
                "plan_end", "evaluated_as_of", "default_rule", "source_id", "note", "publisher", "title", "origin",
                "saved_by", "saved_at"]


def plans() -> pd.DataFrame:
    """PLAN_COLUMNS of every plan: the official (seed) plans in display order, then the plans officials created
    in the app (store.user user_kpi_plans; origin 'user', saved_by/saved_at UTC, no source). Official plans have
    origin 'official'. When the user store cannot be reached (the frame says so) only the official plans."""
    stamp = _user_stamp()
    try:
        mine = _user_plans(stamp[0], stamp[1:])
    except LoaderError:
        mine = pd.DataFrame(columns=user_store.PLAN_COLUMNS)
    mine = mine.assign(source_id=None, publisher=None, title=None, origin="user").reindex(columns=PLAN_COLUMNS)
    return pd.concat([query("kpi_plans").assign(origin="official", saved_by=None, saved_at=None).reindex(columns=PLAN_COLUMNS),
                      mine], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=8)
def _user_plans(path: str, stamp: tuple) -> pd.DataFrame:
    return user_store.UserStore(path).kpi_plans()


@st.cache_data(show_spinner=False, max_entries=8)
def _user_defs(path: str, stamp: tuple) -> pd.DataFrame:
    return user_store.UserStore(path).kpi_defs()


def plan(plan_id: str) -> dict:
    """One row of plans() as a dict (KeyError when unknown)."""
    p = plans()
    hit = p[p["plan_id"] == plan_id]
    if hit.empty:
        raise KeyError(plan_id)
    return hit.iloc[0].to_dict()


def is_user_plan(plan_id: str) -> bool:
    """True for a plan created in the app (editable), False for an official one."""
    return plan(plan_id)["origin"] == "user"


def area_plans(area: str) -> list[str]:
    """Plan ids of the municipality `area` (official first, then its own), possibly none."""
    p = plans()
    return p.loc[p["municipality_code"] == area, "plan_id"].tolist()


def default_plan(area: str) -> str | None:
    """The first plan of the municipality `area`, or None when it has none (the page then invites the official to
    create one; another municipality's plan is never shown in its place)."""
    mine = area_plans(area)
    return mine[0] if mine else None


def definitions(plan_id: str) -> pd.DataFrame:
    """KPI definitions of a plan (kpi_defs columns, see loaders/schema.sql), official or created in the app."""
    if plan(plan_id)["origin"] == "user":
        stamp = _user_stamp()
        d = _user_defs(stamp[0], stamp[1:])
        d = d[d["plan_id"] == plan_id].drop(columns=["saved_at", "saved_by"]).assign(source_id=None)
        columns = query("kpi_defs", plan="").columns  # the official layout, so both are read alike
        return d.assign(goal_no=d["goal_no"].astype("Int64")).reindex(columns=columns).reset_index(drop=True)
    return query("kpi_defs", plan=plan_id)


def save_plan(meta: dict, defs: pd.DataFrame, by: str | None = None) -> str:
    """Create or replace a plan made in the app (loaders.kpi.validate_plan_meta / validate_plan_rows output) in
    the user store, recorded as saved by `by`; returns its plan id. An official plan is never replaced."""
    if meta.get("plan_id") and meta["plan_id"] in set(query("kpi_plans")["plan_id"]):
        raise ValueError(f"{meta['plan_id']} is an official plan")
    return user_store.default().save_plan(meta, defs, by=by)


def delete_plan(plan_id: str) -> bool:
    """Remove a plan made in the app (its entered actuals stay in the history)."""
    return user_store.default().delete_plan(plan_id)


def new_plan_rows(area: str, lang: str) -> pd.DataFrame:
    """The first rows offered when a municipality creates its plan: its target population, starting from the
    latest register population of `area` (persons, that date) and filled in from the register from then on —
    PLAN_HEADERS columns with labels in `lang`, as the plan editor shows them."""
    from loaders.kpi import choice_label

    pop = linked(area)
    pop = pop[pop["series"] == "population_total"]
    last = pop.iloc[-1] if not pop.empty else None
    row = {"kpi_id": None, "level": choice_label("level", "population_target", lang), "goal_no": 0,
           "goal": _tr("kpi_goal_population", lang), "kpi": _tr("kpi_goal_population", lang), "unit": _tr("kpi_persons", lang),
           "direction": choice_label("direction", "higher", lang), "value_kind": choice_label("value_kind", "number", lang),
           "aggregation": choice_label("aggregation", "latest", lang),
           "baseline_value": None if last is None else f"{int(last['value']):,}",
           "baseline_period": None if last is None else last["period"],
           "basis": choice_label("basis", "juki", lang), "linked_series": choice_label("linked_series", "population_total", lang)}
    return _editor_types(pd.DataFrame([row], columns=PLAN_EDITOR_COLUMNS))


def _editor_types(d: pd.DataFrame) -> pd.DataFrame:
    """Text columns as strings and the goal number as an integer, so that the editor takes what is typed as text
    (an empty column would otherwise be offered as a number) and loaders.kpi validates it."""
    out = d.astype({c: "string" for c in PLAN_EDITOR_COLUMNS if c != "goal_no"})
    return out.assign(goal_no=pd.array([None if _missing(v) or v is pd.NA else int(v) for v in d["goal_no"]], dtype="Int64"))


#: Columns of the plan editor (a subset of loaders.kpi.PLAN_HEADERS; the sheet import takes them all).
PLAN_EDITOR_COLUMNS = ["kpi_id", "level", "goal_no", "goal", "kpi", "unit", "direction", "value_kind", "aggregation",
                       "baseline_value", "baseline_period", "target_value", "target_period", "department", "basis",
                       "linked_series"]


def plan_editor_rows(plan_id: str, lang: str) -> pd.DataFrame:
    """A plan's definitions as the plan editor shows them (PLAN_EDITOR_COLUMNS, coded values as words in `lang`)."""
    from loaders.kpi import PLAN_CHOICES, choice_label

    d = definitions(plan_id).reindex(columns=PLAN_EDITOR_COLUMNS).astype(object)
    for col in PLAN_CHOICES:
        d[col] = [choice_label(col, v, lang) for v in d[col]]
    for col in ("baseline_value", "target_value"):
        d[col] = [None if _missing(v) else fmt_value(v, None, "en") for v in d[col]]
    return _editor_types(d)


def published(plan_id: str) -> pd.DataFrame:
    """Published values of a plan's KPIs: kpi_id, period, value, value_text, note, judgement, target, projection,
    source_id."""
    return query("kpi_values", plan=plan_id)


def linked(area: str) -> pd.DataFrame:
    """The area's series population KPIs link to: series, period, period_kind, value (persons), source_id."""
    return query("kpi_linked", area=area)


@st.cache_data(show_spinner=False, max_entries=8)
def _user_values(url: str, stamp: tuple) -> pd.DataFrame:
    return user_store.UserStore(url).kpi_values()


def user_values() -> pd.DataFrame:
    """Values entered by officials (store.user kpi_values: kpi_id, period, value, value_text, note, judgement,
    saved_at UTC, saved_by), cached until the user store changes."""
    stamp = _user_stamp()
    try:
        return _user_values(stamp[0], stamp[1:]).copy()
    except LoaderError:  # user store unreachable (the frame says so): published values and grades still show
        return pd.DataFrame(columns=user_store.KPI_COLUMNS)


def history() -> pd.DataFrame:
    """Every change officials made to the actuals (store.user kpi_history: old and new value, who, when)."""
    return user_store.default().kpi_history()


def save(rows: pd.DataFrame, clear: list[tuple[str, str]] | None = None, by: str | None = None) -> int:
    """Save actuals (and clear pairs) in the user store, recorded as made by `by`; returns rows changed."""
    return user_store.default().save_kpi(rows, clear, by=by)


def store_name() -> str:
    """Where the user store is, for the page to say (a file path)."""
    return user_store.default().name()


def _user_stamp() -> tuple:
    return user_store.default().stamp()


def merged(plan_id: str) -> pd.DataFrame:
    """Published, user-entered and linked values of a plan merged (kpi.tracker.merge_values; origin says which).
    Cached until the database or the user store changes."""
    return _merged(plan_id, official.cache_key(), _user_stamp()).copy()


@st.cache_data(show_spinner=False, max_entries=64)
def _merged(plan_id: str, db_key: tuple, user_key: tuple) -> pd.DataFrame:
    return _merge(plan_id, user_values())


def _merge(plan_id: str, user: pd.DataFrame) -> pd.DataFrame:
    defs = definitions(plan_id)
    pub = published(plan_id)
    user = user[user["kpi_id"].isin(defs["kpi_id"])]
    reported = pd.concat([pub[["kpi_id", "period", "value", "value_text"]],
                          user.reindex(columns=["kpi_id", "period", "value", "value_text"])], ignore_index=True)
    area = plan(plan_id)["municipality_code"]
    link = linked_rows(defs, reported, linked(area)) if isinstance(area, str) else pd.DataFrame()
    return tracker.merge_values(pub, user, link)


def graded(plan_id: str, rule: str, as_of: str, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every KPI of the plan graded by `rule` at evaluation period `as_of` (kpi.tracker.table columns; nothing is
    graded before the plan period starts)."""
    values = merged(plan_id) if values is None else values
    return tracker.table(definitions(plan_id), values, rule, as_of, plan(plan_id)["plan_start"])


def view(plan_id: str, rule: str, as_of: str, goals=(), departments=(), lang: str = "ja") -> dict:
    """Everything the tracker page shows of a plan at one evaluation period, cached until the database or the
    user database changes (the page reruns on every click; grading and shaping take ~100 ms of pandas):
    graded (every KPI), shown (after the goal/department filters), and for a non-empty selection table (display),
    counts, summary, grade_bars and progress (progress_frame)."""
    return _view(plan_id, rule, as_of, tuple(goals), tuple(departments), lang, official.cache_key(), _user_stamp())


@st.cache_data(show_spinner=False, max_entries=128)
def _view(plan_id: str, rule: str, as_of: str, goals: tuple, departments: tuple, lang: str, db_key: tuple,
          user_key: tuple) -> dict:
    every = graded(plan_id, rule, as_of)
    shown = filtered(every, list(goals), list(departments))
    out = {"graded": every, "shown": shown}
    if not shown.empty:
        table = display(shown, rule, lang, as_of)
        out |= {"table": table, "counts": counts(shown, lang), "summary": summary(shown),
                "grade_bars": grade_bars(shown, lang), "progress": progress_frame(shown, table)}
    return out


def origin_labels(lang: str) -> dict:
    """Origin code ('published', 'user', 'linked') -> its short label in `lang` (the sheets' 区分 column)."""
    return {o: _tr(f"kpi_origin_{o}", lang, source="").rstrip(": ") for o in ("published", "user", "linked")}


def sheet(plan_id: str, as_of: str, lang: str) -> pd.DataFrame:
    """The plan's KPI sheet in `lang` with a row to fill for `as_of` (loaders.kpi.sheet_frame), cached like view()."""
    return _sheet(plan_id, as_of, lang, official.cache_key(), _user_stamp())


@st.cache_data(show_spinner=False, max_entries=32)
def _sheet(plan_id: str, as_of: str, lang: str, db_key: tuple, user_key: tuple) -> pd.DataFrame:
    from loaders.kpi import sheet_frame

    p = plan(plan_id)
    # Built after every change it shows (the cache key holds the store's stamp), so its export time is honest.
    return sheet_frame(definitions(plan_id), merged(plan_id), p["plan"] if lang == "ja" else p["plan_en"], lang,
                       fill=as_of, origin_labels=origin_labels(lang))


PREVIEW_COLUMNS = ["kpi", "period", "current", "new", "grade", "status", "stale", "_row"]


def import_preview(plan_id: str, rows: pd.DataFrame, rule: str, as_of: str, lang: str) -> pd.DataFrame:
    """What importing `rows` (loaders.kpi.validate_rows) would change, for the official to check before saving:
    kpi (name in `lang`), period (text), current (the actual shown now, with its origin), new, grade (the KPI's
    grade at `as_of` under `rule` now → after the import, with progress), status (new / changed / changed in the
    app after the sheet was exported, with who and when), stale (bool: that last case, which needs confirming)."""
    from loaders.kpi import stale_rows

    if rows.empty:
        return pd.DataFrame(columns=PREVIEW_COLUMNS)
    defs = definitions(plan_id)
    now = merged(plan_id)
    user = user_values()
    stale = stale_rows(rows, user)
    after_user = pd.concat([user[~user.set_index(["kpi_id", "period"]).index.isin(list(zip(rows["kpi_id"], rows["period"])))],
                            rows.reindex(columns=user.columns)], ignore_index=True)
    before = graded(plan_id, rule, as_of).set_index("kpi_id")
    after = tracker.table(defs, _merge(plan_id, after_user), rule, as_of, plan(plan_id)["plan_start"]).set_index("kpi_id")
    name_col = "kpi" if lang == "ja" else "kpi_en"
    names = {d["kpi_id"]: d[name_col] if isinstance(d.get(name_col), str) else d["kpi"] for d in defs.to_dict("records")}
    units = dict(zip(defs["kpi_id"], defs["unit"]))
    cur = {(r["kpi_id"], r["period"]): r for r in now.to_dict("records")}
    saved = {(r["kpi_id"], r["period"]): r for r in user.to_dict("records")}
    out = []
    for (i, r), is_stale in zip(rows.iterrows(), stale):
        key = (r["kpi_id"], r["period"])
        c = cur.get(key, {})
        has_now = not (_missing(c.get("value")) and not isinstance(c.get("value_text"), str))
        current = (c["value_text"] if isinstance(c.get("value_text"), str) else fmt_value(c.get("value"), units.get(r["kpi_id"]), lang)) \
            if has_now else "—"
        if has_now and c.get("origin"):
            current += f"（{_origin_text(c['origin'], c.get('source_id'), lang)}）" if lang == "ja" \
                else f" ({_origin_text(c['origin'], c.get('source_id'), lang)})"
        new = r["value_text"] if isinstance(r.get("value_text"), str) else fmt_value(r.get("value"), units.get(r["kpi_id"]), lang)
        if is_stale:
            s = saved[key]
            status = _tr("kpi_imp_stale", lang, by=s.get("saved_by") or "—", at=saved_at_text(s["saved_at"]))
        else:
            status = _tr("kpi_imp_changed" if has_now else "kpi_imp_new", lang)
        out.append({"kpi": names.get(r["kpi_id"], r["kpi_id"]), "period": periods.text(r["period"], lang),
                    "current": current, "new": new,
                    "grade": f"{_grade_short(before, r['kpi_id'])} → {_grade_short(after, r['kpi_id'])}",
                    "status": status, "stale": bool(is_stale), "_row": int(r["_row"]) if not _missing(r.get("_row")) else None})
    return pd.DataFrame(out, columns=PREVIEW_COLUMNS)


def _grade_short(graded_by_id: pd.DataFrame, kpi_id: str) -> str:
    if kpi_id not in graded_by_id.index:
        return "—"
    r = graded_by_id.loc[kpi_id]
    grade = r["grade"] if isinstance(r["grade"], str) else "—"
    return grade if _missing(r["progress"]) else f"{grade} {float(r['progress']) * 100:.0f}%"


def evaluation_periods(plan_id: str, values: pd.DataFrame | None = None) -> tuple[list[str], str]:
    """(fiscal years selectable as the evaluation period, the default one)."""
    values = merged(plan_id) if values is None else values
    p = plan(plan_id)
    options = tracker.plan_periods(p, values)
    return options, tracker.default_as_of(p, options, values)


# ---------------------------------------------------------------- shaping for display (language passed in)

def _tr(key: str, lang: str, **fmt) -> str:
    return tr(key, lang, **fmt)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_value(value, unit, lang: str) -> str:
    """A KPI value with its unit: thousands separators, up to two decimals, △ for negatives in Japanese."""
    if _missing(value):
        return "—"
    v = float(value)
    body = f"{abs(v):,.0f}" if v.is_integer() else f"{abs(v):,.2f}".rstrip("0").rstrip(".")
    sign = ("△" if lang == "ja" else "−") if v < 0 else ""
    unit = "" if _missing(unit) else str(unit)
    return f"{sign}{body}{unit}"


def goal_key(row) -> str:
    """URL-safe key of a KPI's group: '0' target population, '1'…'n' basic goals, 'x' plan-wide numeric targets."""
    if row["level"] == "population_target":
        return "0"
    return "x" if _missing(row["goal_no"]) else str(int(row["goal_no"]))


def goal_label(key: str, lang: str) -> str:
    """'基本目標2' / 'Goal 2', '目標人口', '数値目標' for a goal_key."""
    if key == "0":
        return _tr("kpi_goal_population", lang)
    if key == "x":
        return _tr("kpi_goal_numeric", lang)
    return _tr("kpi_goal_short", lang, n=key)


def filtered(graded: pd.DataFrame, goals: list[str], departments: list[str]) -> pd.DataFrame:
    """Rows of the chosen goal keys and departments (an empty choice keeps everything)."""
    keep = graded
    if goals:
        keep = keep[keep.apply(goal_key, axis=1).isin(goals)]
    if departments:
        keep = keep[keep["department"].isin(departments)]
    return keep


def _origin_text(origin, source_id, lang: str) -> str:
    if _missing(origin) or origin is None:
        return ""
    if origin == "linked":
        from queries import sources

        src = sources(lang)
        name = src.loc[source_id, "publisher"] if source_id in src.index else source_id
        return _tr("kpi_origin_linked", lang, source=name)
    return _tr(f"kpi_origin_{origin}", lang)


def _actual_text(r: dict, lang: str) -> str:
    if r["aggregation"] == "sum" and not _missing(r["actual"]):
        span = str(r["actual_period"]).split("-")
        value = fmt_value(r["actual"], r["unit"], lang)
        if len(span) == 1:
            return value + _tr("kpi_of_period", lang, period=periods.text(span[0], lang))
        total = _tr("kpi_sum_of", lang, first=periods.text(span[0], lang), last=periods.text(span[-1], lang))
        return f"{value}（{total}）" if lang == "ja" else f"{value} ({total})"
    text = r["actual_text"] if isinstance(r["actual_text"], str) else None
    if _missing(r["actual"]) and text is None:
        return "—"
    shown = text or fmt_value(r["actual"], r["unit"], lang)
    if isinstance(r["actual_period"], str):
        shown += _tr("kpi_of_period", lang, period=periods.text(r["actual_period"], lang))
    return shown


def _latest_text(r: dict, lang: str) -> str:
    if r["aggregation"] == "sum":
        return _actual_text(r, lang)
    text = r["latest_text"] if isinstance(r.get("latest_text"), str) else None
    if _missing(r.get("latest_value")) and text is None:
        return "—"
    shown = text or fmt_value(r["latest_value"], r["unit"], lang)
    return shown + _tr("kpi_of_period", lang, period=periods.text(r["latest_period"], lang))


def _pct(x) -> str:
    return "—" if _missing(x) or math.isinf(x) else f"{x * 100:.0f}%"


def _round(v):
    return v if _missing(v) else (round(v) if abs(v) >= 100 else round(v, 1))


BASIS_NAMES = ("census", "juki")


def reason_text(r: dict, lang: str, as_of: str | None = None) -> str:
    """Why a KPI got its grade, in words: the rule's measure (the same percent as the 達成度 column), then what
    qualifies it — an old actual, the target year it was read at, missing years, data awaited, a later actual
    this evaluation does not count (`as_of`: the evaluation year), an actual of another basis kept as reference,
    and the printed projection at the actual's date."""
    reason = r["reason"]
    unit = r["unit"]
    exp = fmt_value(_round(r["expected"]), unit, lang)
    if reason == "on_path" and not _missing(r["ratio"]) and r["ratio"] < 0:
        text = _tr("kr_on_path_back", lang, expected=exp)
    elif reason == "pop_decline":
        text = _tr("kr_pop_decline", lang, pct=_pct(r["ratio"]), expected=exp,
                   fell=fmt_value(_round(r["baseline_value"] - r["actual"]), unit, lang),
                   allowed=fmt_value(_round(r["baseline_value"] - r["expected"]), unit, lang))
    else:
        text = _tr(f"kr_{reason}", lang, pct=_pct(r["ratio"]), expected=exp)
    extra = []
    if r.get("stale") and isinstance(r.get("actual_period"), str):
        extra.append(_tr("kpi_stale", lang, period=periods.text(r["actual_period"], lang)))
    if as_of and isinstance(r.get("graded_at"), str) and r["graded_at"] != as_of and reason != "before_plan":
        extra.append(_tr("kpi_graded_at", lang, period=periods.text(r["graded_at"], lang)))
    if r.get("missing"):
        extra.append(_tr("kpi_missing", lang, years="・".join(periods.text(y, lang) for y in r["missing"])))
    if isinstance(r.get("link_partial"), str):
        years = r["link_partial"].split(":", 1)[1].split(",")
        extra.append(_tr("kpi_partial", lang, years="・".join(periods.text(y, lang) for y in years)))
    if r.get("later"):
        first = r["later"][0]
        extra.append(_tr("kpi_later", lang, period=periods.text(first, lang),
                         fy=periods.text(periods.fy(periods.fiscal_year(periods.parse(first).end)), lang)))
    if not _missing(r.get("reference_value")) and isinstance(r.get("reference_period"), str):
        basis = r.get("reference_basis")
        name = _tr(f"kpi_basis_{basis}", lang) if basis in BASIS_NAMES else ""
        extra.append(_tr("kpi_reference", lang, basis=name, value=fmt_value(r["reference_value"], unit, lang),
                         period=periods.text(r["reference_period"], lang)))
    if not _missing(r.get("projection_at")) and not _missing(r.get("actual")) and r["level"] == "population_target":
        diff = r["actual"] - r["projection_at"]
        extra.append(_tr("kpi_vs_projection_above" if diff >= 0 else "kpi_vs_projection_below", lang,
                         projection=fmt_value(_round(r["projection_at"]), unit, lang),
                         diff=fmt_value(_round(abs(diff)), unit, lang)))
    return "。".join([text, *extra]) if lang == "ja" else "; ".join([text, *extra])


def _bound_text(text, value, period, unit, lang: str) -> str:
    """Baseline or target as printed; the period is added unless the printed text already names one."""
    shown = text if isinstance(text, str) else fmt_value(value, unit, lang)
    if not isinstance(period, str) or "(" in shown or "（" in shown:
        return shown
    return shown + _tr("kpi_of_period", lang, period=periods.text(period, lang))


def _grade_text(grade, rule: str, lang: str, reason: str | None = None) -> str:
    code = {"○": "good", "△": "short", "×": "other"}.get(grade)
    if code is None:
        return _tr("kr_before_plan" if reason == "before_plan" else "kpi_grade_none", lang)
    return _tr(f"kpi_grade_{code}" + ("_t" if rule == "trajectory" else ""), lang)


def display(graded: pd.DataFrame, rule: str, lang: str, as_of: str | None = None) -> pd.DataFrame:
    """The KPI table for people: goal, level, indicator, department, baseline, target, actual, origin, progress
    (the rule's measure in percent, not capped: the number the reason states), grade (symbol and words of `rule`;
    「計画期間前」 before the plan period), why (reason_text at evaluation year `as_of`), trend (list), grade as published, note, latest (the most recent actual whatever the
    rule) and its origin, pending (notes of actuals still awaited) — all text in `lang`; kpi_id kept for keys."""
    rows = []
    for r in graded.to_dict("records"):
        name = r["kpi"] if lang == "ja" or not isinstance(r.get("kpi_en"), str) else r["kpi_en"]
        notes = [n for n in (r.get("as_of_note"), r.get("note")) if isinstance(n, str)]
        rows.append({
            "kpi_id": r["kpi_id"], "goal": goal_label(goal_key(r), lang),
            "level": _tr(f"kpi_level_{r['level']}", lang), "kpi": name,
            "department": r["department"] if isinstance(r["department"], str) else "",
            "baseline": _bound_text(r["baseline_text"], r["baseline_value"], r["baseline_period"], r["unit"], lang),
            "target": _bound_text(r["target_text"], r["target_value"], r["target_period"], r["unit"], lang),
            "actual": _actual_text(r, lang), "origin": _origin_text(r["origin"], r.get("actual_source"), lang),
            "progress": None if _missing(r["progress"]) else round(float(r["progress"]) * 100),
            "grade": _grade_text(r["grade"], rule, lang, r["reason"]),
            "reason": reason_text(r, lang, as_of), "trend": [float(x) for x in r["trend"]],
            "recorded": r["recorded"] if isinstance(r["recorded"], str) else "",
            "note": " ".join(dict.fromkeys(notes)),
            "latest": _latest_text(r, lang), "latest_origin": _origin_text(r.get("latest_origin"), r.get("latest_source"), lang),
            "pending": r["pending_note"] if isinstance(r.get("pending_note"), str) else ""})
    return pd.DataFrame(rows)


def counts(graded: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Grades counted per basic goal for the summary (kpi.tracker.summary) with each goal's numerical target:
    goal (label and name), n, ○, △, × (count and share), not graded, numeric target (latest actual / target)."""
    summ = tracker.summary(graded)
    numeric = graded[graded["level"] == "goal_target"]
    rows = []
    for s in summ.to_dict("records"):
        if _missing(s["goal_no"]):
            label = _tr("kpi_total", lang)
            targets = ""
        else:
            key = str(int(s["goal_no"]))
            name = s["goal"] if lang == "ja" or not isinstance(s["goal_en"], str) else s["goal_en"]
            label = f"{goal_label(key, lang)} {name}"
            mine = numeric[numeric["goal_no"] == s["goal_no"]]
            targets = " ".join(_target_line(r, lang) for r in mine.to_dict("records"))
        share = "{}（{}%）" if lang == "ja" else "{} ({}%)"
        rows.append({"goal": label, "n": s["n"], "good": share.format(s["good"], s["good_pct"]),
                     "short": share.format(s["short"], s["short_pct"]), "other": share.format(s["other"], s["other_pct"]),
                     "ungraded": s["ungraded"], "numeric": targets})
    return pd.DataFrame(rows)


def _target_line(r: dict, lang: str) -> str:
    latest = r["latest_text"] if isinstance(r.get("latest_text"), str) else fmt_value(r.get("latest_value"), r["unit"], lang)
    when = periods.text(r["latest_period"], lang) if isinstance(r.get("latest_period"), str) else "—"
    target = r["target_text"] if isinstance(r["target_text"], str) else fmt_value(r["target_value"], r["unit"], lang)
    return f"{r['kpi']}: {latest}（{when}）／{target}" if lang == "ja" else f"{r['kpi_en'] or r['kpi']}: {latest} ({when}) / {target}"


def summary(graded: pd.DataFrame) -> dict:
    """The totals of kpi.tracker.summary (n, good, short, other, ungraded and their shares) as a dict."""
    return tracker.summary(graded).iloc[-1].to_dict()


def grade_bars(graded: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per basic goal ('基本目標1' …): good, short, other, ungraded counts — input of charts.kpi.grade_counts."""
    s = tracker.summary(graded).iloc[:-1]
    return pd.DataFrame({"goal": [goal_label(str(int(g)), lang) if not _missing(g) else goal_label("x", lang)
                                  for g in s["goal_no"]],
                         **{c: s[c].astype(int).tolist() for c in ("good", "short", "other", "ungraded")}})


def progress_frame(graded: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Input of charts.kpi.progress_bars from graded rows and their display(): label ('基本目標1｜indicator',
    unique), progress, grade, reason."""
    labels = (table["goal"] + "｜" + table["kpi"]).tolist()
    seen: dict[str, int] = {}
    unique = []
    for lab in labels:  # the same indicator name can appear twice in a plan
        seen[lab] = seen.get(lab, 0) + 1
        unique.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return pd.DataFrame({"label": unique, "progress": graded["progress"].tolist(), "grade": graded["grade"].tolist(),
                         "reason": table["reason"].tolist()})


def targets_frame(graded: pd.DataFrame, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The summary's table of the target population and numerical targets (graded rows not of level 'kpi' and
    their display() rows): indicator, baseline, target, latest actual and its origin, grade, why (with the notes
    of actuals still awaited) — headers in `lang`."""
    targets = table[graded["level"].ne("kpi").to_numpy()]
    sep = "。" if lang == "ja" else ". "
    why = [f"{r}{sep}{n}" if n else r for r, n in zip(targets["reason"], targets["pending"])]
    cols = {"kpi": "kpi_col_kpi", "baseline": "kpi_col_baseline", "target": "kpi_col_target", "latest": "kpi_col_latest",
            "latest_origin": "kpi_col_origin", "grade": "kpi_col_grade", "reason": "kpi_col_reason"}
    return targets.assign(reason=why)[list(cols)].rename(columns={c: _tr(k, lang) for c, k in cols.items()})


def attention_text(graded: pd.DataFrame, table: pd.DataFrame) -> str:
    """Markdown list of the KPIs graded △ or × (for discussion at the council), empty when there are none."""
    attention = table[(graded["level"].eq("kpi") & graded["grade"].isin(["△", "×"])).to_numpy()]
    return "\n".join(f"- **{r.grade}** {r.kpi}（{r.department}）: {r.actual} ／ {r.target} — {r.reason}"
                     for r in attention.itertuples())


def plan_caption(p: dict, lang: str) -> str:
    """The line under the plan selector: municipality, plan period and the source — the publishing document of an
    official plan, or who saved a plan made in the app and when."""
    muni = p["municipality_ja"] if lang == "ja" else p["municipality_en"]
    span = {"muni": muni, "start": periods.text(p["plan_start"], lang), "end": periods.text(p["plan_end"], lang)}
    if p["origin"] == "user":
        return _tr("kpi_user_plan_caption", lang, by=p["saved_by"] or "—", at=saved_at_text(p["saved_at"]), **span)
    return _tr("kpi_plan_caption", lang, publisher=p["publisher"], title=p["title"], **span)


def saved_at_text(saved_at) -> str:
    """A saved_at (naive UTC) as Japan time 'YYYY-MM-DD HH:MM' ('—' when missing)."""
    if saved_at is None or saved_at is pd.NaT or (isinstance(saved_at, float) and math.isnan(saved_at)):
        return "—"
    return pd.Timestamp(saved_at).tz_localize("UTC").tz_convert("Asia/Tokyo").strftime("%Y-%m-%d %H:%M")


def link_text(row: dict, lang: str) -> str:
    """For a linked KPI: which series filled its actual and how (empty otherwise)."""
    if not isinstance(row.get("linked_series"), str):
        return ""
    src = row.get("actual_source") if row.get("origin") == "linked" else None
    if src is None:
        return row.get("link_note") or ""
    from queries import sources

    s = sources(lang)
    name = (src if src not in s.index else f"{s.loc[src, 'publisher']}『{s.loc[src, 'title']}』" if lang == "ja"
            else f"{s.loc[src, 'publisher']}, “{s.loc[src, 'title']}”")
    link = row.get("link") or row.get("actual_period") or ""
    return _tr("kpi_link_note", lang, source=name, link=periods.text(link, lang) if periods.is_valid(link) else link,
               note=row.get("link_note") or "")


def summary_sheets(counts_frame: pd.DataFrame, table: pd.DataFrame, lang: str) -> dict[str, pd.DataFrame]:
    """Worksheets of the downloadable council summary: grades by goal and the KPI list (headers in `lang`)."""
    c = counts_frame.rename(columns={"goal": _tr("kpi_col_goal", lang), "n": _tr("kpi_n", lang),
                                     "good": "○", "short": "△", "other": "×", "ungraded": _tr("kpi_grade_none", lang),
                                     "numeric": _tr("kpi_col_numeric", lang)})
    heads = {"goal": "kpi_col_goal", "level": "kpi_col_level", "kpi": "kpi_col_kpi", "department": "kpi_col_dept",
             "baseline": "kpi_col_baseline", "target": "kpi_col_target", "actual": "kpi_col_actual",
             "origin": "kpi_col_origin", "progress": "kpi_col_progress", "grade": "kpi_col_grade",
             "reason": "kpi_col_reason", "recorded": "kpi_col_recorded", "note": "kpi_col_note",
             "latest": "kpi_col_latest", "pending": "kpi_col_pending"}
    k = table.drop(columns=["trend", "latest_origin"])
    k = k.rename(columns={c: _tr(v, lang) for c, v in heads.items()})
    return {_tr("kpi_sheet_summary", lang): c, _tr("kpi_sheet_list", lang): k}


def definitions_sheet(defs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The KPI definitions as the KPI一覧 worksheet of the KPI sheet (loaders.kpi.plan_sheet_frame): not imported
    with the actuals, but the sheet a municipality's own plan can be created from."""
    from loaders.kpi import plan_sheet_frame

    return plan_sheet_frame(defs, lang)
