"""What the migration map page (人口移動マップ) shows: which controls an area gets, the flow map of the subject area
(or of the pairs of prefectures for 全国) with its partner panel and ranking tables, and the choropleth of net
migration rates — headings and messages in the language asked for, frames with their column labels, decks built
once per query and database (cached deck JSON).

Counts are persons; rates per 1,000 residents; periods keep their kind (queries.maps).
"""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import formats
import queries
from charts import maps as mcharts
from charts import tr
from charts.maps import still as mstill
from charts.maps.legends import break_ranges, count_ranges
from queries import maps as qm
from queries.views import basemap, text
from store import official


@st.cache_data(show_spinner=False, max_entries=512)
def _deck_json(builder: str, key: tuple, _frame: pd.DataFrame, **kwargs) -> str:
    """JSON of charts.maps.<builder>(_frame, basemap=…, **kwargs), built once per `key` (the query that made the
    frame and the database file) and kwargs. The frame itself is not hashed: with its boundaries that costs more
    than a build."""
    return getattr(mcharts, builder)(_frame, basemap=basemap(), **kwargs).to_json()


def _deck(builder: str, key: tuple, frame: pd.DataFrame, **kwargs) -> mcharts.Deck:
    return mcharts.frozen_deck(_deck_json(builder, (*key, official.cache_key()), frame, **kwargs))


def _numbers(**labels: str) -> dict:
    return {c: st.column_config.NumberColumn(label, format="localized") for c, label in labels.items()}


def _table(title: str, frame: pd.DataFrame, config: dict) -> list[tuple]:
    return [("markdown", (title,), {}), ("dataframe", (frame,), dict(hide_index=True, column_config=config))]


def map_size(presenter: bool) -> dict:
    """Height (pixels) and label size of the flow map: larger in presenter mode."""
    return dict(height=780, label_size=20) if presenter else dict(height=mcharts.MAP_HEIGHT, label_size=14)


def age_label(age: str, lang: str) -> str:
    """'total' -> 全年齢 / All ages; '20-24' -> 20〜24歳 / 20–24; '90+' -> 90歳以上 / 90+."""
    if age == "total":
        return tr("map_age_total", lang)
    lo, _, hi = age.rstrip("+").partition("-")
    return text("map_age_range", lang, lo=lo, hi=hi) if hi else text("map_age_open", lang, lo=lo)


def namer(lang: str, extra: dict[str, str] | None = None):
    """name(code) -> the display name of an area (pickable areas; else `extra`, e.g. partners that are not
    pickable such as 福岡市 in the bundled demo; else the code itself)."""
    names = queries.areas().set_index("area_code")
    extra = extra or {}

    def name(code: str) -> str:
        if code not in names.index:
            return extra.get(code, code)
        en = names.at[code, "name_en"]
        return en if lang == "en" and isinstance(en, str) else names.at[code, "name_ja"]
    return name


def controls(area, lang: str) -> dict:
    """The choices the controls offer for `area` (a row of queries.areas: area_code, kind, parent_code).

    Returns dict(plan (queries.maps.plan), sources (source ids of the flow tables; several: a radio), source (the
    first, or None), ages, modes ('gross'/'net' for 全国, else 'in'/'out'/'net'), allowed (URL key -> options, for
    ui.state.widget), source_label (source id -> label with its period), pref (the choropleth's prefecture, '' =
    the 47 prefectures))."""
    plan = qm.plan(area["area_code"], area["kind"], area["parent_code"])
    sources = plan["published"] + ([qm.OD_SOURCE] if plan["od"] else [])
    ages = qm.AGES if (plan["age"] or plan["national"]) else ("total",)
    modes = ["gross", "net"] if plan["national"] else ["in", "out", "net"]
    labels = {s: text("map_src_od" if s == qm.OD_SOURCE else "map_src_published", lang,
                    period=formats.period(plan["periods"][s], lang)) for s in sources}
    return dict(plan=plan, sources=sources, source=sources[0] if sources else None, ages=ages, modes=modes,
                source_label=labels.get, pref="" if plan["national"] else area["area_code"][:2],
                allowed={"age": ages, "flow": modes, "src": sources, "nat": qm.NATIONALITIES, "sex": qm.SEXES})


