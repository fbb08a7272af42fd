"""人口移動マップ / Migration map: flows with the prefectures (in, out, net; by age, nationality, sex) and the
municipal choropleth of net migration rates. Offline: no tile server (see charts.maps)."""
import streamlit as st

import queries
from charts import maps as mcharts
from queries import maps as qm
from ui.download import offer
from ui.state import start, to_url
from ui.frame import caption, frame
from ui.i18n import fmt_int, fmt_period, t

view = frame()
code, lang, kind = view.code, view.lang, view.area["kind"]


@st.cache_data(show_spinner=False, max_entries=512)
def deck_json(builder: str, key: tuple, _frame, **kwargs) -> str:
    """JSON of charts.maps.<builder>(_frame, **kwargs), built once per `key` (the query that made the frame and the
    database build) and kwargs. The frame itself is not hashed: with its boundaries that costs more than a build."""
    return getattr(mcharts, builder)(_frame, **kwargs).to_json()


def show_deck(builder: str, key: tuple, frame, *, chart: dict, **kwargs):
    """Render a cached charts.maps deck with st.pydeck_chart(**chart)."""
    key = (*key, queries.build_info().get("built_at", ""))
    return st.pydeck_chart(mcharts.frozen_deck(deck_json(builder, key, frame, **kwargs)), **chart)


names = queries.areas().set_index("area_code")
extra_names: dict[str, str] = {}  # partners that are not pickable areas (e.g. 福岡市 in the bundled demo)


def name_of(c: str) -> str:
    if c not in names.index:
        return extra_names.get(c, c)
    en = names.at[c, "name_en"]
    return en if lang == "en" and isinstance(en, str) else names.at[c, "name_ja"]


def age_label(a: str) -> str:
    if a == "total":
        return t("map_age_total")
    lo, _, hi = a.rstrip("+").partition("-")
    return t("map_age_range", lo=lo, hi=hi) if hi else t("map_age_open", lo=lo)


st.title(t("map_title", name=view.name))
plan = qm.plan(code, kind, view.area["parent_code"])
sources = plan["published"] + ([qm.OD_SOURCE] if plan["od"] else [])
ages = qm.AGES if (plan["age"] or plan["national"]) else ("total",)
modes = ["gross", "net"] if plan["national"] else ["in", "out", "net"]
for key, allowed in (("age", ages), ("flow", modes), ("src", sources), ("nat", qm.NATIONALITIES), ("sex", qm.SEXES)):
    start(key, allowed, allowed[0] if allowed else None)

# ---------------------------------------------------------------- controls
c1, c2, c3, c4 = st.columns([1.25, 1, 1.6, 1.3])
age = c2.selectbox(t("map_age"), ages, format_func=age_label, key="age") or "total"
mode = c1.segmented_control(t("map_mode"), modes, key="flow", required=True, format_func=lambda m: t("map_mode_" + m),
                            disabled=age != "total")
mode = "net" if age != "total" else (mode if mode in modes else modes[0])
source = sources[0] if sources else None
if len(sources) > 1 and age == "total":
    source = st.radio(t("map_source"), sources, key="src", horizontal=True, format_func=lambda s: t(
        "map_src_od" if s == qm.OD_SOURCE else "map_src_published", period=fmt_period(plan["periods"][s])))
fixed = source not in (None, qm.OD_SOURCE) and age == "total"  # a published table: all residents, both sexes only
why = t("map_fixed_help") if fixed else None
nat = c3.segmented_control(t("nationality"), qm.NATIONALITIES, key="nat", required=True,
                           format_func=lambda n: t("nat_" + n), disabled=fixed, help=why)
sex = c4.segmented_control(t("map_sex"), qm.SEXES, key="sex", required=True, format_func=lambda s: t("map_sex_" + s),
                           disabled=fixed, help=why)
to_url(flow=mode, age=age, nat=nat, sex=sex, src=source if len(sources) > 1 else None)
nat, sex = ("total", "total") if fixed else (nat or "total", sex or "total")
if age != "total":
    st.caption(t("map_age_net_only"))
height, label_size = (780, 20) if view.presenter else (mcharts.MAP_HEIGHT, 14)
what = t("map_mode_" + mode) + ("" if age == "total" else f"・{age_label(age)}")

