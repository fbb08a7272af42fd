"""The glossary shown on the indicator page, generated from indicators.definitions (never written by hand)."""
from __future__ import annotations

import pandas as pd

from indicators.definitions import INDICATORS, SIZE_BANDS, VANISHING_THRESHOLD

COLUMNS = {"ja": ["指標", "定義（計算式）", "期間", "単位", "出典", "注"],
           "en": ["Indicator", "Definition (formula)", "Period", "Unit", "Source", "Note"]}


def glossary(lang: str, source_names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per indicator: name, formula, period, unit, sources (names from `source_names`, a mapping
    source_id → 'publisher『title』'; the id itself where missing), note. Column headers in `lang`."""
    names = source_names or {}
    rows = [[i.name[lang], i.formula[lang], i.period[lang], i.unit[lang],
             "; ".join(names.get(s, s) for s in i.source_ids), i.note[lang]] for i in INDICATORS]
    return pd.DataFrame(rows, columns=COLUMNS[lang])


def size_band_labels(lang: str) -> list[str]:
    """Labels of the 人口規模 bands of indicators.compute.size_band ('5千〜1万人', …)."""
    def f(n: int) -> str:
        if lang == "en":
            return f"{n:,}"
        return f"{n // 10_000}万" if n >= 10_000 and n % 10_000 == 0 else (f"{n // 1000}千" if n % 1000 == 0 else f"{n:,}")
    out = []
    for lo, hi in zip(SIZE_BANDS, [*SIZE_BANDS[1:], None]):
        if hi is None:
            out.append(f"{f(lo)}人以上" if lang == "ja" else f"{f(lo)} or more")
        elif lo == 0:
            out.append(f"{f(hi)}人未満" if lang == "ja" else f"under {f(hi)}")
        else:
            out.append(f"{f(lo)}〜{f(hi)}人未満" if lang == "ja" else f"{f(lo)} to under {f(hi)}")
    return out


def criterion_text(lang: str) -> str:
    """The 人口戦略会議 criterion and the data vintage, stated once for both pages."""
    limit = f"{VANISHING_THRESHOLD:.0f}".replace("-", "−")
    if lang == "ja":
        return (f"人口戦略会議『令和6年・地方自治体「持続可能性」分析レポート』（2024年4月）は、2020年から2050年までの30年間に"
                f"20〜39歳の女性人口が50％以上減少する（増減率が{limit}％以下の）自治体を「消滅可能性自治体」と"
                "しました（1,729自治体中744）。同会議が使った社人研『日本の地域別将来推計人口（令和5年推計）』は本アプリには総数と3区分しか"
                "なく、男女・5歳階級がありません。ここでは同じ基準を (1) 本アプリの推計（住民基本台帳 2015〜2022年の傾向、2020→2050年）と (2) 社人研"
                "平成30年推計（2015→2045年）に当てはめた参考値を示します。同会議の公式の分類ではありません。")
    return ("The 人口戦略会議 (Population Strategy Council) report of April 2024 called a municipality 'at risk of "
            f"vanishing' (消滅可能性自治体) when its women aged 20–39 fall by 50% or more (change of {limit}% "
            "or lower) over the 30 years 2020–2050 (744 of 1,729 municipalities). It used IPSS's 2023 regional "
            "projections, which this database holds only as totals and three age groups (no sex, no 5-year ages). Shown here is the same test applied to (1) this app's "
            "projection (register trends 2015–2022, 2020→2050) and (2) the IPSS 2018 projection (2015→2045): "
            "reference values, not the council's classification.")
