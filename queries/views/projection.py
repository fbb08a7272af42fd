"""What the projection page (将来人口推計・シミュレーション) shows: the scenario built from the sliders, the headline
metrics, the totals chart's frame and legend, the method caption, the IPSS area-group table, the comparison with the
city's published scenario, the results table, the download's parameter columns and the inverse question's answers —
texts in the language asked for, frames with display column names.

Units: persons; shares in percent; TFR in children per woman; migration in points per 1,000 a year (projection).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import formats
import projection as pj
from charts import projection as pcharts
from i18n import tr
from indicators.glossary import size_band_labels
from projection import controls
from queries import projections as qp

SHARES = ("share_0_14", "share_15_64", "share_65p")
PERSONS = ["total", "japanese", "foreign", "baseline_total", "diff_total"]


def kurume_preset(base_tfr: float) -> dict:
    """Session values of the city's published scenario (TFR +0.1 by 2060, +0.5 points at ages 10–30, IPSS share)."""
    return dict(tfr=round(base_tfr + 0.1, 2), tfry=2060, mig=0.5, ages=(10, 30), fshare=controls.FOREIGN_SHARE_PRESET)


def scenario(tfr: float, tfr_year: int, mig: float, ages: tuple, fshare: float, fmethod: str,
             births: str) -> pj.Scenario:
    """The scenario of the sliders (fshare in percent; 0 means the area's own trend): projection.controls.scenario."""
    return controls.scenario(dict(tfr=tfr, tfry=tfr_year, mig=mig, ages=ages, fshare=fshare, fm=fmethod),
                             births=births)


def metrics(summary: pd.DataFrame, lang: str) -> list[dict]:
    """st.metric arguments of the last projected year: population (with its change), aging rate, foreign share."""
    last = summary.iloc[-1]
    year = int(last["year"])
    return [dict(label=tr("m_pop_year", lang, year=year),
                 value=formats.number(round(last["total"]), lang, signed=False, none=tr("unavailable", lang)),
                 delta=formats.metric_delta(last["diff_total"]), delta_description=tr("m_diff", lang)),
            dict(label=tr("m_aging_year", lang, year=year), value=f"{100 * last['share_65p']:.1f}%"),
            dict(label=tr("m_foreign_year", lang, year=year), value=f"{100 * last['foreign'] / last['total']:.1f}%")]


def totals(code: str, summary: pd.DataFrame, vintage: str, lang: str) -> dict:
    """The totals chart: data (the comparison lines and the 80 % / 50 % bands), labels ((series, legend label) in
    colour order) and source_ids (of the lines)."""
    lines = qp.comparison_lines(code, summary, vintage)
    series = lines["series"].to_numpy(dtype=object)
    labels = tuple((k, tr("s_ipss_" + vintage, lang) if k == "ipss" else tr("s_" + k, lang))
                   for k in pcharts.SERIES_COLOURS if k in set(series))
    # The lines, then the 80 % and the 50 % band rows, built in one constructor (a concat of three frames was
    # ~5 ms of every slider move); band rows have no persons or source, line rows no low/high.
    years, n, m = summary["year"].to_numpy(dtype=int), len(summary), len(lines)
    gap = np.full(m, np.nan)
    data = pd.DataFrame({
        "year": np.concatenate([lines["year"].to_numpy(dtype=int), years, years]),
        "persons": np.concatenate([lines["persons"].to_numpy(dtype=float), np.full(2 * n, np.nan)]),
        "series": np.concatenate([series, np.repeat(np.array(["band80", "band50"], dtype=object), n)]),
        "source_id": np.concatenate([lines["source_id"].to_numpy(dtype=object), np.full(2 * n, np.nan, dtype=object)]),
        "low": np.concatenate([gap, *(summary[f"band{q}_low"].to_numpy(dtype=float) for q in (80, 50))]),
        "high": np.concatenate([gap, *(summary[f"band{q}_high"].to_numpy(dtype=float) for q in (80, 50))])})
    return dict(data=data, labels=labels, source_ids=lines["source_id"].unique())


def method_note(inputs, summary: pd.DataFrame, base: int, births: str, fmethod: str, lang: str) -> str:
    """The caption note under the totals chart: method, births model, fan width and the IPSS base note."""
    notes, plan, fan = inputs.notes, qp.base_plan(), qp.fan_info(summary)
    birth_note = tr("bm_note_" + births, lang, cwr_year=plan["cwr_year"], bs=inputs.birth_survival or 1.0)
    return (tr("proj_method", lang, base=base, windows=notes["windows"], fmethod=tr("fm_" + fmethod, lang),
               births=birth_note) + " "
            + tr("fan_note", lang, band=size_band_labels(lang)[fan["size_class"]], w50=fan["w50"], w80=fan["w80"])
            + "  \n" + tr("ipss_base_note", lang))