def shown_mode(mode: str | None, age: str, modes: list[str]) -> str:
    """The mode drawn: by age only net figures exist; an unknown mode falls back to the first offered."""
    return "net" if age != "total" else (mode if mode in modes else modes[0])


def fixed_split(source: str | None, age: str) -> bool:
    """True when the table shown is a published one (all residents, both sexes only): nationality and sex fixed."""
    return source not in (None, qm.OD_SOURCE) and age == "total"


def _what(mode: str, age: str, lang: str) -> str:
    return tr("map_mode_" + mode, lang) + ("" if age == "total" else f"・{age_label(age, lang)}")


def _heading(data: pd.DataFrame, subject: str, mode: str, age: str, lang: str) -> str | None:
    if data.empty:
        return None
    return "#### " + text("map_heading", lang, subject=subject, what=_what(mode, age, lang),
                        period=formats.period(data["period"].iat[0], lang))


def flows(area, name: str, plan: dict, source: str | None, mode: str, age: str, nat: str, sex: str,
          lang: str) -> dict | None:
    """The flow map section: for 全国 the largest flows between two prefectures, else the flows of the subject
    area — the area itself, or the table it falls back to (its designated city, its prefecture; by age the
    prefecture or major city that has one).

    area: row of queries.areas (area_code, lat, lon); name: its display name. Returns None when the area has no
    flow table at all, else dict(data (queries.maps.pairs / flows / net_by_age frame), info (messages), heading
    (markdown or None), side (blocks beside the map: 全国's top ten), options (partner codes on the map, largest
    first; None for 全国), name (code -> display name, partners included), chart (st.pydeck_chart arguments),
    legend (HTML), caption (ui.frame.caption arguments, also when no flow is drawn), tables (blocks of the two ranking tables),
    download (dict(name, key) of the CSV or None)); blocks are for ui.show.render."""
    if plan["national"]:
        return _pairs(name, mode, nat, sex, age, lang)
    if source is None and not plan["age"]:
        return None
    subject, relation = plan["age"] if age != "total" else (plan["od"] if source == qm.OD_SOURCE else
                                                             (area["area_code"], "self"))
    data = qm.net_by_age(subject, age, nat, sex) if age != "total" else qm.flows(subject, source, nat, sex)
    name_of = namer(lang, dict(zip(data["partner_code"], data["partner_en" if lang == "en" else "partner_ja"])))
    info = []
    if relation != "self" and age != "total":
        info.append(text("map_age_fallback", lang, subject=name_of(subject)))
    elif relation == "parent":
        info.append(text("map_fallback_parent", lang, name=name, city=name_of(subject)))
    elif relation == "prefecture":
        info.append(text("map_fallback_od" if plan["published"] else "map_fallback_prefecture", lang, name=name,
                       pref=name_of(subject)))
    own = subject[:2] + "000"
    places = data[~data["partner_code"].isin([own, subject])]  # what the map draws (not moves within the prefecture)
    col = qm.value_column(mode)
    options = places.dropna(subset=[col]).sort_values(col, key=abs, ascending=False)["partner_code"].tolist()
    names = queries.areas().set_index("area_code")
    where = names.loc[subject] if subject in names.index else area
    classes = mcharts.flow_classes(data, mode, exclude=(own, subject))
    notes = {qm.OD_SOURCE: tr("map_od_note", lang), "idou_2021_net_age": tr("map_age_note", lang)}
    ids = data["source_id"].unique().tolist() if not data.empty else [qm.OD_SOURCE if age == "total" and source is None
                                                                     else source or "idou_2021_net_age"]
    fiscal = not data.empty and data["period_kind"].eq("FY").all()
    caption = (ids, "unit_persons", "period_fy" if fiscal else "period_cy", notes.get(ids[0], tr("map_published_note", lang)))
    view = dict(data=data, info=info, heading=_heading(data, name_of(subject), mode, age, lang), side=[],
                options=options, name=name_of, legend=mcharts.flow_legend(classes, mode, lang), caption=caption,
                chart=dict(key="map_deck", on_select="rerun", selection_mode="single-object"),
                download=dict(what=tr("map_flows_table", lang), key="dl_map_flows", area=subject, name=None),
                subject=subject, own=own, mode=mode, age=age, classes=classes, key=("flows", subject, source, nat, sex, age),
                point=dict(code=subject, name=name_of(subject), lat=where["lat"], lon=where["lon"]))
    return {**view, "tables": _rankings(view, lang)}


