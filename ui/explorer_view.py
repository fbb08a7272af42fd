"""The data explorer's widgets (pages/data_explorer.py is layout only): table, areas in one click (prefecture, size
band, area group, every area), period range in time order, category filters, coverage, the reason for an empty
result, and the preview — labelled like the downloads (ui.download.present, queries.columns).

View state lives in the address bar as codes (?tbl=vital_events&xs=pref&xp=40&p0=CY2013 …), never as translated
labels, so a link opens the same selection in either language.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from indicators.glossary import size_band_labels
from queries import columns
from queries import explorer as ex
from ui import state
from ui.download import present
from i18n import STRINGS
from ui.i18n import fmt_int, t
from ui.i18n import lang as current_lang

SCOPES = ("pick", "pref", "band", "group", "all")


def _label(value: str) -> str:
    return t(f"xv_{value}") if f"xv_{value}" in STRINGS else value


def table_picker() -> tuple[str, str]:
    """The database ('official' / 'user') and the table chosen, with the table's description."""
    databases = [d for d in ex.DATABASES if ex.tables(d)]
    c1, c2 = st.columns([1, 2])
    state.widget("db", databases, "official", quiet_default=True)
    database = c1.segmented_control(t("x_database"), databases, key="db", format_func=lambda d: t(f"x_db_{d}"),
                                    required=True) or "official"
    tables = ex.tables(database)
    state.widget("tbl", tables, tables[0], quiet_default=True)
    table = c2.selectbox(t("x_table"), tables, format_func=lambda x: t(f"tbl_{x}"), key="tbl")
    st.caption(t(f"tblh_{table}") + ("  \n" + t("x_user_note") if database == "user" else "")
               + f"  \n[{t('meta_link')}](metadata?table={table})")
    return database, table


def area_picker(view, names: dict[str, str]) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """The areas chosen (() = every area) and the lines describing the choice for the 出典・条件 sheet."""
    areas = queries.areas()
    prefs = areas[areas["kind"] == "prefecture"]
    pref_names = dict(zip(prefs["pref_code"], prefs["name_ja" if view.lang == "ja" else "name_en"].fillna(prefs["name_ja"])))
    groups = ex.area_groups()
    group_names = dict(zip(groups["group_code"], groups["group_name_ja" if view.lang == "ja" else "group_name_en"]
                           .fillna(groups["group_name_ja"])))
    if st.query_params.get("all") == "true":  # links made before the scope picker
        st.query_params["xs"] = "all"
    state.widget("xs", list(SCOPES), "pick", quiet_default=True)
    scope = st.segmented_control(t("x_scope"), SCOPES, key="xs", format_func=lambda s: t(f"x_scope_{s}"),
                                 required=True) or "pick"
    a1, a2, a3 = st.columns([3, 1, 1])
    defunct = a2.checkbox(t("x_defunct"), key="xd", help=t("x_defunct_help"), disabled=scope in ("pick", "group", "all"))
    wards = a3.checkbox(t("x_wards"), key="xw", help=t("x_wards_help"), disabled=scope in ("pick", "group", "all"))
    lines = [(t("x_scope"), t(f"x_scope_{scope}"))]
    own_pref = view.area.get("pref_code") or "40"
    if scope == "pick":
        if st.session_state.get("_x_view_area", view.code) != view.code:  # the sidebar's area changed: follow it
            st.session_state["xa"] = [view.code]
        st.session_state["_x_view_area"] = view.code
        pickable = areas["area_code"].tolist()
        state.widget("xa", pickable, [view.code], multi=True, quiet_default=True)
        chosen = tuple(a1.multiselect(t("x_areas"), pickable, key="xa", format_func=lambda c: f"{names.get(c, c)} {c}"))
    elif scope == "pref":
        state.widget("xp", list(pref_names), own_pref if own_pref in pref_names else next(iter(pref_names)), quiet_default=True)
        pref = a1.selectbox(t("x_pref"), list(pref_names), key="xp", format_func=pref_names.get)
        chosen = ex.select_areas("pref", pref, defunct, wards)
        lines.append((t("x_pref"), pref_names[pref]))
    elif scope == "band":
        own = ex.band_of(ex.municipal_areas().set_index("area_code")["persons"].get(view.code))
        labels = size_band_labels(view.lang)
        bands = [str(i) for i in range(len(labels))]
        state.widget("xb", bands, str(own if own is not None else 5), quiet_default=True)
        band = a1.selectbox(t("x_band"), bands, key="xb", format_func=lambda b: labels[int(b)])
        within = a1.checkbox(t("x_band_pref", pref=pref_names.get(own_pref, "")), key="xbp")
        chosen = ex.select_areas("band", (int(band), own_pref if within else None), defunct, wards)
        lines.append((t("x_band"), labels[int(band)] + (f"（{pref_names.get(own_pref, '')}）" if within else "")))
    elif scope == "group":
        codes = groups["group_code"].tolist()
        state.widget("grp", codes, codes[0] if codes else None, quiet_default=True)
        group = a1.selectbox(t("x_group"), codes, key="grp", format_func=lambda g: group_names.get(g, g))
        chosen = ex.select_areas("group", group)
        lines.append((t("x_meta_group"), group_names.get(group, "")))
    else:
        chosen = ()
    if scope != "all":
        shown = "・".join(names.get(c, c) for c in chosen[:12]) + ("…" if len(chosen) > 12 else "")
        a1.caption(t("x_selected", n=len(chosen), names=shown or "—"))
        lines.append((t("x_meta_areas"), ", ".join(f"{c} {names.get(c, '')}" for c in chosen)))
    lines += [(t("x_defunct"), t("yes" if defunct else "no")), (t("x_wards"), t("yes" if wards else "no"))]
    return chosen, lines


