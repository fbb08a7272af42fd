"""地域の未来予測 / Outlook 2025–2060: the age groups behind service demand (保育, school age, working age, 65–74,
75+, 85+), dependency ratios, women aged 20–39 and the 人口戦略会議 criterion, a generated plain-language summary.
The scenario is the projection page's (same query parameters / session keys); IPSS beside it: 2018 where sex and
5-year ages are needed, the chosen vintage (default 2023, ?ipss=2018) for the dependency ratios."""
import streamlit as st

from charts import outlook as ocharts
from indicators import criterion_text
from indicators import outlook as ol
from indicators.definitions import VANISHING_THRESHOLD
from queries import outlook as qo
from queries import projections as qp
from ui import state
from ui.download import offer
import formats
from ui.frame import caption, frame
from ui.i18n import fmt_int, t
from ui.ipss import series_label, vintage_picker
from ui.show import chart_data

view = frame()
code, lang = view.code, view.lang


def signed(pct: float) -> str:
    return formats.percent(pct, lang, signed=True)


def change(pct: float) -> str:
    return t("ol_change_down" if pct < 0 else "ol_change_up", v=f"{abs(pct):.1f}")


def about(n: float) -> str:
    return t("ol_about", n=fmt_int(ol.round_persons(n)))


def times(d: dict) -> str:
    return f"{d['ratio']:.2f}"


st.title(t("ol_title", name=view.name))
inputs = qp.inputs(code, qo.BASE)
if inputs is None:
    st.info(t("projection_unavailable", dates="2015–2022"))
    st.stop()
base_tfr = float(inputs.tfr_base)

# The scenario: this page's URL, else the projection page's sliders left in the session, else their defaults.
url = {k: st.query_params.get_all(k) for k in qo.SCENARIO_KEYS if k in st.query_params}
values = qo.scenario_values(url, {k: st.session_state[k] for k in qo.SCENARIO_KEYS if k in st.session_state}, base_tfr)
scenario = qo.scenario_of(values)
link = qo.url_params(values, base_tfr)
trend = qo.is_trend(values, base_tfr)  # no fertility or migration change: the scenario is the trend baseline
for key in qo.SCENARIO_KEYS:  # the address bar restores the scenario (only values that differ from the defaults)
    if key in link and st.query_params.get_all(key) != (link[key] if key == "ages" else [link[key]]):
        st.query_params[key] = link[key]
    elif key not in link and key in st.query_params:
        del st.query_params[key]
lo, hi = values["ages"]
c1, c2 = st.columns([4, 1], vertical_alignment="center")
c1.markdown(t("ol_scenario_trend" if trend else "ol_scenario", tfr=f"{values['tfr']:.2f}", tfry=values["tfry"], base=f"{base_tfr:.2f}",
              mig=f"{values['mig']:+.1f}", lo=lo, hi=hi - 1, fshare=t("fshare_value", v=f"{values['fshare']:.1f}") if values["fshare"] > 0 else t("fshare_none"),
              fm=t("fm_" + values["fm"])))
c2.page_link("pages/projection.py", label=t("ol_change_scenario"), icon=":material/tune:",
             query_params={"area": code, "lang": lang, **link})

vintage = vintage_picker()
data = qo.tables(code, scenario, vintage)
table, ratios, women = data["table"], data["ratios"], data["women"]
# IPSS in the groups, women and summary is 2018 (5-year ages); in the ratios, the chosen vintage.
sources = tuple((k, t("s_ipss_2018" if k == "ipss" else "s_" + k)) for k in qo.SOURCES
                if k in set(table["source"]) and not (trend and k == "app_scenario"))
unit = qp.ipss_unit(code, vintage)
ratio_sources = tuple((k, series_label(vintage, unit, lang) if k == "ipss" else t("s_" + k)) for k in qo.SOURCES
                      if k in set(ratios["source"]) and not (trend and k == "app_scenario"))
groups = tuple((g, t("ol_group_" + g.replace("+", "p").replace("-", "_"))) for g, _, _ in ol.GROUPS)
s1, s2 = st.columns([3, 2])
codes = [k for k, _ in sources]
if st.session_state.get("osrc") not in codes:  # another area may not have the source chosen before
    st.session_state.pop("osrc", None)
source = s1.segmented_control(t("ol_source"), codes, format_func=lambda k: dict(sources)[k],
                              key=state.url_widget("osrc", codes, codes[0]), required=True) or codes[0]
state.write_url("osrc")
last = int(table.loc[table["source"] == source, "year"].max())
years = [y for y in range(2025, 2061, 5) if y <= last]
wanted = st.session_state.get("oy", 2040)  # a year beyond IPSS's 2045 falls back to its last year
year = s2.select_slider(t("ol_year"), options=years, value=min(wanted if wanted in range(2025, 2061, 5) else 2040, last),
                        key="oy", bind="query-params")
year = min(year, last)

# ---------------------------------------------------------------- headline and generated summary
f = ol.summary_facts(table, data["ratios_5y"], source, qo.BASE, year)
crit = {s: ol.criterion(women, s, *((2015, 2045) if s == "ipss" else (qo.BASE, 2050))) for s, _ in sources}
crit = {s: r for s, r in crit.items() if r}
g = f["groups"]
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("ol_m_75p", year=year), fmt_int(round(g["75+"]["persons"])), border=True,
          delta=t("ol_times", x=f"{g['75+']['ratio']:.2f}", base=qo.BASE), delta_color="off", delta_arrow="off")
