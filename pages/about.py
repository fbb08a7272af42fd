"""データについて / About the data: the database build and every source's vintage (an update log)."""
import streamlit as st

import queries
from queries import succession
from ui.download import offer
from ui.frame import frame
from ui.i18n import fmt_date, t

view = frame(__file__)
st.title(t("about_title"))

info = queries.build_info()
kind = info.get("kind", "bundled")
st.markdown(t("about_build", kind=t("about_kind_" + kind), built=fmt_date(info.get("built_at", "")[:10] or "1970-01-01"),
              seconds=info.get("build_seconds", "—")))

st.subheader(t("about_sources"))
st.caption(t("about_sources_note"))
log = queries.source_vintages()
cols = {"source_id": t("col_source"), "publisher": t("col_publisher"), "table_id": t("col_table"),
        "retrieved": t("col_retrieved"), "latest": t("col_latest"), "n_rows": t("col_rows"), "note": t("col_note")}
st.dataframe(log[list(cols)].rename(columns=cols), hide_index=True, width="stretch",
             column_config={cols["n_rows"]: st.column_config.NumberColumn(cols["n_rows"], format="localized")})
offer(log, t("about_sources"), "dl_sources", name=t("kind_nation"))

st.subheader(t("about_succession"))
counts = succession.summary()
st.caption(t("about_succession_note", **counts))
