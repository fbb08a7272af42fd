"""指標比較 / Indicator comparison: every municipality on ten indicators — ranked among peers (same prefecture,
same size band, the area's 圏域), a scatter of two indicators, a municipal choropleth, and the glossary.
Layout only: the content is queries.views.indicators."""
import streamlit as st

import indicators as ind
from charts import indicators as icharts
from queries.views import indicators as vx
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import t
from ui.show import chart, chart_data, deck
from ui.state import widget

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("ix_title", name=view.name))
ix = vx.context(code, lang)
st.caption(t("ix_level_" + ix["level"], n=len(ix["universe"])))
for key, allowed, default in ix["state"]:
    widget(key, allowed, default)  # the controls below use these keys
c1, c2, c3 = st.columns([2, 3, 2])
key = c1.selectbox(t("ix_indicator"), ind.KEYS, key="ind", format_func=ix["indicator_label"])
how = c2.segmented_control(t("ix_peers"), ix["peer_options"], key="peer", required=True, format_func=ix["peer_label"])
group = c3.selectbox(t("ix_group"), ix["group_codes"], key="grp", format_func=ix["group_label"]) if how == "group" else None
cmp = vx.compare(ix, key, how, group, view.pref_name, lang)
spec, peer_name = cmp["spec"], cmp["peer_name"]

# ---------------------------------------------------------------- headline
head = vx.headline(ix, cmp, view.name, lang)
for column, metric in zip(st.columns(4), head["metrics"]):
    column.metric(**metric, border=True)
if head["missing"]:
    st.info(head["missing"])

# ---------------------------------------------------------------- ranked bar among peers
bar = vx.ranked_bar(ix, cmp, lang)
chart(icharts.ranked_bar, *bar["args"], main=True)
caption(*bar["caption"])
if view.presenter:
    st.stop()

# ---------------------------------------------------------------- scatter of two indicators
st.subheader(t("ix_scatter_title"))
key2 = st.selectbox(t("ix_indicator2"), ind.KEYS, key="ind2", format_func=ix["indicator_label"])
sc = vx.scatter(ix, cmp, key2, lang)
chart_data(icharts.scatter, *sc["args"])
caption(*sc["caption"])

# ---------------------------------------------------------------- choropleth
st.subheader(t("ix_map_title", indicator=spec.name[lang]))
if (geo := vx.choropleth(ix, cmp, lang)) is None:
    st.info(t("ix_no_boundaries"))
else:
    deck(geo["deck"], key="ix_map", height=geo["height"], still=geo["still"], title=t("ix_map_title", indicator=spec.name[lang]))
    st.markdown(geo["legend"], unsafe_allow_html=True)
    caption(*geo["caption"])

# ---------------------------------------------------------------- the area on every indicator, peers table, glossary
st.subheader(t("ix_profile_title", name=view.name))
prof = vx.profile(ix, cmp, lang)
st.dataframe(prof["frame"], hide_index=True, width="stretch", column_config=prof["columns"])
st.caption(t("ix_profile_note", peers=peer_name))
with st.expander(t("ix_peers_table", peers=peer_name, n=len(cmp["codes"]))):
    rows = vx.peer_table(ix, cmp, lang)
    st.dataframe(rows["frame"], hide_index=True, width="stretch", column_config=rows["columns"])
    offer(rows["export_codes"](), t("nav_indicators"), "dl_indicators", name=t("ix_level_name_" + ix["level"]))
with st.expander(t("ix_glossary")):
    gl = vx.glossary(lang)
    st.dataframe(gl["frame"], hide_index=True, width="stretch")
    offer(gl["frame"], t("ix_glossary"), "dl_glossary", name=t("kind_nation"))
    for note in gl["notes"]:
        st.markdown(note)