# ---------------------------------------------------------------- flow map
if plan["national"]:
    st.info(t("map_pairs_info"))
    pairs = qm.pairs(mode, nat, sex, age)
    pref_names = {r.area_code: (r.name_en if lang == "en" else r.name_ja) for r in qm.prefectures().itertuples()}
    if not pairs.empty:
        st.markdown(f"#### {t('map_heading', subject=view.name, what=what, period=fmt_period(pairs['period'].iat[0]))}")
    left, right = st.columns([3, 1])
    with left:
        show_deck("pairs_deck", ("pairs", mode, nat, sex, age), pairs, names=pref_names, mode=mode, lang=lang,
                  height=height, label_size=label_size, chart=dict(height=height, key="map_pairs"))
        st.markdown(mcharts.pairs_legend(pairs, mode, lang), unsafe_allow_html=True)
    with right:
        st.markdown(f"**{t('map_rank_pairs')}**")
        top = pairs.head(10)
        top = top.assign(from_name=top["from_code"].map(pref_names), to_name=top["to_code"].map(pref_names))
        movers = t("map_net" if mode == "net" else "map_movers")
        st.dataframe(top[["from_name", "to_name", "movers"]], hide_index=True, column_config={
            "from_name": t("map_from"), "to_name": t("map_to"),
            "movers": st.column_config.NumberColumn(movers, format="localized")})
    if not pairs.empty:
        note = t("map_age_note" if age != "total" else "map_od_note")
        caption(pairs["source_id"].unique(), "unit_persons", "period_cy", note)
        offer(pairs, t("map_od_table"), "dl_map_pairs", name=t("kind_nation"))
elif source is None and not plan["age"]:
    st.info(t("map_flows_unavailable"))
else:
    subject, relation = plan["age"] if age != "total" else (plan["od"] if source == qm.OD_SOURCE else (code, "self"))
    data = qm.net_by_age(subject, age, nat, sex) if age != "total" else qm.flows(subject, source, nat, sex)
    if relation != "self" and age != "total":
        st.info(t("map_age_fallback", subject=name_of(subject)))
    elif relation == "parent":
        st.info(t("map_fallback_parent", name=view.name, city=name_of(subject)))
    elif relation == "prefecture":
        fallback = "map_fallback_od" if plan["published"] else "map_fallback_prefecture"
        st.info(t(fallback, name=view.name, pref=name_of(subject)))
    extra_names.update(zip(data["partner_code"], data["partner_en" if lang == "en" else "partner_ja"]))
    own = subject[:2] + "000"
    places = data[~data["partner_code"].isin([own, subject])]  # what the map draws (not moves within the prefecture)
    col = qm.value_column(mode)
    options = places.dropna(subset=[col]).sort_values(col, key=abs, ascending=False)["partner_code"].tolist()
    picked = mcharts.picked_code(st.session_state.get("map_deck"))  # a click on the map selects the partner
    if picked and picked != st.session_state.get("_map_pick"):
        st.session_state["_map_pick"] = picked
        if picked in options:
            st.session_state["pp"] = picked
    start("pp", options, options[0] if options else None)
    if not data.empty:
        period = fmt_period(data["period"].iat[0])
        st.markdown(f"#### {t('map_heading', subject=name_of(subject), what=what, period=period)}")
    left, right = st.columns([3, 1])
    with right:
        partner = st.selectbox(t("map_partner"), options, key="pp", help=t("map_partner_help"),
                               format_func=name_of) if options else None
        to_url(pp=partner)
        if partner:
            row = data.set_index("partner_code").loc[partner]
            st.markdown(f"**{t('map_partner_title', partner=name_of(partner))}**")
            if age == "total":
                st.metric(t("map_in"), fmt_int(row["in_movers"]), border=True)
                st.metric(t("map_out"), fmt_int(row["out_movers"]), border=True)
            st.metric(t("map_net"), fmt_int(row["net"], signed=True), border=True)
        inside = data[data["partner_code"] == own]
        if subject != own and not inside.empty:
            r = inside.iloc[0]
            st.caption(t("map_within_pref", pref=name_of(own), inn=fmt_int(r["in_movers"]),
                         out=fmt_int(r["out_movers"]), net=fmt_int(r["net"], signed=True))
                       if age == "total" else t("map_within_pref_note"))
    with left:
        point = names.loc[subject] if subject in names.index else view.area
        show_deck("flow_deck", ("flows", subject, source, nat, sex, age), data, mode=mode, lang=lang,
                  subject=dict(code=subject, name=name_of(subject), lat=point["lat"], lon=point["lon"]),
                  selected=partner, height=height, label_size=label_size,
                  chart=dict(height=height, on_select="rerun", selection_mode="single-object", key="map_deck"))
        st.markdown(mcharts.flow_legend(mcharts.flow_classes(data, mode, exclude=(own, subject)), mode, lang),
                    unsafe_allow_html=True)
    if not data.empty:
        notes = {qm.OD_SOURCE: t("map_od_note"), "idou_2021_net_age": t("map_age_note")}
        caption(data["source_id"].unique(), "unit_persons",
                "period_fy" if data["period_kind"].eq("FY").all() else "period_cy",
                notes.get(data["source_id"].iat[0], t("map_published_note")))
    # Ranked like the published tables: prefectures only, the area's own prefecture included.
    first, second = qm.rankings(data[(data["partner_kind"] == "prefecture") & (data["partner_code"] != subject)], mode)
    name_col = "partner_en" if lang == "en" else "partner_ja"
    config = {"rank": "#", name_col: t("partner"),
              "in_movers": st.column_config.NumberColumn(t("map_in"), format="localized"),
              "out_movers": st.column_config.NumberColumn(t("map_out"), format="localized"),
              "net": st.column_config.NumberColumn(t("map_net"), format="localized")}
    shown = ["rank", name_col] + (["in_movers", "out_movers"] if age == "total" else []) + ["net"]
    for column, table, key in zip(st.columns(2), (first, second), ("gain", "loss") if mode == "net" else ("in", "out")):
        column.markdown(f"**{t('map_rank_' + key)}**")
        column.dataframe(table[shown], hide_index=True, column_config=config, width="stretch")
    offer(data, t("map_flows_table"), "dl_map_flows", area=subject)

