"""What the indicator comparison page (指標比較) shows: the area's level and peer groups, its headline figures and
ranks, the arguments of its charts, the choropleth deck, the profile and peers tables and the glossary — texts in
the language asked for, frames with display column names.

Units: persons, percent, per 1,000 residents per year (indicators.definitions); ranks 1 = largest, ties share the
lowest rank.
"""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import formats
import indicators as ind
import queries
from charts import indicators as icharts
from charts import tr
from charts.maps import NO_DATA
from charts.maps import still as mstill
from charts.maps.legends import break_ranges
from queries import indicators as qi
from queries.views import basemap, text


def value_text(value, key: str, lang: str) -> str:
    """An indicator value with its decimals and the sign convention of `lang` (formats.number); 'no figure' if
    missing."""
    return formats.number(value, lang, ind.BY_KEY[key].decimals, none=tr("unavailable", lang))


def context(code: str, lang: str) -> dict:
    """The area among the areas it is compared with.

    Returns dict(table (qi.table: every area and indicator), me (the area's row), level ('municipality', 'ward',
    'prefecture', 'nation'), universe (the areas of that level; prefectures for 全国), names (code -> display
    name), groups (qi.groups), peer_options ('pref', 'size', 'group', 'all' as they apply), state ([(URL key,
    options, default)] for ui.state.widget), indicator_label, peer_label, group_label (format functions))."""
    table = qi.table()
    me = table.set_index("area_code").loc[code]
    level = me["level"]
    universe = table[table["level"] == ("prefecture" if level == "nation" else level)]
    names = dict(zip(table["area_code"], table["name_en" if lang == "en" else "name_ja"].fillna(table["name_ja"])))
    groups = qi.groups(code) if level in ("municipality", "ward") else []
    group_codes = [g["group_code"] for g in groups]
    peer_options = ((["pref"] if level in ("municipality", "ward") else []) + (["size"] if level != "nation" else [])
                    + (["group"] if groups else []) + ["all"])
    group_names = {g["group_code"]: g["name_en" if lang == "en" else "name_ja"] for g in groups}
    return dict(code=code, table=table, me=me, level=level, universe=universe, names=names, groups=groups,
                group_codes=group_codes, peer_options=peer_options,
                state=[("ind", ind.KEYS, "aging_rate"), ("ind2", ind.KEYS, "net_migration_rate"),
                       ("peer", peer_options, peer_options[0]), ("grp", group_codes, group_codes[0] if groups else None)],
                indicator_label=lambda k: ind.BY_KEY[k].label(lang), group_label=group_names.get,
                peer_label=lambda p: tr("ix_peer_" + (p + "_ward" if p == "pref" and level == "ward" else p), lang))


def compare(ix: dict, key: str, how: str, group: str | None, pref_name: str, lang: str) -> dict:
    """Indicator `key` among the peers chosen (`how`; `group`: the group code for 'group'; pref_name: the area's
    prefecture). Returns dict(key, spec, codes (peer codes), peers and everyone (qi.ranked frames), peer_name
    (how the peers are called: '福岡県内', 'the same size band (…)', a group's name, 'all'))."""
    me, universe = ix["me"], ix["universe"]
    members = next((g["members"] for g in ix["groups"] if g["group_code"] == group), None)
    codes = qi.peers(universe, ix["code"], how, members)
    band = ind.size_band_labels(lang)
    peer_name = {"pref": text("ix_peer_name_pref", lang, pref=pref_name), "group": ix["group_label"](group) or "",
                 "all": tr("ix_peer_all", lang),
                 "size": text("ix_peer_name_size", lang, band=band[int(me["size_band"])])
                 if not pd.isna(me["size_band"]) else "—"}[how]
    return dict(key=key, spec=ind.BY_KEY[key], codes=codes, peers=qi.ranked(universe, key, codes),
                everyone=qi.ranked(universe, key, universe["area_code"].tolist()), peer_name=peer_name)


def headline(ix: dict, cmp: dict, name: str, lang: str) -> dict:
    """The four headline figures: dict(metrics [dict(label, value, help)] — the value, rank among the peers, rank
    among all areas of the level, the peers' median — and missing (a message when the area has no value, or
    None))."""
    me, key, spec, peers, everyone = ix["me"], cmp["key"], cmp["spec"], cmp["peers"], cmp["everyone"]
    code, level = ix["code"], ix["level"]
    unit = "%" if spec.unit["en"] == "%" and not pd.isna(me[key]) else ""
    formula = (f"{spec.formula[lang]}（{spec.unit[lang]}、{spec.period[lang]}）" if lang == "ja"
               else f"{spec.formula[lang]} ({spec.unit[lang]}, {spec.period[lang]})")

    def rank(frame: pd.DataFrame) -> dict:
        """The rank as the card's value ('1,419位') and the number ranked under it ('1,741団体中'), so neither is cut."""
        mine = frame[frame["area_code"] == code]
        if mine.empty:
            return dict(value="—")
        return dict(value=text("ix_rank_value", lang, rank=f"{int(mine['rank'].iat[0]):,}"),
                    delta=text("ix_rank_among", lang, n=f"{len(frame):,}"), delta_color="off", delta_arrow="off")

    metrics = [
        dict(label=spec.name[lang], value=value_text(me[key], key, lang) + unit, help=formula),
        dict(label=text("ix_rank_peers", lang, peers=cmp["peer_name"]), **rank(peers), help=tr("ix_rank_help", lang)),
        dict(label=text("ix_rank_all", lang, level=tr("ix_levelname_" + level, lang)), **rank(everyone),
             help=tr("ix_rank_help", lang)),
        dict(label=text("ix_median_of", lang, peers=cmp["peer_name"]),
             value=value_text(peers[key].median() if not peers.empty else None, key, lang), help=None)]
    missing = (text("ix_no_value", lang, name=name, indicator=spec.name[lang])
               if me[key] != me[key] and level != "nation" else None)
    return dict(metrics=metrics, missing=missing)