def filters(database: str, table: str, areas: tuple[str, ...]) -> tuple[tuple, list[str], list[tuple[str, str]]]:
    """The filters (("area", …), ("period", …), (dim, …)), the periods offered and the lines describing them."""
    spec = ex.TABLES[table]
    periods_all = ex.chronological(ex.values(database, table, "period", areas))
    dims = list(spec.dims)
    cols = st.columns(1 + len(dims))
    periods: tuple = ()
    if periods_all:
        state.widget("p0", periods_all, periods_all[0], quiet_default=True)
        state.widget("p1", periods_all, periods_all[-1], quiet_default=True)
        first, last = cols[0].select_slider(t("x_period"), periods_all, value=(st.session_state["p0"], st.session_state["p1"]),
                                            format_func=_period_label)
        st.session_state["p0"], st.session_state["p1"] = first, last
        periods = ex.period_range(periods_all, first, last)
    picked = {}
    for col, dim in zip(cols[1:], dims):
        options = ex.sort_values(dim, ex.values(database, table, dim, areas))
        state.widget(f"f_{dim}", options, [], multi=True, quiet_default=True)
        picked[dim] = col.multiselect(t(f"xc_{dim}"), options, key=f"f_{dim}", placeholder=t("x_dim_all"),
                                      format_func=lambda v, d=dim: columns.words(d, v, current_lang()))
    lines = [(t("x_meta_periods"), f"{_period_label(periods[0])}〜{_period_label(periods[-1])}" if periods else t("x_all")),
             *((t(f"xc_{d}"), "、".join(columns.words(d, x, current_lang()) for x in v) if v else t("x_all"))
               for d, v in picked.items())]
    return (("area", areas), ("period", periods), *((d, tuple(v)) for d, v in picked.items())), periods_all, lines


def _period_label(value: str) -> str:
    return columns.words("period", value, current_lang())


