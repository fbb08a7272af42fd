"""データ探索 / Data explorer: pick a table, filter by area, period and category, check the row count, download
CSV (UTF-8 BOM), xlsx (with a sheet of filters and sources) or parquet."""
from datetime import datetime

import streamlit as st

import queries
from queries import explorer as ex
from ui.download import download_all
from ui.frame import frame
from ui.i18n import STRINGS, fmt_int, t

view = frame()
lang = view.lang
st.title(t("x_title"))
st.caption(t("x_intro"))


def label(value: str) -> str:
    return t(f"xv_{value}") if f"xv_{value}" in STRINGS else value


URL_KEYS: dict[str, object] = {}


def url_state(key: str, options: list, default, multi: bool = False) -> None:
    """Page-local view state in the address bar as codes (never the translated labels): on first sight in this
    session the widget starts from ?key=, and values no longer offered (another table) are dropped."""
    seen = st.session_state.setdefault("_x_url_seen", set())
    if key not in seen:
        seen.add(key)
        if key in st.query_params:
            raw = st.query_params.get_all(key)
            st.session_state[key] = raw if multi else raw[0]
    value = st.session_state.get(key, default)
    if multi:
        value = [v for v in (value or []) if v in options]
    elif value not in options:
        value = default
    st.session_state[key] = value
    URL_KEYS[key] = default


databases = [d for d in ex.DATABASES if ex.tables(d)]
c1, c2 = st.columns([1, 2])
url_state("db", databases, "official")
database = c1.segmented_control(t("x_database"), databases, key="db", format_func=lambda d: t(f"x_db_{d}"),
                                required=True) or "official"
tables = ex.tables(database)
url_state("tbl", tables, tables[0])
table = c2.selectbox(t("x_table"), tables, format_func=lambda x: t(f"tbl_{x}"), key="tbl")
spec = ex.TABLES[table]
st.caption(t(f"tblh_{table}") + ("  \n" + t("x_user_note") if database == "user" else ""))

names = ex.code_names(lang)
pickable = queries.areas()["area_code"].tolist()
groups = ex.area_groups()
group_names = dict(zip(groups["group_code"], groups["group_name_ja" if lang == "ja" else "group_name_en"].fillna(groups["group_name_ja"])))
a1, a2, a3 = st.columns([3, 2, 1])
everywhere = a3.checkbox(t("x_all_areas"), key="all", bind="query-params", help=t("x_all_areas_help"))
if st.session_state.get("_x_view_area", view.code) != view.code:  # the sidebar's area changed: follow it
    st.session_state["xa"] = [view.code]
st.session_state["_x_view_area"] = view.code
url_state("xa", pickable, [view.code], multi=True)
chosen = a1.multiselect(t("x_areas"), pickable, format_func=lambda c: f"{names.get(c, c)} {c}", key="xa",
                        disabled=everywhere)
url_state("grp", [None, *groups["group_code"]], None)
group = a2.selectbox(t("x_group"), [None, *groups["group_code"]], key="grp", disabled=everywhere, placeholder=t("x_group_none"),
                     format_func=lambda g: t("x_group_none") if g is None else group_names.get(g, g))
members = [] if group is None else list(groups.loc[groups["group_code"] == group, "members"].iat[0])
if members and not everywhere:
    a2.caption(t("x_group_added", n=len(members), names="・".join(names.get(c, c) for c in members[:8])
                 + ("…" if len(members) > 8 else "")))
areas = () if everywhere else tuple(dict.fromkeys([*chosen, *members]))

periods_all = ex.values(database, table, "period", areas)
dims = [d for d in spec.dims]
cols = st.columns(1 + len(dims)) if dims else [st.container()]
url_state("per", periods_all, [], multi=True)
periods = cols[0].multiselect(t("x_period"), periods_all, key="per", placeholder=t("x_dim_all"))
picked = {}
for col, dim in zip(cols[1:], dims):
    options = ex.sort_values(dim, ex.values(database, table, dim, areas))
    url_state(f"f_{dim}", options, [], multi=True)
    picked[dim] = col.multiselect(t(f"xc_{dim}"), options, key=f"f_{dim}", format_func=label, placeholder=t("x_dim_all"))
filters = (("area", areas), ("period", tuple(periods)), *((d, tuple(v)) for d, v in picked.items()))
for key, default in URL_KEYS.items():  # codes in the URL; a value equal to its default is left out
    value = st.session_state.get(key)
    if value in (None, []) or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value

n = ex.count(database, table, filters)
st.metric(t("x_meta_rows"), fmt_int(n), help=t("x_rows_help"))
if n == 0:
    st.info(t("x_none"))
    st.stop()
preview = ex.rows(database, table, filters, ex.PREVIEW_ROWS, lang)
config = {c: st.column_config.TextColumn(t(f"xc_{c}")) for c in preview.columns if f"xc_{c}" in STRINGS}
config |= {m: st.column_config.NumberColumn(t(f"xc_{m}"), format="%.2f" if m == "tfr" else "localized")
           for m in spec.measures}
config |= {c: st.column_config.DateColumn(t(f"xc_{c}"), format="YYYY-MM-DD") for c in ("ref_date", "period_end") if c in preview}
config |= {"year": st.column_config.NumberColumn(t("xc_year"), format="%d")}
st.dataframe(preview, hide_index=True, column_config=config, height=420)
if n > len(preview):
    st.caption(t("x_preview_note", shown=fmt_int(len(preview)), n=fmt_int(n)))

src_ids = ex.values(database, table, "source_id", filters=filters)
sources = ex.sources(database, src_ids)
parts = ex.file_parts(table, areas, names, list(periods) or periods_all, t("x_fn_all_areas"), STRINGS["x_fn_more"][lang])
info = queries.build_info()
meta = [(t("x_meta_table"), t(f"tbl_{table}")), (t("x_meta_database"), t(f"x_db_{database}")),
        (t("x_meta_areas"), t("x_all") if not areas else ", ".join(f"{c} {names.get(c, '')}" for c in areas)),
        (t("x_meta_group"), group_names.get(group, "") if group else "—"),
        (t("x_meta_periods"), ", ".join(periods) if periods else t("x_all")),
        *((t(f"xc_{d}"), ", ".join(v) if v else t("x_all")) for d, v in picked.items()),
        (t("x_meta_rows"), str(n)), (t("x_meta_exported"), datetime.now().isoformat(timespec="seconds")),
        (t("x_meta_built"), info.get("built_at", "")), (t("x_meta_note"), t("x_meta_note_text"))]
if n > ex.DOWNLOAD_MAX_ROWS:
    st.warning(t("x_too_many", n=fmt_int(n), max=fmt_int(ex.DOWNLOAD_MAX_ROWS)))
else:
    download_all(lambda: ex.rows(database, table, filters, n, lang), parts, meta, sources, n, key="dl_x")
with st.expander(t("x_sources"), expanded=False):
    st.dataframe(sources, hide_index=True)