def with_gaps(bars: pd.DataFrame, ranks: pd.Series, lang: str) -> pd.DataFrame:
    """`bars` (label, value, selected, rank, gap; indexed by position among the peers, in rank order) with a row
    (gap=True, no value) wherever peers are left out, labelled with the ranks omitted ('⋯ 11〜39位 省略（29団体）'),
    so a jump 10位 → 40位 is shown as a break. ranks: every peer's rank by position."""
    rows, previous = [], None
    for pos, row in bars.iterrows():
        if previous is not None and pos > previous + 1:
            first, last = int(ranks.iat[previous + 1]), int(ranks.iat[pos - 1])
            rows.append(dict(label=text("ix_rank_gap", lang, first=first, last=last, n=pos - previous - 1),
                             value=None, selected=False, rank=first, gap=True))
        rows.append(row.to_dict())
        previous = pos
    return pd.DataFrame(rows, columns=bars.columns).astype({"value": float, "selected": bool, "gap": bool})


def ranked_bar(ix: dict, cmp: dict, lang: str) -> dict:
    """The ranked bar among the peers (a window around the area): dict(args (of charts.indicators.ranked_bar),
    caption (ui.frame.caption arguments))."""
    key, spec, peers, code = cmp["key"], cmp["spec"], cmp["peers"], ix["code"]
    shown = ind.window(peers.reset_index(drop=True), code)
    labels = [text("ix_rank_label", lang, rank=int(r), name=ix["names"][c]) for r, c in zip(shown["rank"], shown["area_code"])]
    bars = with_gaps(shown.assign(label=labels, value=shown[key], selected=shown["area_code"] == code, gap=False)[
        ["label", "value", "selected", "rank", "gap"]], peers.reset_index(drop=True)["rank"], lang)
    mine = ix["me"][key] if not pd.isna(ix["me"][key]) else None
    title = text("ix_chart_rank", lang, indicator=spec.name[lang], peers=cmp["peer_name"], n=len(peers))
    args = (bars, spec.label(lang), spec.decimals, float(peers[key].median()) if len(peers) else None,
            qi.axis_range(peers[key], mine), lang, title)
    note = text("ix_rank_note", lang, shown=len(shown), n=len(peers)) + " " + spec.note[lang]
    return dict(args=args, caption=(spec.source_ids, f"ix_unit_{key}", f"ix_period_{key}", note))


def scatter(ix: dict, cmp: dict, key2: str, lang: str) -> dict:
    """Every area of the level on indicators cmp['key'] (x) and `key2` (y): dict(args (of charts.indicators.scatter
    after the data), caption)."""
    key, spec, spec2 = cmp["key"], cmp["spec"], ind.BY_KEY[key2]
    sc = qi.scatter_points(ix["universe"], ix["code"], cmp["codes"], key, key2)
    points = sc["points"].assign(name=sc["points"]["area_code"].map(ix["names"]))[["name", "x", "y", "role"]]
    title = text("ix_chart_scatter", lang, x=spec.name[lang], y=spec2.name[lang], n=sc["n"])
    note = (text("ix_scatter_note", lang, peers=cmp["peer_name"], y_unit=spec2.unit[lang], y_period=spec2.period[lang])
            + (" " + text("ix_hidden", lang, n=sc["hidden"]) if sc["hidden"] else ""))
    return dict(args=(points, spec.label(lang), spec2.label(lang), sc["medians"], lang, title),
                caption=(dict.fromkeys([*spec.source_ids, *spec2.source_ids]), f"ix_unit_{key}", f"ix_period_{key}", note))


def map_frame(ix: dict, key: str) -> pd.DataFrame | None:
    """What the choropleth colours: the 47 prefectures (全国; outlines from the basemap) or the municipalities and
    wards of the area's prefecture with their boundaries (area_code, name_ja, name_en, parent_code, value[, geojson,
    geo_source_id]); None when the database has no boundaries there."""
    if ix["level"] == "nation":
        universe = ix["universe"]
        return universe.assign(value=universe[key])[["area_code", "name_ja", "name_en", "parent_code", "value"]]
    shapes = qi.boundaries(ix["code"][:2])
    if shapes.empty:
        return None
    here = ix["table"][ix["table"]["area_code"].isin(shapes["area_code"])]
    return shapes.merge(here[["area_code", "name_ja", "name_en", "parent_code", key]], on="area_code").rename(
        columns={key: "value"})