def coverage(database: str, table: str, areas: tuple[str, ...]) -> None:
    """What the table holds for these areas: per period kind, first–last period, rows and areas."""
    cov = ex.coverage(database, table, areas)
    if cov.empty:
        return
    parts = [t("x_coverage_row", kind=_label(r.kind) if r.kind else t(f"tbl_{table}"), first=_period_label(r.first),
               last=_period_label(r.last), n=fmt_int(r.n), areas=fmt_int(r.areas)) for r in cov.itertuples()]
    st.caption(t("x_coverage") + " " + "／".join(parts))


def _period_dates(periods) -> tuple[str | None, str | None]:
    """First and last day the chosen periods cover ('CY2015' → 2015-01-01…2016-01-01, 'FY2012' → 2012-04-01…
    2013-03-31, a date as it is); (None, None) when no period is chosen."""
    import re

    days = []
    for p in periods:
        m = re.fullmatch(r"(CY|FY)(\d{4})", str(p))
        if m:
            y = int(m.group(2))
            days += [f"{y}-01-01", f"{y + 1}-01-01"] if m.group(1) == "CY" else [f"{y}-04-01", f"{y + 1}-03-31"]
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", str(p)):
            days.append(str(p)[:10])
    return (min(days), max(days)) if days else (None, None)


def code_changes(database: str, areas: tuple[str, ...], filt: tuple) -> None:
    """Warn when a chosen area changed its municipal code within the chosen periods: the extract holds each code's
    own rows (the rows before the change are under the old code), so a series looks shorter than it is."""
    from queries import succession

    if database != "official" or not areas:
        return
    start, end = _period_dates(dict(filt).get("period", ()))
    changes = succession.joins_for(areas, start, end)
    if changes.empty:
        return
    lines = [f"{r['area_code']} {succession.change_label(r, current_lang())}: {t('x_code_change_old', codes=r['old_codes'], when=str(r['first_seen'])[:10])}"
             for r in changes.to_dict("records")]
    st.warning(t("x_code_change") + "  \n" + "  \n".join(lines), icon=":material/swap_horiz:")


def explain_empty(database: str, table: str, filt: tuple) -> None:
    """Say why no row matches: which filter removes everything, and what the table holds for these areas."""
    reasons = ex.empty_reason(database, table, filt)
    areas = dict(filt)["area"]
    cov = ex.coverage(database, table, areas)
    held = "／".join(t("x_coverage_row", kind=_label(r.kind) if r.kind else "", first=_period_label(r.first),
                       last=_period_label(r.last), n=fmt_int(r.n), areas=fmt_int(r.areas)) for r in cov.itertuples())
    text = [t("x_none")]
    if "area" in reasons:
        text.append(t("x_none_area", table=t(f"tbl_{table}")))
    else:
        named = [t("x_period") if r == "period" else t(f"xc_{r}") for r in reasons]
        if named:
            text.append(t("x_none_filters", filters="、".join(named)))
        if held:
            text.append(t("x_none_coverage", held=held))
        if {"period", "period_kind"} & set(reasons) and {"FY", "CY"} <= set(cov.get("kind", [])):
            text.append(t("x_none_fy_cy"))
    st.info("  \n".join(text), icon=":material/info:")


def preview(frame: pd.DataFrame, lang: str, n: int) -> None:
    """The first rows, labelled and worded exactly like the downloads (headers with units, codes as text)."""
    shown, kinds = present(frame, lang)
    formats = {"int": "localized", "d1": "%.1f", "d2": "%.2f", "share": "%.1f", "pct1": "%.1f", "pct2": "%.2f", "year": "%d"}
    config = {h: st.column_config.NumberColumn(h, format=formats[k]) for h, k in zip(shown.columns, kinds) if k in formats}
    config |= {h: st.column_config.DateColumn(h, format="YYYY-MM-DD") for h, k in zip(shown.columns, kinds) if k == "date"}
    st.dataframe(shown, hide_index=True, column_config=config, height=420)
    if n > len(frame):
        st.caption(t("x_preview_note", shown=fmt_int(len(frame)), n=fmt_int(n)))