def _pairs(name: str, mode: str, nat: str, sex: str, age: str, lang: str) -> dict:
    data = qm.pairs(mode, nat, sex, age)
    names = {r.area_code: (r.name_en if lang == "en" else r.name_ja) for r in qm.prefectures().itertuples()}
    top = data.head(10)
    top = top.assign(from_name=top["from_code"].map(names), to_name=top["to_code"].map(names))
    columns = {"from_name": tr("map_from", lang), "to_name": tr("map_to", lang),
               **_numbers(movers=tr("map_net" if mode == "net" else "map_movers", lang))}
    note = tr("map_age_note" if age != "total" else "map_od_note", lang)
    return dict(data=data, info=[tr("map_pairs_info", lang)], heading=_heading(data, name, mode, age, lang),
                side=_table(f"**{tr('map_rank_pairs', lang)}**", top[["from_name", "to_name", "movers"]], columns),
                options=None, name=None, legend=mcharts.pairs_legend(data, mode, lang), chart=dict(key="map_pairs"),
                caption=(data["source_id"].unique().tolist() if not data.empty else
                         ["idou_2021_net_age" if age != "total" else qm.OD_SOURCE], "unit_persons", "period_cy", note),
                tables=[], download=None if data.empty else dict(what=tr("map_od_table", lang), key="dl_map_pairs",
                                                                 area=None, name=tr("kind_nation", lang)),
                names=names, mode=mode, key=("pairs", mode, nat, sex, age))


def follow_click(state, key: str, deck_key: str, options: list[str]) -> str | None:
    """A click on the flow map selects that partner: when the object clicked (state[deck_key], the deck's selection)
    is new and one of `options`, state[key] becomes its code. Returns the default partner (the largest flow)."""
    picked = mcharts.picked_code(state.get(deck_key))
    if picked and picked != state.get("_map_pick"):
        state["_map_pick"] = picked
        if picked in options:
            state[key] = picked
    return options[0] if options else None


def partner_panel(view: dict, partner: str | None, lang: str) -> list[tuple]:
    """Blocks beside the flow map (for ui.show.render): the partner's title and metrics — in, out and net, or net only by
    age — and a caption of the moves within the prefecture. None of them for 全国."""
    if view["options"] is None:
        return []
    data, own, age = view["data"], view["own"], view["age"]
    count = lambda v, signed=False: formats.number(v, lang, signed=signed, none=tr("unavailable", lang))  # noqa: E731
    blocks = []
    if partner:
        row = data.set_index("partner_code").loc[partner]
        blocks.append(("markdown", (f"**{text('map_partner_title', lang, partner=view['name'](partner))}**",), {}))
        shown = (("map_in", "in_movers"), ("map_out", "out_movers")) if age == "total" else ()  # by age: net only
        for label, column in shown + (("map_net", "net"),):
            blocks.append(("metric", (tr(label, lang), count(row[column], column == "net")), dict(border=True)))
    inside = data[data["partner_code"] == own]
    if view["subject"] != own and not inside.empty:
        r = inside.iloc[0]
        within = (text("map_within_pref", lang, pref=view["name"](own), inn=count(r["in_movers"]),
                     out=count(r["out_movers"]), net=count(r["net"], True)) if age == "total"
                  else tr("map_within_pref_note", lang))
        blocks.append(("caption", (within,), {}))
    return blocks


