"""What the outlook page (地域の未来予測) shows: the scenario, the source and year choices, the headline metrics, the
generated plain-language summary, the 人口戦略会議 criterion lines, the notes and the wide tables — texts in
the language asked for, frames ready to display (pages/outlook.py is layout only).

Units: persons; shares and changes in percent; ratios per 100 of working age; `ratio` = times the base year.
"""
from __future__ import annotations

import pandas as pd

import formats
from i18n import tr
from indicators import outlook as ol
from queries import outlook as qo
from queries import projections as qp

YEARS = range(2025, 2061, 5)
TABS = (("ol_tab_persons", "persons", "localized"), ("ol_tab_share", "share", "%.1f"),
        ("ol_tab_index", "index", "%.0f"))


def _int(value, lang: str) -> str:
    return formats.number(value, lang, none=tr("unavailable", lang))


def _signed(pct: float, lang: str) -> str:
    return formats.percent(pct, lang, signed=True)


def _change(pct: float, lang: str) -> str:
    return tr("ol_change_down" if pct < 0 else "ol_change_up", lang, v=f"{abs(pct):.1f}")


def _about(n: float, lang: str) -> str:
    return tr("ol_about", lang, n=_int(ol.round_persons(n), lang))


def _times(d: dict) -> str:
    return f"{d['ratio']:.2f}"


def scenario(url: dict, session, base_tfr: float, lang: str) -> dict:
    """The scenario: `url` (the scenario keys in the address bar -> their get_all lists), else `session` (the
    projection page's sliders left in the session), else their defaults. Returns dict(values, scenario, link (URL
    parameters), trend (no fertility or migration change: the trend baseline), text (markdown line), put and drop
    (what the address bar needs so that it restores the scenario: only values that differ from the defaults))."""
    values = qo.scenario_values(url, {k: session[k] for k in qo.SCENARIO_KEYS if k in session}, base_tfr)
    link, trend = qo.url_params(values, base_tfr), qo.is_trend(values, base_tfr)
    put = {k: link[k] for k in qo.SCENARIO_KEYS
           if k in link and url.get(k) != (link[k] if k == "ages" else [link[k]])}
    return dict(values=values, scenario=qo.scenario_of(values), link=link, trend=trend,
                text=scenario_text(values, base_tfr, trend, lang), put=put,
                drop=[k for k in qo.SCENARIO_KEYS if k not in link and k in url])


def scenario_text(values: dict, base_tfr: float, trend: bool, lang: str) -> str:
    """The scenario in one markdown line (the trend baseline when there is no fertility or migration change)."""
    lo, hi = values["ages"]
    fshare = (tr("fshare_value", lang, v=f"{values['fshare']:.1f}") if values["fshare"] > 0
              else tr("fshare_none", lang))
    return tr("ol_scenario_trend" if trend else "ol_scenario", lang, tfr=f"{values['tfr']:.2f}", tfry=values["tfry"],
              base=f"{base_tfr:.2f}", mig=f"{values['mig']:+.1f}", lo=lo, hi=hi - 1, fshare=fshare,
              fm=tr("fm_" + values["fm"], lang))


def choices(data: dict, trend: bool, vintage, unit, lang: str, series_label) -> dict:
    """The sources of the groups/women/summary (IPSS 2018: 5-year ages) and their codes, the sources of the ratios
    (the chosen vintage, labelled by series_label(vintage, unit, lang)), the age groups and the ratio names, as
    (code, label) tuples."""
    def keep(frame: pd.DataFrame) -> list:
        return [k for k in qo.SOURCES if k in set(frame["source"]) and not (trend and k == "app_scenario")]
    sources = tuple((k, tr("s_ipss_2018" if k == "ipss" else "s_" + k, lang)) for k in keep(data["table"]))
    return dict(
        sources=sources, codes=[k for k, _ in sources],
        ratio_sources=tuple((k, series_label(vintage, unit, lang) if k == "ipss" else tr("s_" + k, lang))
                            for k in keep(data["ratios"])),
        groups=tuple((g, tr("ol_group_" + g.replace("+", "p").replace("-", "_"), lang)) for g, _, _ in ol.GROUPS),
        names=tuple((r, tr("ol_ratio_" + r, lang)) for r in ol.RATIOS))


def years(table: pd.DataFrame, source: str, wanted) -> tuple[list, int, int]:
    """(the years offered, the source's last year, the slider's start): a year beyond IPSS's 2045 falls back to its
    last year."""
    last = int(table.loc[table["source"] == source, "year"].max())
    return [y for y in YEARS if y <= last], last, min(wanted if wanted in YEARS else 2040, last)


def criteria(women: pd.DataFrame, sources: tuple) -> dict:
    """The 人口戦略会議 criterion per source that has one (IPSS 2015–2045, the others base–2050)."""
    crit = {s: ol.criterion(women, s, *((2015, 2045) if s == "ipss" else (qo.BASE, 2050))) for s, _ in sources}
    return {s: r for s, r in crit.items() if r}