def choropleth(ix: dict, cmp: dict, lang: str) -> dict | None:
    """The choropleth of the indicator: dict(deck, height, still (its image, charts.maps.still), legend (HTML),
    caption), or None without boundaries."""
    frame = map_frame(ix, cmp["key"])
    if frame is None or frame.empty:
        return None
    spec, level = cmp["spec"], ix["level"]
    height = 640 if level == "nation" else 560  # the whole of Japan needs the taller map
    outlined = ix["code"] if level in ("municipality", "ward") else ""  # a prefecture / Japan: nothing to outline
    deck = icharts.choropleth_deck(frame, outlined, spec.breaks, spec.diverging, spec.decimals, spec.label(lang), lang,
                                   basemap(), centre=spec.centre, height=height)
    geo = frame["geo_source_id"].dropna().unique().tolist() if "geo_source_id" in frame else []
    legend = [*zip(break_ranges(spec.breaks, lang), icharts.class_colours(spec.breaks, spec.diverging, spec.centre)),
              (tr("unavailable", lang), NO_DATA)]
    return dict(deck=deck, height=height, still=mstill.from_deck(json.loads(deck.to_json()), height, legend, spec.label(lang)),
                legend=icharts.legend(spec.breaks, spec.diverging, spec.label(lang), tr("ix_map_note", lang), lang,
                                      spec.centre),
                caption=([*spec.source_ids, *geo], f"ix_unit_{cmp['key']}", f"ix_period_{cmp['key']}"))


def profile(ix: dict, cmp: dict, lang: str) -> dict:
    """The area on every indicator (value, rank and median among the peers and among all, period) as a display
    frame with translated column names: dict(frame, columns (column config: one decimal))."""
    prof = qi.profile(ix["universe"], ix["code"], cmp["codes"])
    rank_text = lambda r, n: "—" if pd.isna(r) else f"{int(r)}/{n}"  # noqa: E731
    frame = pd.DataFrame({
        tr("ix_col_indicator", lang): [ind.BY_KEY[k].label(lang) for k in prof["key"]],
        tr("ix_col_value", lang): prof["value"],
        tr("ix_col_rank_peers", lang): [rank_text(r, n) for r, n in zip(prof["rank_peers"], prof["n_peers"])],
        tr("ix_col_median_peers", lang): prof["median_peers"],
        tr("ix_col_rank_all", lang): [rank_text(r, n) for r, n in zip(prof["rank_all"], prof["n_all"])],
        tr("ix_col_median_all", lang): prof["median_all"],
        tr("ix_col_period", lang): [ind.BY_KEY[k].period[lang] for k in prof["key"]]})
    numeric = (tr("ix_col_value", lang), tr("ix_col_median_peers", lang), tr("ix_col_median_all", lang))
    return dict(frame=frame, columns={c: st.column_config.NumberColumn(c, format="%.1f") for c in numeric})


def peer_table(ix: dict, cmp: dict, lang: str) -> dict:
    """The peers on every indicator, largest value of cmp['key'] first: dict(frame (display column names), columns
    (column config), export (callable: every area of the level with the same column names, for the CSV))."""
    name_col = "name_en" if lang == "en" else "name_ja"
    cols = {"area_code": tr("ix_col_code", lang), name_col: tr("ix_area", lang),
            "population": tr("ix_col_population", lang), **{k: ind.BY_KEY[k].short[lang] for k in ind.KEYS}}
    universe = ix["universe"]
    rows = universe[universe["area_code"].isin(cmp["codes"])][list(cols)].sort_values(cmp["key"], ascending=False)
    columns = {cols["population"]: st.column_config.NumberColumn(cols["population"], format="localized"),
               **{cols[k]: st.column_config.NumberColumn(cols[k], format=f"%.{ind.BY_KEY[k].decimals}f") for k in ind.KEYS}}
    return dict(frame=rows.rename(columns=cols), columns=columns,
                export_codes=lambda: universe.drop(columns=["level"]).rename(columns={k: f"ix_{k}" for k in ind.KEYS}))


def glossary(lang: str) -> dict:
    """The glossary of the indicators (ind.glossary, sources named) and the notes under it (ranks, size bands,
    groups, the 人口戦略会議 criterion): dict(frame, notes (markdown texts))."""
    src = queries.sources(lang)  # publisher and title in `lang`
    frame = ind.glossary(lang, {s: f"{r['publisher']}『{r['title']}』" if lang == "ja" else f"{r['publisher']}, “{r['title']}”"
                                for s, r in src.iterrows()})
    band = ind.size_band_labels(lang)
    notes = [tr("ix_glossary_ranks", lang), text("ix_glossary_bands", lang, bands="、".join(band) if lang == "ja" else "; ".join(band)),
             tr("ix_glossary_groups", lang), ind.criterion_text(lang)]
    return dict(frame=frame, notes=notes)