def flow_deck(view: dict, partner: str | None, lang: str, height: int, label_size: int) -> mcharts.Deck:
    """The deck of the flows section `view` (cached per query and database file), `partner` outlined."""
    if view["options"] is None:
        return _deck("pairs_deck", view["key"], view["data"], names=view["names"], mode=view["mode"], lang=lang,
                     height=height, label_size=label_size)
    return _deck("flow_deck", view["key"], view["data"], mode=view["mode"], lang=lang, subject=view["point"],
                 selected=partner, height=height, label_size=label_size)


@st.cache_data(show_spinner=False, max_entries=256)
def _still(deck_text: str, deck_height: int, legend: tuple, title: str, notes: tuple = ()) -> dict:
    """The still image spec (charts.maps.still) of the deck whose JSON is `deck_text`, built once per deck."""
    return mstill.from_deck(json.loads(deck_text), deck_height, list(legend), title, list(notes))


def _unit_title(key: str, lang: str) -> str:
    unit = tr("unit_persons", lang)
    return tr(key, lang) + (f"（{unit}）" if lang == "ja" else f" ({unit})")


def flow_still(view: dict, partner: str | None, lang: str, height: int, label_size: int) -> dict:
    """The still image (Vega-Lite) of the flow map of `view` as flow_deck draws it: the same arcs, colours and
    labels, with the legend of its classes."""
    text = flow_deck(view, partner, lang, height, label_size).to_json()
    if view["options"] is None:  # 全国: pairs of prefectures
        breaks = mcharts.count_breaks(view["data"]["movers"].tolist())
        legend = tuple(zip(count_ranges(breaks, lang), mcharts.ramp(mcharts.BLUE, len(breaks) + 1)))
        return _still(text, height, legend, tr("map_legend_pairs_" + ("net" if view["mode"] == "net" else "gross"), lang))
    classes, mode = view["classes"], view["mode"]
    labels = count_ranges(classes["breaks"], lang)
    if mode == "net":
        legend = tuple((f"{tr(key, lang)} {label}", colour) for key, side in (("map_gain", "pos"), ("map_loss", "neg"))
                       for label, colour in zip(labels, classes[side]))
    else:
        legend = tuple(zip(labels, classes["pos"] if mode == "in" else classes["neg"]))
    return _still(text, height, legend, _unit_title("map_legend_" + mode, lang))


def frame_note(framing: dict, names: dict[str, str], lang: str, image: bool = False) -> str | None:
    """What the choropleth leaves out of its first view (charts.maps.geometry.focus), in words — on the page, or on
    its still `image` (which cannot be panned); None if nothing."""
    suffix = "_image" if image else ""
    if framing["mode"] == "main" and framing["left_out"]:
        sep = "、" if lang == "ja" else ", "
        return text("map_frame_main" + suffix, lang, names=sep.join(names.get(c, c) for c in framing["left_out"]))
    if framing["mode"] == "island":
        return tr("map_frame_island" + suffix, lang)
    return None


def _rankings(view: dict, lang: str) -> list[list[tuple]]:
    """The two top-10 tables under the flow map, ranked like the published tables (prefectures only, the area's own
    prefecture included): most in / most out, or largest gain / loss ('net')."""
    data, mode = view["data"], view["mode"]
    first, second = qm.rankings(data[(data["partner_kind"] == "prefecture") & (data["partner_code"] != view["subject"])],
                                mode)
    name_col = "partner_en" if lang == "en" else "partner_ja"
    config = {"rank": "#", name_col: tr("partner", lang),
              **_numbers(in_movers=tr("map_in", lang), out_movers=tr("map_out", lang), net=tr("map_net", lang))}
    shown = ["rank", name_col] + (["in_movers", "out_movers"] if view["age"] == "total" else []) + ["net"]
    keys = ("gain", "loss") if mode == "net" else ("in", "out")
    return [_table(f"**{tr('map_rank_' + k, lang)}**", table[shown], config) for k, table in zip(keys, (first, second))]