def ipss_unit(code: str, vintage: str, name: str, lang: str) -> dict:
    """Where the IPSS line is missing: kind 'none' (with its caption) or, for a 浜通り member, 'group' (with the
    group's name, its members and the note); kind None where the area has its own IPSS line."""
    unit = qp.ipss_unit(code, vintage)
    if unit is None:
        return dict(kind="none", caption=tr("ipss_none", lang, source=tr("s_ipss_" + vintage, lang))
                    + tr("ipss_none_" + vintage, lang))
    if not unit["is_group"]:
        return dict(kind=None)
    group = unit["name_ja" if lang == "ja" else "name_en"]
    members = qp.ipss_group_members(unit["code"], lang)
    return dict(kind="group", group=group, members=members,
                note=tr("ipss_group_note", lang, name=name, group=group, n=len(members)))


def ipss_group_table(code: str, vintage: str, group: str, members: list[str], lang: str) -> dict:
    """The area group's IPSS table: title, frame, config, source_ids, members (the caption note)."""
    table = qp.ipss_table(code, vintage)
    cols = {"year": tr("ipss_col_year", lang), "total": tr("ipss_col_total", lang), "0-14": tr("ipss_col_0_14", lang),
            "15-64": tr("ipss_col_15_64", lang), "65+": tr("ipss_col_65p", lang)}
    config = {v: st.column_config.NumberColumn(v, format="localized") for v in cols.values()}
    config[cols["year"]] = st.column_config.NumberColumn(cols["year"], format="%d")
    return dict(title=f"**{tr('ipss_group_table', lang, group=group)}**", frame=table[list(cols)].rename(columns=cols),
                config=config, source_ids=table["source_id"].unique(),
                members=tr("ipss_group_members", lang, group=group,
                           members="、".join(members) if lang == "ja" else ", ".join(members)))


def city_diff(code: str, base: int, lang: str) -> str | None:
    """One line comparing the city's published scenario with ours at its years; None where it does not apply."""
    compare = qp.improvement_comparison(code, base)
    if compare.empty:
        return None
    return (tr("city_diff_title", lang) + ": "
            + " · ".join(tr("city_diff_row", lang, year=int(r.year), city=r.city, ours=r.ours)
                         for r in compare.itertuples()) + " " + tr("city_diff_why", lang, base=base))


def results_table(summary: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """The results table (persons rounded, shares in percent) with display column names, and its column config."""
    cols = {"year": tr("col_year", lang), "total": tr("col_total", lang), "japanese": tr("col_japanese", lang),
            "foreign": tr("col_foreign", lang), "baseline_total": tr("col_baseline", lang),
            "diff_total": tr("col_diff", lang), "share_0_14": tr("col_share_0_14", lang),
            "share_15_64": tr("col_share_15_64", lang), "share_65p": tr("col_share_65p", lang)}
    values = {c: np.round(summary[c].to_numpy()) if c in PERSONS else 100 * summary[c].to_numpy() if c in SHARES
              else summary[c].to_numpy() for c in cols}  # one constructor: two assigns and a rename were ~1 ms a move
    config = {cols[c]: st.column_config.NumberColumn(cols[c], format="localized") for c in PERSONS}
    config |= {cols[c]: st.column_config.NumberColumn(cols[c], format="%.1f") for c in SHARES}
    config[cols["year"]] = st.column_config.NumberColumn(cols["year"], format="%d")
    return pd.DataFrame({cols[c]: v for c, v in values.items()}, index=summary.index), config


def download_params(base: int, inputs, s: dict) -> dict:
    """The scenario's parameters as constant columns of the download (inputs: qp.inputs; s: the slider values)."""
    return {"param_base_year": base, "param_tfr_base": float(inputs.tfr_base), "param_tfr_target": s["tfr"],
            "param_tfr_year": s["tfr_year"], "param_migration_points": s["mig"],
            "param_migration_ages": f"{s['ages'][0]}-{s['ages'][1]}", "param_foreign_share_2070_pct": s["fshare"],
            "param_foreign_method": s["fmethod"], "param_births": s["births"]}


def session_after(summary: pd.DataFrame, scen: pj.Scenario) -> dict:
    """What the inverse question reads from the scenario panel: the scenario, last year, baseline at the last year."""
    last = summary.iloc[-1]
    return dict(_scenario=scen, _last_year=int(last["year"]), _baseline_last=int(round(last["baseline_total"], -3)))


def inverse_lines(code: str, base: int, scen: pj.Scenario, target, year: int, params, lang: str) -> list[str]:
    """The inverse question's answers (markdown): the TFR, then the migration, that reaches `target` in `year`."""
    out = []
    for what, key, fmt in (("tfr", "inv_tfr", "{:.2f}"), ("migration", "inv_mig", "{:+.2f}")):
        r = qp.solve(code, base, scen, what, target, year, params)
        value = fmt.format(r["value"]) if r["reachable"] else tr(
            "inv_unreachable", lang, lo=r["bounds"][0], hi=r["bounds"][1], direction=tr("inv_" + r["direction"], lang))
        ages = scen.migration_ages
        out.append(tr(key, lang, value=value, tfr_year=scen.tfr_year, ages=f"{int(ages[0])}–{int(ages[1]) - 1}"))
    return out
