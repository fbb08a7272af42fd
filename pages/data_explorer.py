"""データ探索 / Data explorer: pick a table, choose areas in one click (a prefecture's municipalities, a size band,
an area group), a period range and categories, check the row count and the table's coverage, and download CSV
(UTF-8 BOM), Excel (with a 出典・条件 sheet) or Parquet — labelled like the screen (ui.download.offer)."""
import streamlit as st

from queries import explorer as ex
from ui import explorer_view as xv
from ui.download import offer
from ui.frame import frame
from i18n import STRINGS
from ui.i18n import fmt_int, t

view = frame(__file__)
lang = view.lang
st.title(t("x_title"))
st.caption(t("x_intro"))

names = ex.code_names(lang)
database, table = xv.table_picker()
areas, area_lines = xv.area_picker(view, names)
filters, periods_all, filter_lines = xv.filters(database, table, areas)
xv.coverage(database, table, areas)
xv.code_changes(database, areas, filters)

n = ex.count(database, table, filters)
st.metric(t("x_meta_rows"), fmt_int(n), help=t("x_rows_help"))
if n == 0:
    xv.explain_empty(database, table, filters)
    st.stop()
xv.preview(ex.rows(database, table, filters, ex.PREVIEW_ROWS, lang), lang, n)

sources = ex.sources(database, ex.values(database, table, "source_id", filters=filters))
periods = list(dict(filters)["period"]) or periods_all
_, place, span = ex.file_parts(table, areas, names, periods, t("x_fn_all_areas"), STRINGS["x_fn_more"][lang], lang)
meta = [(t("x_meta_database"), t(f"x_db_{database}")), *area_lines, *filter_lines,
        (t("x_meta_note"), t("x_meta_note_text"))]
if n > ex.DOWNLOAD_MAX_ROWS:
    st.warning(t("x_too_many", n=fmt_int(n), max=fmt_int(ex.DOWNLOAD_MAX_ROWS)))
else:
    offer(lambda: ex.rows(database, table, filters, n, lang), t(f"tbl_{table}"), "dl_x", name=place, period=span,
          meta=meta, sources=sources, rows=n, parquet=True)
with st.expander(t("x_sources"), expanded=False):
    st.dataframe(xv.present(sources, lang)[0], hide_index=True)