@st.cache_data(show_spinner=False, max_entries=256)
def _choropleth_notes(key: tuple, _frame: pd.DataFrame, selected: str | None, lang: str,
                      height: int) -> tuple[list[str], list[str]]:
    """Notes under the choropleth of `_frame` (built once per `key`) and on its still image: what its first view
    leaves out, and the municipalities drawn as dots (no outline in the simplified boundaries)."""
    parts = mcharts.choropleth_parts(_frame, selected, lang, basemap(), height)
    dots = ("、" if lang == "ja" else ", ").join(d["name"] for d in parts["dots"])
    dot_note = text("map_dots_note", lang, names=dots) if dots else None
    return tuple([n for n in (frame_note(parts["focus"], parts["names"], lang, image), dot_note) if n]
                 for image in (False, True))


def rates(area, pref: str, year: str, lang: str, height: int, label_size: int) -> dict | None:
    """The choropleth of net migration rates in calendar year `year` of prefecture `pref` ('40'; '' = the 47
    prefectures), `height`/`label_size` those of the flow map. Returns None when the database has no boundaries
    for the prefecture, else dict(title (markdown), deck, still (its Vega-Lite image, charts.maps.still), height,
    legend (HTML), partial (caption when fewer than 10 areas have a rate, or None), source_ids, note (the caption's
    note: boundaries, islands out of the first view, dots), table (the rates without geometry), columns (its
    column config))."""
    data = qm.choropleth(pref, year)
    if "geojson" in data.columns and data.empty:
        return None
    name_of = namer(lang)
    title = (text("map_choropleth_title", lang, pref=name_of(pref + "000"), year=formats.period(year, lang)) if pref
             else text("map_choropleth_title_pref", lang, year=formats.period(year, lang)))
    selected = None if area["kind"] in ("prefecture", "nation") else area["area_code"]
    deck = _deck("choropleth_deck", ("rates", pref, year), data, selected=selected, lang=lang, height=height - 80,
                 label_size=label_size + 1)
    notes, on_image = _choropleth_notes(("rates", pref, year, official.cache_key()), data, selected, lang, height - 80)
    legend = tuple(zip(break_ranges(mcharts.RATE_BREAKS, lang, signed=True), mcharts.rate_colours())) + (
        (tr("unavailable", lang), mcharts.NO_RATE),)
    per = tr("per_1000", lang)
    still = _still(deck.to_json(), height - 80, legend, tr("map_rate", lang) + (f"（{per}）" if lang == "ja" else f" ({per})"),
                   tuple(on_image))
    n = int(data["net_rate"].notna().sum())
    geo = data["geo_source_id"].dropna().unique().tolist() if "geo_source_id" in data else []
    columns = {"net_rate": st.column_config.NumberColumn(tr("map_rate", lang), format="%.2f"),
               **_numbers(in_total=tr("map_in", lang), out_total=tr("map_out", lang), net=tr("map_net", lang),
                          pop_mean=tr("persons", lang))}
    return dict(title=f"**{title}**", deck=deck, still=still, height=height - 80,
                note="  \n".join([tr("map_boundary_note", lang), *notes]), legend=mcharts.rate_legend(lang),
                partial=text("map_choropleth_partial", lang, n=n) if pref and n < 10 else None,
                source_ids=["juki_dynamics", *geo], table=data.drop(columns=["geojson", "geo_source_id", "lat", "lon"], errors="ignore"),
                columns=columns)
