"""What the overview page (概要, app.py) shows: the four headline cards (population, natural change, social change,
aging rate) as blocks for ui.show.render, the text on the gap to the population target and the published vs
official comparison as a display frame — texts in the language asked for.

Counts are persons; the aging rate is a percent share (changes in points).
"""
from __future__ import annotations

import pandas as pd

import formats
from i18n import tr

#: The published vs official table: its columns and display label keys; NUMBERS are shown as localized numbers.
DIFF_COLUMNS = {"period": "period", "measure": "measure", "published": "published", "official": "official",
                "difference": "difference", "official_nationality": "scope"}
NUMBERS = ("published", "official", "difference")


def _int(value, lang: str) -> str:
    return formats.number(value, lang, none=tr("unavailable", lang))


def _missing(card: str, fmt_key: str, lang: str) -> list[tuple]:
    return [("metric", (tr(card, lang, **{fmt_key: "—"}), tr("unavailable", lang)), dict(border=True))]


def _population(p: dict | None, lang: str) -> list[tuple]:
    if not p:
        return _missing("card_population", "date", lang)
    date = formats.date
    prev = p["prev_total"] is not None
    share = "—" if p["foreign_share"] is None else f"{p['foreign_share']:.1f}%"
    metric = dict(delta=formats.metric_delta(p["total"] - p["prev_total"]) if prev else None,
                  delta_description=tr("vs_prev_date", lang, date=date(p["prev_date"], lang)) if prev else None,
                  help=tr("card_population_help", lang, jp=_int(p["japanese"], lang), fr=_int(p["foreign"], lang),
                          share=share),
                  border=True)
    note = (f"{tr('nat_japanese', lang)} {_int(p['japanese'], lang)}・"
            f"{tr('nat_foreign', lang)} {_int(p['foreign'], lang)}")
    return [("metric", (tr("card_population", lang, date=date(p["date"], lang)), _int(p["total"], lang)), metric),
            ("caption", (note,), {})]


def _flow(f: dict | None, key: str, card: str, sources: pd.DataFrame, lang: str) -> list[tuple]:
    if not f:
        return _missing(card, "period", lang)
    period = formats.period
    prev = f["prev_value"] is not None
    metric = dict(delta=formats.metric_delta(f["value"] - f["prev_value"]) if prev else None,
                  delta_description=tr("vs_prev_period", lang, period=period(f["prev_period"], lang)) if prev else None,
                  help=tr("card_social_help", lang) if key == "social" else None, border=True)
    note = (tr("card_source", lang, source=sources.loc[f["source_id"], "publisher"])
            + ("" if f["nationality"] == "total" else f"（{tr('scope_japanese_only', lang)}）"))
    return [("metric", (tr(card, lang, period=period(f["period"], lang)), _int(f["value"], lang)), metric),
            ("caption", (note,), {})]


def _aging(a: dict | None, lang: str) -> list[tuple]:
    if not a:
        return _missing("card_aging", "date", lang)
    prev = a["prev_share"] is not None
    metric = dict(delta=formats.metric_delta(a["share"] - a["prev_share"], 1, "pt") if prev else None,
                  delta_description=tr("vs_prev_date", lang, date=formats.date(a["prev_date"], lang)) if prev else None,
                  delta_color="off", help=tr("card_aging_help", lang), border=True)
    return [("metric", (tr("card_aging", lang, date=formats.date(a["date"], lang)), f"{a['share']:.1f}%"), metric)]


def cards(h: dict, sources: pd.DataFrame, lang: str) -> list[list[tuple]]:
    """The four headline cards of queries.headline `h` (sources: queries.sources()), one list of blocks
    (Streamlit element, args, kwargs) per column: a metric, and a caption under the population and flow cards;
    a card without data reads 'unavailable'."""
    return [_population(h["population"], lang),
            _flow(h["natural"], "natural", "card_natural", sources, lang),
            _flow(h["social"], "social", "card_social", sources, lang),
            _aging(h["aging"], lang)]


def target(trend: pd.DataFrame, tg: pd.Series, projections: pd.DataFrame) -> dict:
    """The population target `tg` (a queries.targets row) against the actual totals of `trend` and the projected
    totals: dict(actual, proj (nationality 'total' only), source_ids (actual, target, projections))."""
    actual = trend[(trend["nationality"] == "total")]
    proj = projections[(projections["nationality"] == "total")]
    return dict(actual=actual, proj=proj,
                source_ids=[*actual["source_id"].unique(), tg["source_id"], *proj["source_id"].unique()])


def target_gap(actual: pd.DataFrame, tg: pd.Series, lang: str) -> str:
    """'The latest population … is N above/below the target …' (markdown), from the last actual total."""
    last = actual.iloc[-1]
    gap = int(last["persons"] - tg["target_value"])
    return tr("target_gap", lang, actual=_int(last["persons"], lang), date=formats.date(last["ref_date"], lang),
              target=_int(tg["target_value"], lang), gap=_int(abs(gap), lang),
              dir=tr("above" if gap >= 0 else "below", lang))


def target_note(tg: pd.Series, lang: str) -> str:
    """The note under the target chart: the KPI, its target value and the plan."""
    return tr("chart_target_note", lang, kpi=tg["kpi"], target=_int(tg["target_value"], lang), plan=tg["plan"])


def published_vs_official(diff: pd.DataFrame, lang: str) -> dict:
    """The published vs official comparison for display: dict(frame (periods, measures and scopes in words,
    without source_id), labels (column -> display label))."""
    shown = diff.assign(period=diff["period"].map(lambda p: formats.period(p, lang)),
                        measure=diff["measure"].map(lambda m: tr("m_" + m, lang)),
                        official_nationality=diff["official_nationality"].map(lambda n: tr("nat_" + n, lang)))
    return dict(frame=shown.drop(columns=["source_id"]),
                labels={c: tr(k, lang) for c, k in DIFF_COLUMNS.items()})
