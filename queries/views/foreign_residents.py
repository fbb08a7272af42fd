"""What the foreign residents page (外国人住民) shows: the register cards and notes, the city's statements, the
pyramid notes and the nationality / residence-status panels (在留外国人統計: prefectures and 全国 only)
with their cards, chart arguments and table labels — texts in the language asked for.

Counts are persons; shares percent; dates as printed (住民基本台帳: 1 January; 在留外国人統計: month ends).
"""
from __future__ import annotations

import pandas as pd

import formats
from i18n import tr
from queries import foreign as qf


def month_end(d, lang: str) -> str:
    """'2024年12月末' (ja) / the English month end of date `d`."""
    d = pd.Timestamp(d)
    return tr("fr_month_end", lang, y=d.year, m=d.month)


def _date(d, lang: str) -> str:
    return formats.date(d, lang)


def _int(value, lang: str) -> str:
    return formats.number(value, lang, none=tr("unavailable", lang))


def population_cards(reg: pd.DataFrame, lang: str) -> list[tuple]:
    """The three register cards (foreign residents, their share, Japanese residents) on the latest date, each
    against the first date, as ui.show.render blocks. reg: qf.population rows of basis 'juki' (not empty)."""
    first, last = reg.iloc[0], reg.iloc[-1]
    since = tr("fr_since", lang, date=_date(first["ref_date"], lang))
    at = _date(last["ref_date"], lang)
    return [
        ("metric", (tr("fr_card_foreign", lang, date=at), _int(last["foreign"], lang)),
         dict(delta=formats.metric_delta(last["foreign"] - first["foreign"]), delta_description=since, border=True)),
        ("metric", (tr("fr_card_share", lang, date=at), f"{last['foreign_share_pct']:.2f}%"),
         dict(delta=formats.metric_delta(last["foreign_share_pct"] - first["foreign_share_pct"], 2, "pt"),
              delta_description=since, delta_color="off", border=True)),
        ("metric", (tr("fr_card_japanese", lang, date=at), _int(last["japanese"], lang)),
         dict(delta=formats.metric_delta(last["japanese"] - first["japanese"]), delta_description=since, border=True)),
    ]


def population_note(pop: pd.DataFrame, lang: str) -> str:
    """The population chart's note, with the city-register remark when the city's own counts are drawn."""
    city = (pop["basis"] == "city_register").any()
    return tr("fr_population_note", lang) + (" " + tr("fr_city_note", lang) if city else "")


def statement_lines(said: pd.DataFrame, lang: str) -> list[str]:
    """One markdown bullet per published statement, with the period it speaks of."""
    lines = []
    for r in said.itertuples():
        when = "〜".join(_date(p, lang) for p in r.period.split("/"))
        lines.append(f"- {r.statement_ja if lang == 'ja' else r.statement_en}　"
                     f"（{tr('fr_statement_period', lang, period=when)}）")
    return lines


def pyramid_texts(pyr: pd.DataFrame, same: bool, lang: str) -> dict:
    """dict(heading, note, half (the shared half-width when `same`, else None), panels [(nationality, title)])."""
    date = _date(pyr["ref_date"].iat[0], lang)
    return dict(heading=tr("fr_pyramid_heading", lang, date=date),
                note=tr("fr_pyramid_note", lang, date=date) + " "
                + tr("fr_scale_same" if same else "fr_scale_own", lang),
                half=qf.pyramid_max(pyr) if same else None,
                panels=[(nat, tr("fr_pyramid_title", lang, nat=tr("nat_" + nat, lang)))
                        for nat in ("japanese", "foreign")])


def _cards(tot: pd.DataFrame, places: list[tuple[str, str]], lang: str) -> list[tuple]:
    blocks = []
    for lv, where in places:
        s = tot[tot["level"] == lv].sort_values("ref_date")
        cur, prev = s.iloc[-1], s[s["ref_date"] < s["ref_date"].iloc[-1] - pd.Timedelta(days=300)].iloc[-1]
        blocks.append(("metric", (tr("fr_card_moj", lang, place=where, date=month_end(cur["ref_date"], lang)),
                                  _int(cur["persons"], lang)),
                       dict(delta=formats.metric_delta(cur["persons"] - prev["persons"]),
                            delta_description=tr("vs_prev_date", lang, date=month_end(prev["ref_date"], lang)),
                            border=True)))
    return blocks


def nationality(code: str, kind: str, name: str, pref_name: str, lang: str) -> dict:
    """The nationality and residence-status section of area `code` (`kind`; name: the area's display name,
    pref_name: its prefecture's). Returns dict(empty (no breakdown at all), pref (the code shown), fallback (the
    'prefecture shown' message or ''), cards (ui.show.render blocks, one per level), panels [dict(frame, top, key,
    title, subtitle, note)] for the non-empty breakdowns, tables [(frame, label header)], prev_label,
    latest_label, labels (table column headers))."""
    pref, level = qf.scope(code, kind)
    rows = qf.residents(pref)
    nat = qf.breakdown(rows, pref, "nationality_country", lang)
    status = qf.breakdown(rows, pref, "residence_status", lang)
    out = dict(empty=nat.empty and status.empty, pref=pref)
    if out["empty"]:
        return out
    nation = tr("fr_place_nation", lang)
    place = nation if level == "nation" else (name if level == "prefecture" else pref_name)
    fallback = tr("fr_fallback", lang, pref=place) if level == "prefecture_fallback" else ""
    places = [("area", place), ("nation", nation)][:2 if level != "nation" else 1]
    ref = nat if not nat.empty else status
    prev_label, latest_label = month_end(ref["prev_date"].iat[0], lang), month_end(ref["latest_date"].iat[0], lang)
    dates = tr("fr_subtitle", lang, prev=prev_label)
    panels = []
    for frame_, key, title_key, extra, n in ((nat, "nationality", "fr_chart_nationality", "fr_moj_note", 10),
                                             (status, "status", "fr_chart_status", "fr_status_note", 11)):
        top = frame_.head(n)
        more = tr("fr_top", lang, n=len(top), total=len(frame_)) if len(top) < len(frame_) else ""
        panels.append(dict(frame=frame_, top=top, key=key, title=tr(title_key, lang, place=place),
                           subtitle=[s for s in (fallback, dates, more) if s],
                           note=tr("fr_dates_note", lang, prev=prev_label, latest=latest_label) + tr(extra, lang)))
    labels = {"change": tr("fr_change_persons", lang), "change_pct": tr("fr_change_pct", lang),
              "share_pct": tr("fr_col_share", lang), "nation_latest": tr("fr_col_nation", lang, date=latest_label),
              "nation_share_pct": tr("fr_col_nation_share", lang)}
    return out | dict(fallback=fallback, cards=_cards(qf.totals(rows, pref), places, lang), panels=panels,
                      tables=[(f, tr(h, lang)) for f, h in ((nat, "fr_col_nationality"), (status, "fr_col_status"))],
                      prev_label=prev_label, latest_label=latest_label, labels=labels)