# ---------------------------------------------------------------- choropleth of net migration rates
st.subheader(t("map_choropleth"))
pref = "" if plan["national"] else code[:2]
years = qm.periods(pref)
if not years:
    st.info(t("unavailable_long", what=t("what_migration")))
    st.stop()
start("cy", years, years[0])
year = st.selectbox(t("year_cy"), years, format_func=fmt_period, key="cy") or years[0]
to_url(cy=year)
rates = qm.choropleth(pref, year)
if "geojson" in rates.columns and rates.empty:
    st.info(t("map_no_boundaries"))
    st.stop()
title = (t("map_choropleth_title", pref=name_of(pref + "000"), year=fmt_period(year)) if pref
         else t("map_choropleth_title_pref", year=fmt_period(year)))
st.markdown(f"**{title}**")
show_deck("choropleth_deck", ("rates", pref, year), rates, selected=None if kind in ("prefecture", "nation") else code,
          lang=lang, height=height - 80, label_size=label_size + 1, chart=dict(height=height - 80, key="map_choro"))
st.markdown(mcharts.rate_legend(lang), unsafe_allow_html=True)
if pref and rates["net_rate"].notna().sum() < 10:
    st.caption(t("map_choropleth_partial", n=int(rates["net_rate"].notna().sum())))
geo_sources = rates["geo_source_id"].dropna().unique().tolist() if "geo_source_id" in rates else []
caption(["juki_dynamics", *geo_sources], "per_1000", "period_cy", t("map_boundary_note"))
with st.expander(t("map_rate_table")):
    table = rates.drop(columns=["geojson", "geo_source_id"], errors="ignore")
    st.dataframe(table, hide_index=True, column_config={
        "net_rate": st.column_config.NumberColumn(t("map_rate"), format="%.2f"),
        "in_total": st.column_config.NumberColumn(t("map_in"), format="localized"),
        "out_total": st.column_config.NumberColumn(t("map_out"), format="localized"),
        "net": st.column_config.NumberColumn(t("map_net"), format="localized"),
        "pop_mean": st.column_config.NumberColumn(t("persons"), format="localized")})
    offer(table, t("map_choropleth"), "dl_map_rates", area=view.area)
