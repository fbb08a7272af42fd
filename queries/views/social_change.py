"""What the migration page (社会動態) shows: the in/out/net series with its domestic/abroad split and rates, the
partner areas (published rankings or the OD table, with the prefecture's table when the area has none), youth and
residual migration by age, the waterfall of one period — texts in the language asked for, frames ready to chart.

Counts are persons; rates per 1,000 residents; residual migration in percent.
"""
from __future__ import annotations

import pandas as pd

import formats
import queries
from i18n import tr
from queries import dynamics as dyn
from queries import notes
from queries import projections as qp


def official(series: pd.DataFrame) -> pd.DataFrame:
    """The rows of the official series (住民基本台帳人口移動, juki_dynamics)."""
    return series[series["source_id"] == "juki_dynamics"]


def coverage(code: str, series: pd.DataFrame) -> list[tuple[str, object]]:
    """The coverage items (ui.coverage.coverage): the latest official migration period and population date."""
    return [("cov_migration", notes.latest_period(official(series))),
            ("cov_population", notes.latest_date(queries.latest_population(code)))]


def trend(series: pd.DataFrame, source: str, nat: str, lang: str) -> dict:
    """The series chosen (sel), its chart's measure names and title, and the Japanese-only note if it applies."""
    sel = dyn.select_series(series, source, nat)
    return dict(sel=sel, title=tr("chart_in_out", lang),
                names={"in_total": tr("in_total", lang), "out_total": tr("out_total", lang),
                       "net": tr("net_migration", lang)},
                note=tr("japanese_only_note", lang) if (sel["scope"] == "japanese_only").any() else None)


def split(sel: pd.DataFrame) -> pd.DataFrame:
    """The periods of `sel` with a domestic/abroad split."""
    return sel.dropna(subset=["in_domestic", "in_abroad"])


def rates(code: str, nat: str, lang: str) -> dict:
    """The official migration rates (per 1,000) of the nationality chosen, with the names of their measures."""
    return dict(rates=dyn.select_series(dyn.rates((code,)), "juki_dynamics", nat),
                title=tr("chart_migration_rates", lang),
                measures={m: tr(m, lang) for m in ("in_rate", "out_rate", "net_migration_rate")})


def partners(code: str, kind: str, pref_name: str, lang: str) -> dict:
    """The partner areas of `code`, or of its prefecture when a municipality has none (fallback: the message).

    Returns dict(flows, area (whose flows), fallback (text or None), and when flows exist: title (naming the area
    and publisher whose table it is), source_line (the table's publisher, since the page's source switch is the
    series'), ranks (dyn.published_rankings), name_col, cols (table columns), shown (the chart's top 10 in and
    out), period_key, note)."""
    flows, area, fallback = dyn.partner_flows(code), code, None
    if flows.empty and kind not in ("nation", "prefecture"):
        area = code[:2] + "000"
        flows = dyn.partner_flows(area)
        fallback = tr("od_prefecture_instead", lang, pref=pref_name)
    out = dict(flows=flows, area=area, fallback=fallback)
    if flows.empty:
        return out
    published = not flows["source_id"].eq("idou_2025_table2").all()
    period = formats.period(flows["period"].iat[0], lang)
    publishers = "・".join(dict.fromkeys(queries.sources(lang).reindex(flows["source_id"].unique())["publisher"]
                                        .dropna())) or "—"
    if published:  # a table the area published itself: the title names its publisher (the source toggle is the series')
        title = tr("flows_title", lang, period=period, publisher=publishers)
    elif area != code:  # the prefecture's table shown for a municipality that has none: say whose it is
        title = tr("od_title_fallback", lang, period=period, pref=pref_name, name=_name(code, lang))
    else:
        title = tr("od_title", lang, period=period)
    name_col = "partner_ja" if lang == "ja" else "partner_en"
    shown = flows[~flows["is_group"] & flows["partner_code"].str.endswith("000")]
    shown = pd.concat([shown.nlargest(10, "net"), shown.nsmallest(10, "net")]).drop_duplicates("partner_code")
    return dict(out, title=title, source_line=tr("partners_source", lang, source=publishers),
                ranks=dyn.published_rankings(flows), name_col=name_col,
                cols=["rank", name_col, "in_movers", "out_movers", "net"], shown=shown,
                period_key="period_fy" if published else "period_cy",
                note=tr("flows_note" if published else "od_note", lang))


def _name(code: str, lang: str) -> str:
    """The area's name in `lang` (the Japanese one where it has no English name)."""
    row = dyn.area_names((code,))
    if row.empty:
        return code
    en = row["name_en"].iat[0]
    return en if lang == "en" and isinstance(en, str) and en else row["name_ja"].iat[0]


def youth(code: str) -> pd.DataFrame:
    """Net migration of the young by age (dyn.youth_net)."""
    return dyn.youth_net(code)


def youth_missing(code: str, kind: str, lang: str) -> str:
    """Why the 15–29 table has no row for the area (notes.youth_gap): for towns and villages only their 郡 totals
    are published, for Tokyo's special wards only the 23 wards together, for a designated city's wards only the
    city, for prefectures and Japan only the 市部/郡部 split."""
    gap = notes.youth_gap(kind)
    city = ""
    if gap == "ward":
        parent = queries.areas().set_index("area_code")["parent_code"].get(code)
        city = _name(parent, lang) if isinstance(parent, str) else ""
    return tr(f"youth_unavailable_{gap}", lang, city=city)


def youth_shown(youth: pd.DataFrame) -> pd.DataFrame:
    """The youth net-migration bars: both sexes, without the 15-29 total."""
    return youth[(youth["sex"] == "total") & (youth["age_group"] != "15-29")]


def residual(code: str, lang: str) -> dict | None:
    """Residual migration by age (percent) and its caption note; None when the projection inputs have none."""
    frame = qp.residual_migration(code)
    if frame is None:
        return None
    notes = qp.inputs(code).notes
    return dict(frame=frame, title=tr("residual_title", lang),
                note=tr("residual_note", lang, windows=notes["windows"], survival=tr("survival_assumption", lang)))


def waterfall_periods(series: pd.DataFrame) -> list[str]:
    """The official periods, latest first."""
    return list(dict.fromkeys(official(series).sort_values("period_end")["period"]))[::-1]


def waterfall(code: str, period: str | None, default: str, lang: str) -> dict | None:
    """The waterfall of `period` (`default` if none chosen) with its title, period kind and note; None when it
    cannot be drawn."""
    wf = dyn.waterfall(code, period or default)
    if wf is None:
        return None
    japanese = wf["nationality"].iat[0] == "japanese"
    return dict(wf=wf, title=tr("waterfall_title", lang, period=formats.period(period or default, lang)),
                period_key="period_fy" if str(period).startswith("FY") else "period_cy",
                note=tr("waterfall_note", lang) + (f" {tr('scope_japanese_only', lang)}" if japanese else ""))
