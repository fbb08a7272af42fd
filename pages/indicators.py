"""指標比較 / Indicator comparison: every municipality on ten indicators — ranked among peers (same prefecture,
same size band, the area's 圏域), a scatter of two indicators, a municipal choropleth, and the glossary."""
import pandas as pd
import streamlit as st

import indicators as ind
import queries
from charts import indicators as icharts
from queries import indicators as qi
from ui.download import offer
from ui.state import start, to_url
from ui.frame import caption, frame
from ui.i18n import t
from ui.show import chart, chart_data

view = frame()
code, lang = view.code, view.lang


def fmt(value, key: str) -> str:
    if value is None or value != value:
        return t("unavailable")
    d = ind.BY_KEY[key].decimals
    return (("△" if lang == "ja" else "−") + f"{-value:,.{d}f}") if value < 0 else f"{value:,.{d}f}"


st.title(t("ix_title", name=view.name))
table = qi.table()
me = table.set_index("area_code").loc[code]
level = me["level"]
universe = table[table["level"] == ("prefecture" if level == "nation" else level)]
name_col = "name_en" if lang == "en" else "name_ja"
names = dict(zip(table["area_code"], table[name_col].fillna(table["name_ja"])))
st.caption(t("ix_level_" + level, n=len(universe)))

groups = qi.groups(code) if level in ("municipality", "ward") else []
peer_options = ((["pref"] if level in ("municipality", "ward") else []) + (["size"] if level != "nation" else [])
                + (["group"] if groups else []) + ["all"])
for key, allowed, default in (("ind", ind.KEYS, "aging_rate"), ("ind2", ind.KEYS, "net_migration_rate"),
                              ("peer", peer_options, peer_options[0]),
                              ("grp", [g["group_code"] for g in groups], groups[0]["group_code"] if groups else None)):
    start(key, allowed, default)
c1, c2, c3 = st.columns([2, 3, 2])
key = c1.selectbox(t("ix_indicator"), ind.KEYS, key="ind", format_func=lambda k: ind.BY_KEY[k].label(lang))
how = c2.segmented_control(t("ix_peers"), peer_options, key="peer", required=True,
                           format_func=lambda p: t("ix_peer_" + (p + "_ward" if p == "pref" and level == "ward" else p)))
group = None
if how == "group":
    group = c3.selectbox(t("ix_group"), [g["group_code"] for g in groups], key="grp",
                         format_func=lambda g: next(x["name_en" if lang == "en" else "name_ja"] for x in groups if x["group_code"] == g))
to_url(ind=key, peer=how, grp=group)
spec = ind.BY_KEY[key]

members = next((g["members"] for g in groups if g["group_code"] == group), None)
codes = qi.peers(universe, code, how, members)
peers = qi.ranked(universe, key, codes)
everyone = qi.ranked(universe, key, universe["area_code"].tolist())
band = ind.size_band_labels(lang)
group_name = next((x["name_en" if lang == "en" else "name_ja"] for x in groups if x["group_code"] == group), "")
peer_name = {"pref": t("ix_peer_name_pref", pref=view.pref_name), "group": group_name, "all": t("ix_peer_all"),
             "size": t("ix_peer_name_size", band=band[int(me["size_band"])]) if not pd.isna(me["size_band"]) else "—"}[how]

# ---------------------------------------------------------------- headline
mine = peers[peers["area_code"] == code]
m1, m2, m3, m4 = st.columns(4)
m1.metric(spec.name[lang], fmt(me[key], key) + ("%" if spec.unit["en"] == "%" and not pd.isna(me[key]) else ""),
          border=True, help=f"{spec.formula[lang]}（{spec.unit[lang]}、{spec.period[lang]}）" if lang == "ja"
          else f"{spec.formula[lang]} ({spec.unit[lang]}, {spec.period[lang]})")
m2.metric(t("ix_rank_peers", peers=peer_name), t("ix_rank_of", rank=int(mine["rank"].iat[0]), n=len(peers)) if not mine.empty else "—",
          border=True, help=t("ix_rank_help"))
nat = everyone[everyone["area_code"] == code]
m3.metric(t("ix_rank_all", level=t("ix_levelname_" + level)), t("ix_rank_of", rank=int(nat["rank"].iat[0]), n=len(everyone)) if not nat.empty else "—",
          border=True, help=t("ix_rank_help"))
m4.metric(t("ix_median_of", peers=peer_name), fmt(peers[key].median() if not peers.empty else None, key), border=True)
if me[key] != me[key] and level != "nation":
    st.info(t("ix_no_value", name=view.name, indicator=spec.name[lang]))

# ---------------------------------------------------------------- ranked bar among peers
shown = ind.window(peers, code)
bars = shown.assign(label=[t("ix_rank_label", rank=int(r), name=names[c]) for r, c in zip(shown["rank"], shown["area_code"])],
                    value=shown[key], selected=shown["area_code"] == code)[["label", "value", "selected", "rank"]]
mine_value = me[key] if not pd.isna(me[key]) else None
chart(icharts.ranked_bar, bars, spec.label(lang), spec.decimals, float(peers[key].median()) if len(peers) else None,
      qi.axis_range(peers[key], mine_value), lang,
      t("ix_chart_rank", indicator=spec.name[lang], peers=peer_name, n=len(peers)), main=True)
caption(spec.source_ids, f"ix_unit_{key}", f"ix_period_{key}",
        t("ix_rank_note", shown=len(shown), n=len(peers)) + " " + spec.note[lang])
if view.presenter:
    st.stop()

