"""The session-language layer over the catalogues (i18n): pages call `t(key, **fmt)`; a missing key raises."""
from __future__ import annotations

import streamlit as st

import formats
from i18n import LANGS, STRINGS, tr


def _register_derived() -> None:
    """Words whose text lives in a definition, not in a catalogue: indicator units and periods
    (indicators.definitions) and the explorer's column labels and category words (queries.columns), registered under
    the keys captions and tables look up (ix_unit_<key>, ix_period_<key>, xc_<column>, xv_<code>)."""
    from indicators.definitions import INDICATORS
    from queries import columns as cat

    derived = {}
    for ind in INDICATORS:
        derived[f"ix_unit_{ind.key}"] = dict(ind.unit)
        derived[f"ix_period_{ind.key}"] = dict(ind.period)
    derived |= {f"xc_{name}": {"ja": col.header("ja"), "en": col.header("en")} for name, col in cat.COLUMNS.items()}
    for enum in ("nationality", "sex", "period_kind", "basis", "projection", "scenario"):
        for code, (ja, en) in cat.ENUMS[enum].items():
            derived.setdefault(f"xv_{code}", {"ja": ja, "en": en})
    clash = set(derived) & set(STRINGS)
    if clash:
        raise KeyError(f"derived UI words also in a catalogue: {sorted(clash)[:5]}")
    STRINGS.update(derived)


_register_derived()




def lang() -> str:
    """The session's UI language ('ja' default)."""
    value = st.session_state.get("lang", "ja")
    return value if value in LANGS else "ja"


def t(key: str, **fmt) -> str:
    """The string `key` in the session's language, formatted with `fmt`. Unknown keys raise KeyError."""
    return tr(key, lang(), **fmt)


def fmt_int(value, signed: bool = False) -> str:
    """A count with thousands separators; negatives as '△1,825' in Japanese, '−1,825' in English."""
    return formats.number(value, lang(), signed=signed, none=t("unavailable"))


def fmt_date(iso) -> str:
    """A reference date as '2025年1月1日' (ja) or '1 Jan 2025' (en)."""
    return formats.date(iso, lang())


def period_text(period: str, language: str) -> str:
    """'FY2024' -> '2024年度' (ja) / 'FY2024' (en); 'CY2021' -> '2021年' / 'CY2021'; spans keep both ends."""
    return formats.period(period, language)


def fmt_period(period: str) -> str:
    """period_text in the session's language."""
    return period_text(period, lang())