m2.metric(t("ol_m_0_4", year=year), fmt_int(round(g["0-4"]["persons"])), border=True,
          delta=t("ol_times", x=f"{g['0-4']['ratio']:.2f}", base=qo.BASE), delta_color="off", delta_arrow="off")
m3.metric(t("ol_m_old", year=year), f"{f['old']:.1f}", border=True, delta_color="off",
          delta=f"{f['old'] - f['old_base']:+.1f}pt", delta_description=t("ol_vs_base", base=qo.BASE))
c = crit.get(source)
m4.metric(t("ol_m_women", start=c["start"], end=c["end"]) if c else t("ol_m_women", start="", end=""),
          signed(c["change"]) if c else t("unavailable"), border=True, delta_color="off", delta_arrow="off",
          delta=(t("ol_class_yes") if c["vanishing"] else t("ol_class_no")) if c else None)


with st.container(border=True):
    st.markdown(f"**{t('ol_summary_title', year=year, source=dict(sources)[source])}**")
    lines = [t("ol_sum_total", base=qo.BASE, p0=about(f["total_base"]), year=year, p=about(f["total"]),
               pct=change(100 * (f["total"] / f["total_base"] - 1))),
             t("ol_sum_old", year=year, n75=about(g["75+"]["persons"]), x75=times(g["75+"]), base=qo.BASE,
               n85=about(g["85+"]["persons"]), x85=times(g["85+"])),
             t("ol_sum_young", n04=about(g["0-4"]["persons"]), x04=times(g["0-4"]), n514=about(g["5-14"]["persons"]),
               x514=times(g["5-14"]), base=qo.BASE),
             t("ol_sum_work", n=about(g["15-64"]["persons"]), x=times(g["15-64"]), s=f"{f['support']:.1f}",
               s0=f"{f['support_base']:.1f}", base=qo.BASE, year=year)]
    parts = [t("ol_sum_women_part", source=dict(sources)[s], start=r["start"], end=r["end"], pct=change(r["change"]),
               verdict=t("ol_meets" if r["vanishing"] else "ol_not_meets")) for s, r in crit.items()]
    if parts:
        lines.append(t("ol_sum_women", parts=t("ol_sep").join(parts)))
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(t("ol_summary_note") + (" " + t("ipss_5y_note") if source == "ipss" else ""))

chart_data(ocharts.demand_panels, table, sources, groups, lang, t("ol_chart_groups"), main=True)
caption(["juki_age", "ipss_h30_municipal"], "unit_persons", "period_date", t("ol_groups_note") + " " + t("ipss_5y_note"))
if view.presenter:  # presenter mode: the headline, summary and main chart only
    st.stop()

# ---------------------------------------------------------------- young women and the 人口戦略会議 criterion
st.subheader(t("ol_women_title"))
left, right = st.columns([3, 2])
with left:
    chart_data(ocharts.women_chart, women, sources, VANISHING_THRESHOLD, lang, t("ol_chart_women"))
with right:
    for s, label in sources:
        r = crit.get(s)
        if r:
            st.markdown(t("ol_crit_line", source=label, start=r["start"], end=r["end"], a=fmt_int(round(r["persons_start"])),
                          b=fmt_int(round(r["persons_end"])), pct=signed(r["change"]),
                          verdict=t("ol_class_yes" if r["vanishing"] else "ol_class_no")))
    if "ipss" not in dict(sources):
        st.caption(t("ol_no_ipss"))
    st.info(criterion_text(lang), icon=":material/info:")
caption(["juki_age", "ipss_h30_municipal"], "unit_percent", "period_date", t("ol_women_note") + " " + t("ipss_5y_note"))

# ---------------------------------------------------------------- dependency ratios and the table
names = tuple((r, t("ol_ratio_" + r)) for r in ol.RATIOS)
chart_data(ocharts.ratio_panels, ratios, ratio_sources, names, lang, t("ol_chart_ratios"))
group_note = t("ipss_group_note", name=view.name, group=unit["name_ja" if lang == "ja" else "name_en"],
               n=len(qp.ipss_group_members(unit["code"]))) if unit and unit["is_group"] else ""
caption(["juki_age", qp.IPSS_SOURCE_ID[vintage]], "ol_unit_per_100", "period_date",
        " ".join(x for x in (t("ol_ratios_note"), t("ipss_base_note"), group_note) if x))

st.subheader(t("ol_table_title", source=dict(sources)[source]))
shown = table[(table["source"] == source) & (table["year"] >= qo.BASE)]
label = dict(groups)
for tab, (col, fmt) in zip(st.tabs([t("ol_tab_persons"), t("ol_tab_share"), t("ol_tab_index")]),
                           (("persons", "localized"), ("share", "%.1f"), ("index", "%.0f"))):
    wide = shown.pivot(index="group", columns="year", values=col).reindex([g for g, _ in groups])
    wide.index = [label[g] for g in wide.index]
    wide.columns = [str(y) for y in wide.columns]
    tab.dataframe(wide.round(0 if col == "persons" else 1), width="stretch",
                  column_config={c: st.column_config.NumberColumn(c, format=fmt) for c in wide.columns})
st.caption(t("ol_table_note"))
params = {"param_" + k: (f"{v[0]}-{v[1]}" if k == "ages" else v) for k, v in values.items()}
offer(table.rename(columns={"share": "share_pct"}).assign(group_label=table["group"].map(label), **params),
      t("ol_table_title", source=dict(sources)[source]), "dl_outlook", area=view.area)