# ---------------------------------------------------------------- scatter of two indicators
st.subheader(t("ix_scatter_title"))
key2 = st.selectbox(t("ix_indicator2"), ind.KEYS, key="ind2", format_func=lambda k: ind.BY_KEY[k].label(lang))
to_url(ind2=key2)
spec2 = ind.BY_KEY[key2]
sc = qi.scatter_points(universe, code, codes, key, key2)
points = sc["points"].assign(name=sc["points"]["area_code"].map(names))[["name", "x", "y", "role"]]
chart_data(icharts.scatter, points, spec.label(lang), spec2.label(lang), sc["medians"], lang,
           t("ix_chart_scatter", x=spec.name[lang], y=spec2.name[lang], n=sc["n"]))
caption(dict.fromkeys([*spec.source_ids, *spec2.source_ids]), f"ix_unit_{key}", f"ix_period_{key}",
        t("ix_scatter_note", peers=peer_name, y_unit=spec2.unit[lang], y_period=spec2.period[lang])
        + (" " + t("ix_hidden", n=sc["hidden"]) if sc["hidden"] else ""))

# ---------------------------------------------------------------- choropleth
st.subheader(t("ix_map_title", indicator=spec.name[lang]))
if level == "nation":
    geo = universe.assign(value=universe[key])
    deck_frame = geo[["area_code", "name_ja", "name_en", "parent_code", "value"]]
else:
    pref = code[:2]
    shapes = qi.boundaries(pref)
    deck_frame = None
    if not shapes.empty:
        here = table[table["area_code"].isin(shapes["area_code"])]
        deck_frame = shapes.merge(here[["area_code", "name_ja", "name_en", "parent_code", key]], on="area_code").rename(columns={key: "value"})
if deck_frame is None or deck_frame.empty:
    st.info(t("ix_no_boundaries"))
else:
    height = 640 if level == "nation" else 560  # the whole of Japan needs the taller map
    outlined = code if level in ("municipality", "ward") else ""  # a prefecture / Japan: nothing to outline
    st.pydeck_chart(icharts.choropleth_deck(deck_frame, outlined, spec.breaks, spec.diverging, spec.decimals, spec.label(lang), lang,
                                            centre=spec.centre, height=height), height=height, key="ix_map")
    st.markdown(icharts.legend(spec.breaks, spec.diverging, spec.label(lang), t("ix_map_note"), lang, spec.centre),
                unsafe_allow_html=True)
    geo_src = deck_frame["geo_source_id"].dropna().unique().tolist() if "geo_source_id" in deck_frame else []
    caption([*spec.source_ids, *geo_src], f"ix_unit_{key}", f"ix_period_{key}")

# ---------------------------------------------------------------- the area on every indicator, peers table
st.subheader(t("ix_profile_title", name=view.name))
prof = qi.profile(universe, code, codes)
rank_text = lambda r, n: "—" if pd.isna(r) else f"{int(r)}/{n}"  # noqa: E731
profile = pd.DataFrame({t("ix_col_indicator"): [ind.BY_KEY[k].label(lang) for k in prof["key"]],
                        t("ix_col_value"): prof["value"],
                        t("ix_col_rank_peers"): [rank_text(r, n) for r, n in zip(prof["rank_peers"], prof["n_peers"])],
                        t("ix_col_median_peers"): prof["median_peers"],
                        t("ix_col_rank_all"): [rank_text(r, n) for r, n in zip(prof["rank_all"], prof["n_all"])],
                        t("ix_col_median_all"): prof["median_all"],
                        t("ix_col_period"): [ind.BY_KEY[k].period[lang] for k in prof["key"]]})
st.dataframe(profile, hide_index=True, width="stretch", column_config={
    c: st.column_config.NumberColumn(c, format="%.1f") for c in (t("ix_col_value"), t("ix_col_median_peers"), t("ix_col_median_all"))})
st.caption(t("ix_profile_note", peers=peer_name))

with st.expander(t("ix_peers_table", peers=peer_name, n=len(codes))):
    cols = {"area_code": t("ix_col_code"), name_col: t("ix_area"), "population": t("ix_col_population"),
            **{k: ind.BY_KEY[k].short[lang] for k in ind.KEYS}}
    peer_rows = universe[universe["area_code"].isin(codes)][list(cols)].sort_values(key, ascending=False)
    st.dataframe(peer_rows.rename(columns=cols), hide_index=True, width="stretch", column_config={
        cols["population"]: st.column_config.NumberColumn(cols["population"], format="localized"),
        **{cols[k]: st.column_config.NumberColumn(cols[k], format=f"%.{ind.BY_KEY[k].decimals}f") for k in ind.KEYS}})
    offer(universe.drop(columns=["level"]).rename(columns={k: f"ix_{k}" for k in ind.KEYS}), t("nav_indicators"),
          "dl_indicators", name=t("ix_level_name_" + level))

with st.expander(t("ix_glossary")):
    src = queries.sources()
    source_names = {s: f"{r['publisher']}『{r['title']}』" for s, r in src.iterrows()}
    glossary = ind.glossary(lang, source_names)
    st.dataframe(glossary, hide_index=True, width="stretch")
    offer(glossary, t("ix_glossary"), "dl_glossary", name=t("kind_nation"))
    st.markdown(t("ix_glossary_ranks"))
    st.markdown(t("ix_glossary_bands", bands="、".join(band) if lang == "ja" else "; ".join(band)))
    st.markdown(t("ix_glossary_groups"))
    st.markdown(ind.criterion_text(lang))