def metrics(f: dict, c: dict | None, year: int, lang: str) -> list[dict]:
    """The four headline metrics (keyword arguments of st.metric): 75+, 0–4, old-age ratio, women 20–39."""
    g = f["groups"]
    off = dict(border=True, delta_color="off", delta_arrow="off")
    return [
        dict(label=tr("ol_m_75p", lang, year=year), value=_int(round(g["75+"]["persons"]), lang), **off,
             delta=tr("ol_times", lang, x=f"{g['75+']['ratio']:.2f}", base=qo.BASE)),
        dict(label=tr("ol_m_0_4", lang, year=year), value=_int(round(g["0-4"]["persons"]), lang), **off,
             delta=tr("ol_times", lang, x=f"{g['0-4']['ratio']:.2f}", base=qo.BASE)),
        dict(label=tr("ol_m_old", lang, year=year), value=f"{f['old']:.1f}", border=True, delta_color="off",
             delta=f"{f['old'] - f['old_base']:+.1f}pt", delta_description=tr("ol_vs_base", lang, base=qo.BASE)),
        dict(label=tr("ol_m_women", lang, start=c["start"], end=c["end"]) if c else tr("ol_m_women", lang, start="",
                                                                                     end=""),
             value=_signed(c["change"], lang) if c else tr("unavailable", lang), **off,
             delta=(tr("ol_class_yes" if c["vanishing"] else "ol_class_no", lang)) if c else None)]


def summary(f: dict, crit: dict, sources: tuple, source: str, year: int, lang: str) -> dict:
    """The generated summary: title (bold markdown), body (markdown bullets) and note."""
    g, base, name = f["groups"], qo.BASE, dict(sources)
    about = lambda n: _about(n, lang)  # noqa: E731
    lines = [tr("ol_sum_total", lang, base=base, p0=about(f["total_base"]), year=year, p=about(f["total"]),
                pct=_change(100 * (f["total"] / f["total_base"] - 1), lang)),
             tr("ol_sum_old", lang, year=year, n75=about(g["75+"]["persons"]), x75=_times(g["75+"]), base=base,
                n85=about(g["85+"]["persons"]), x85=_times(g["85+"])),
             tr("ol_sum_young", lang, n04=about(g["0-4"]["persons"]), x04=_times(g["0-4"]),
                n514=about(g["5-14"]["persons"]), x514=_times(g["5-14"]), base=base),
             tr("ol_sum_work", lang, n=about(g["15-64"]["persons"]), x=_times(g["15-64"]), s=f"{f['support']:.1f}",
                s0=f"{f['support_base']:.1f}", base=base, year=year)]
    parts = [tr("ol_sum_women_part", lang, source=name[s], start=r["start"], end=r["end"],
                pct=_change(r["change"], lang), verdict=tr("ol_meets" if r["vanishing"] else "ol_not_meets", lang))
             for s, r in crit.items()]
    if parts:
        lines.append(tr("ol_sum_women", lang, parts=tr("ol_sep", lang).join(parts)))
    return dict(title=f"**{tr('ol_summary_title', lang, year=year, source=name[source])}**",
                body="\n".join(f"- {line}" for line in lines),
                note=tr("ol_summary_note", lang) + (" " + tr("ipss_5y_note", lang) if source == "ipss" else ""))


def criterion_lines(crit: dict, sources: tuple, lang: str) -> list[str]:
    """One markdown line per source with a criterion: women 20–39 from start to end, the change and the verdict."""
    return [tr("ol_crit_line", lang, source=label, start=r["start"], end=r["end"],
               a=_int(round(r["persons_start"]), lang), b=_int(round(r["persons_end"]), lang),
               pct=_signed(r["change"], lang), verdict=tr("ol_class_yes" if r["vanishing"] else "ol_class_no", lang))
            for s, label in sources if (r := crit.get(s))]


def ratio_note(unit, name: str, lang: str) -> str:
    """The ratios' caption text (with the IPSS aggregate the area belongs to and its size, if any)."""
    group = (tr("ipss_group_note", lang, name=name, group=unit["name_ja" if lang == "ja" else "name_en"],
                n=len(qp.ipss_group_members(unit["code"]))) if unit and unit["is_group"] else "")
    return " ".join(x for x in (tr("ol_ratios_note", lang), tr("ipss_base_note", lang), group) if x)


def wide_tables(table: pd.DataFrame, source: str, groups: tuple, lang: str) -> list[tuple]:
    """The table tabs: (tab label, wide frame groups x years rounded, number format) for persons, share, index."""
    shown, label, out = table[(table["source"] == source) & (table["year"] >= qo.BASE)], dict(groups), []
    for key, col, fmt in TABS:
        wide = shown.pivot(index="group", columns="year", values=col).reindex([g for g, _ in groups])
        wide.index = [label[g] for g in wide.index]
        wide.columns = [str(y) for y in wide.columns]
        out.append((tr(key, lang), wide.round(0 if col == "persons" else 1), fmt))
    return out


def download(table: pd.DataFrame, values: dict, groups: tuple) -> pd.DataFrame:
    """The download: every source and year, with group labels and the scenario's parameters."""
    params = {"param_" + k: (f"{v[0]}-{v[1]}" if k == "ages" else v) for k, v in values.items()}
    return table.rename(columns={"share": "share_pct"}).assign(group_label=table["group"].map(dict(groups)), **params)
