"""人口移動マップ / Migration map: flows with the prefectures (in, out, net; by age, nationality, sex) and the municipal
choropleth of net migration rates. Offline (see charts.maps). Layout only: the content is queries.views.migration_map."""
import streamlit as st

from queries import maps as qm
from queries.views import migration_map as vm
from ui.show import render
from ui.download import offer
from ui.frame import caption, frame
from ui.i18n import fmt_period, t
from ui.show import deck
from ui.state import widget

view = frame(__file__)
lang, size = view.lang, vm.map_size(view.presenter)
st.title(t("map_title", name=view.name))
ctl = vm.controls(view.area, lang)
for key, allowed in ctl["allowed"].items():
    widget(key, allowed, allowed[0] if allowed else None)  # the controls below use these keys
c1, c2, c3, c4 = [row.container(width="content") for row in [st.container(horizontal=True)] for _ in "1234"]  # wraps
age = c2.selectbox(t("map_age"), ctl["ages"], format_func=lambda a: vm.age_label(a, lang), key="age", width=170) or "total"
mode = vm.shown_mode(c1.segmented_control(t("map_mode"), ctl["modes"], key="flow", required=True, disabled=age != "total",
                                          format_func=lambda m: t("map_mode_" + m)), age, ctl["modes"])
source = (st.radio(t("map_source"), ctl["sources"], key="src", horizontal=True, format_func=ctl["source_label"])
          if len(ctl["sources"]) > 1 and age == "total" else ctl["source"])
fixed = vm.fixed_split(source, age)  # a published table: all residents, both sexes only
lock = dict(required=True, disabled=fixed, help=t("map_fixed_help") if fixed else None)
nat = c3.segmented_control(t("nationality"), qm.NATIONALITIES, key="nat", format_func=lambda n: t("nat_" + n), **lock)
sex = c4.segmented_control(t("map_sex"), qm.SEXES, key="sex", format_func=lambda s: t("map_sex_" + s), **lock)
nat, sex = ("total", "total") if fixed else (nat or "total", sex or "total")
if age != "total":
    st.caption(t("map_age_net_only"))

# ---------------------------------------------------------------- flow map: pairs of prefectures (全国) or the area's flows
if (f := vm.flows(view.area, view.name, ctl["plan"], source, mode, age, nat, sex, lang)) is None:
    st.info(t("map_flows_unavailable"))
else:
    for message in f["info"]:
        st.info(message)
    if f["heading"]:
        st.markdown(f["heading"])
    left, right = st.columns([3, 1])
    render(right, f["side"])  # 全国: the largest pairs
    partner = None
    if f["options"] is not None:  # an area's partners: picked here or by a click on the map
        widget("pp", f["options"], vm.follow_click(st.session_state, "pp", "map_deck", f["options"]))
        partner = right.selectbox(t("map_partner"), f["options"], key="pp", help=t("map_partner_help"),
                                  format_func=f["name"]) if f["options"] else None
    render(right, vm.partner_panel(f, partner, lang))
    deck(vm.flow_deck(f, partner, lang, **size), height=size["height"], still=vm.flow_still(f, partner, lang, **size),
         title=f["heading"] or t("map_title", name=view.name), where=left, **f["chart"])
    left.markdown(f["legend"], unsafe_allow_html=True)
    caption(*f["caption"])
    for column, blocks in zip(st.columns(2), f["tables"]):
        render(column, blocks)
    if f["download"]:
        offer(f["data"], f["download"]["what"], f["download"]["key"], area=f["download"]["area"], name=f["download"]["name"])

# ---------------------------------------------------------------- choropleth of net migration rates
st.subheader(t("map_choropleth"))
if not (years := qm.periods(ctl["pref"])):
    st.info(t("unavailable_long", what=t("what_migration")))
    st.stop()
widget("cy", years, years[0])
year = st.selectbox(t("year_cy"), years, format_func=fmt_period, key="cy") or years[0]
if (r := vm.rates(view.area, ctl["pref"], year, lang, **size)) is None:
    st.info(t("map_no_boundaries"))
    st.stop()
st.markdown(r["title"])
deck(r["deck"], key="map_choro", height=r["height"], still=r["still"], title=r["title"])
st.markdown(r["legend"], unsafe_allow_html=True)
if r["partial"]:
    st.caption(r["partial"])
caption(r["source_ids"], "per_1000", "period_cy", r["note"])
with st.expander(t("map_rate_table")):
    st.dataframe(r["table"], hide_index=True, column_config=r["columns"])
    offer(r["table"], t("map_choropleth"), "dl_map_rates", area=view.area)
