"""Every indicator of the comparison page, defined once: formula, source, period, unit, display classes.

The glossary (indicators.glossary), the page's labels and captions, and the computation (indicators.compute)
all read these definitions, so a formula is written in one place. Periods are fixed constants here (the data
vintage of the national database): change them together with the SQL parameters in estimates/indicators.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Reference dates (住民基本台帳, 1 January) and calendar years of the register figures used.
POP_FROM, POP_TO = dt.date(2020, 1, 1), dt.date(2025, 1, 1)
AGE_DATE = dt.date(2022, 1, 1)          # latest age table of the register
FLOW_YEARS = (2017, 2018, 2019, 2020, 2021)  # calendar years of births, deaths and moves (CY2017–CY2021)
IPSS_FROM, IPSS_TO = 2015, 2045          # IPSS 2018: census base and last projected year
IPSS23_FROM, IPSS23_TO = 2020, 2050      # IPSS 2023 (the latest official projection): census base and last year
APP_BASE, APP_TO = 2020, 2050            # this app's projection: register base and the 30-year horizon
#: 人口戦略会議 (2024): a municipality whose women aged 20–39 fall by 50% or more over 30 years.
YOUNG_WOMEN_AGES = ("20-24", "25-29", "30-34", "35-39")
VANISHING_THRESHOLD = -50.0              # percent change; at or below = 消滅可能性自治体 by the criterion
#: Municipal codes that changed after the IPSS 2018 projection was published (old code → current code).
IPSS_CODE_CHANGES = {"40305": "40231"}  # 那珂川町 → 那珂川市 (2018-10-01)
#: 人口規模 bands (persons on POP_TO) for the "same size" peer group: lower bounds.
SIZE_BANDS = (0, 5_000, 10_000, 30_000, 50_000, 100_000, 200_000, 500_000)


@dataclass(frozen=True)
class Indicator:
    """One indicator. Texts are {'ja': …, 'en': …}.

    key: column name in indicators.compute output; name/short: full and axis label; formula, period, unit,
    note: glossary texts; source_ids: rows of the `sources` table; decimals: shown digits; breaks: fixed class
    thresholds of the choropleth (so prefectures compare); diverging: classes are centred on `centre` (losses
    vermillion, gains blue) rather than one sequential ramp.
    """

    key: str
    name: dict
    short: dict
    formula: dict
    period: dict
    unit: dict
    source_ids: tuple[str, ...]
    decimals: int
    breaks: tuple[float, ...]
    diverging: bool = True
    centre: float = 0.0
    note: dict = field(default_factory=lambda: {"ja": "", "en": ""})

    def label(self, lang: str) -> str:
        """Name with unit, e.g. '高齢化率（％）'."""
        return f"{self.name[lang]}（{self.unit[lang]}）" if lang == "ja" else f"{self.name[lang]} ({self.unit[lang]})"


_PCT = {"ja": "％", "en": "%"}
_PER1000 = {"ja": "人口千人あたり・年", "en": "per 1,000 residents per year"}
_FLOW_PERIOD = {"ja": "2017〜2021年（暦年、5年間の平均）", "en": "CY2017–CY2021 (calendar years, 5-year average)"}
_APP_NOTE = {"ja": "本アプリの推計は将来人口推計ページの既定設定（趨勢、合計特殊出生率・移動率の変更なし、外国人比率の目標 2070年10.8%）と同じ。"
                   "人口の少ない町村では2015〜2022年の転入・転出の偶然の偏りが30年先まで引き伸ばされ、極端な値になることがある。",
             "en": "This app's projection with the projection page's default settings (trend, no fertility or "
                   "migration change, foreign share target 10.8% in 2070). In small municipalities chance swings of "
                   "moves in 2015–2022 are carried 30 years ahead and can give extreme values."}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="pop_change", name={"ja": "人口増減率", "en": "Population change"},
        short={"ja": "人口増減率（2020→2025年、％）", "en": "Population change 2020–2025 (%)"},
        formula={"ja": "（2025年1月1日の総人口 ÷ 2020年1月1日の総人口 − 1）× 100",
                 "en": "(population on 1 Jan 2025 ÷ population on 1 Jan 2020 − 1) × 100"},
        period={"ja": "2020年1月1日→2025年1月1日（5年間）", "en": "1 Jan 2020 → 1 Jan 2025 (5 years)"},
        unit=_PCT, source_ids=("juki_dynamics", "juki_totals_2013_2025"), decimals=1,
        breaks=(-15.0, -10.0, -6.0, -3.0, 0.0, 3.0, 6.0),
        note={"ja": "日本人と外国人の計。", "en": "Japanese and foreign residents."}),
    Indicator(
        key="aging_rate", name={"ja": "高齢化率", "en": "Aged 65+ share"},
        short={"ja": "高齢化率（2022年、％）", "en": "Aged 65+ share 2022 (%)"},
        formula={"ja": "65歳以上人口 ÷ 年齢判明人口 × 100", "en": "persons aged 65+ ÷ persons of known age × 100"},
        period={"ja": "2022年1月1日", "en": "1 Jan 2022"}, unit=_PCT, source_ids=("juki_age",), decimals=1,
        breaks=(25.0, 30.0, 35.0, 40.0, 45.0, 50.0), diverging=False,
        note={"ja": "住民基本台帳の年齢別人口で最新の基準日。日本人と外国人の計。",
              "en": "Latest age table of the register; Japanese and foreign residents."}),
    Indicator(
        key="natural_rate", name={"ja": "自然増減率", "en": "Natural change rate"},
        short={"ja": "自然増減率（2017〜21年、千人あたり）", "en": "Natural change 2017–21 (per 1,000)"},
        formula={"ja": "5年間の（出生数 − 死亡数）の合計 ÷ 各年の年初・年末人口の平均の合計 × 1,000",
                 "en": "Σ (births − deaths) over the 5 years ÷ Σ mean of start and end population of each year × 1,000"},
        period=_FLOW_PERIOD, unit=_PER1000, source_ids=("juki_dynamics",), decimals=1,
        breaks=(-20.0, -15.0, -10.0, -6.0, -3.0, 0.0, 3.0),
        note={"ja": "単年では小さな町村の値が大きく振れるため5年間で計算。", "en": "Five years pooled: one year is noisy in small places."}),
    Indicator(
        key="net_migration_rate", name={"ja": "社会増減率", "en": "Net migration rate"},
        short={"ja": "社会増減率（2017〜21年、千人あたり）", "en": "Net migration 2017–21 (per 1,000)"},
        formula={"ja": "5年間の（転入者数 − 転出者数）の合計 ÷ 各年の年初・年末人口の平均の合計 × 1,000",
                 "en": "Σ (in-migrants − out-migrants) over the 5 years ÷ Σ mean of start and end population × 1,000"},
        period=_FLOW_PERIOD, unit=_PER1000, source_ids=("juki_dynamics",), decimals=1,
        breaks=(-10.0, -6.0, -3.0, -1.0, 1.0, 3.0, 6.0, 10.0),
        note={"ja": "職権記載・帰化などの「その他」の増減は含まない（社会動態ページと同じ定義）。",
              "en": "Other entries and removals (e.g. naturalisation) excluded, as on the migration page."}),
    Indicator(
        key="foreign_share", name={"ja": "外国人住民比率", "en": "Foreign residents' share"},
        short={"ja": "外国人住民比率（2025年、％）", "en": "Foreign share 2025 (%)"},
        formula={"ja": "外国人住民数 ÷ 総人口 × 100", "en": "foreign residents ÷ all residents × 100"},
        period={"ja": "2025年1月1日", "en": "1 Jan 2025"}, unit=_PCT, source_ids=("juki_totals_2013_2025",),
        decimals=2, breaks=(0.5, 1.0, 2.0, 3.0, 5.0, 10.0), diverging=False),
    Indicator(
        key="youth_net_rate", name={"ja": "若年層（15〜29歳）の転入超過率", "en": "Youth (15–29) net migration rate"},
        short={"ja": "15〜29歳の転入超過率（2017〜21年、千人あたり）", "en": "Net migration aged 15–29, 2017–21 (per 1,000)"},
        formula={"ja": "5年間の日本人15〜29歳の転入超過数の合計 ÷ 各年1月1日の日本人15〜29歳人口の合計 × 1,000",
                 "en": "Σ net migration of Japanese aged 15–29 over the 5 years ÷ Σ Japanese persons aged 15–29 on "
                       "1 January of each year × 1,000"},
        period=_FLOW_PERIOD, unit=_PER1000,
        source_ids=("youth_net_migration", "juki_age"), decimals=1, breaks=(-30.0, -20.0, -10.0, -3.0, 3.0, 10.0, 20.0),
        note={"ja": "住民基本台帳人口移動報告は町村を郡単位でしか公表しないため、市・特別区部・1町村だけの郡に限られる。"
                    "日本人人口＝総数−外国人。",
              "en": "The migration report publishes towns and villages only as 郡 totals, so cities, the Tokyo "
                    "ward area and single-municipality 郡 only. Japanese = all − foreign residents."}),
    Indicator(
        key="ipss_change_2050", name={"ja": "将来人口増減率（社人研 令和5年推計）", "en": "Projected change (IPSS 2023)"},
        short={"ja": "将来人口増減率 2020→2050年（社人研 2023、％）", "en": "Projected change 2020–2050, IPSS 2023 (%)"},
        formula={"ja": "（2050年の推計人口 ÷ 2020年の人口 − 1）× 100", "en": "(projected 2050 ÷ 2020 population − 1) × 100"},
        period={"ja": "2020年（国勢調査）→2050年", "en": "2020 (census) → 2050"}, unit=_PCT,
        source_ids=("ipss_r5_municipal",), decimals=1, breaks=(-50.0, -40.0, -30.0, -20.0, -10.0, 0.0, 10.0),
        note={"ja": "社人研 令和5年推計（2023年、最新の公式推計）。政令市の区も推計がある。福島県浜通りの13市町村は「浜通り地域」として一括推計のため、市町村別の値はない。",
              "en": "IPSS 2023 projection (the latest official one); wards included. Fukushima's 13 浜通り municipalities "
                    "were projected together as 浜通り地域, so none of them has its own value."}),
    Indicator(
        key="ipss_change_2045", name={"ja": "将来人口増減率（社人研 平成30年推計）", "en": "Projected change (IPSS 2018)"},
        short={"ja": "将来人口増減率 2015→2045年（社人研 2018、％）", "en": "Projected change 2015–2045, IPSS 2018 (%)"},
        formula={"ja": "（2045年の推計人口 ÷ 2015年の人口 − 1）× 100", "en": "(projected 2045 ÷ 2015 population − 1) × 100"},
        period={"ja": "2015年（国勢調査）→2045年", "en": "2015 (census) → 2045"}, unit=_PCT,
        source_ids=("ipss_h30_municipal",), decimals=1, breaks=(-50.0, -40.0, -30.0, -20.0, -10.0, 0.0, 10.0),
        note={"ja": "社人研 平成30年推計（2018年、前回の版）。福島県の市町村と政令市の区は推計がない。",
              "en": "IPSS 2018 projection (the earlier vintage); none for Fukushima's municipalities or for wards."}),
    Indicator(
        key="app_change_2050", name={"ja": "将来人口増減率（本アプリ）", "en": "Projected change (this app)"},
        short={"ja": "将来人口増減率 2020→2050年（本アプリ、％）", "en": "Projected change 2020–2050, this app (%)"},
        formula={"ja": "（2050年の推計人口 ÷ 2020年1月1日の人口 − 1）× 100",
                 "en": "(projected 2050 ÷ population on 1 Jan 2020 − 1) × 100"},
        period={"ja": "2020年→2050年", "en": "2020 → 2050"}, unit=_PCT, source_ids=("juki_age",), decimals=1,
        breaks=(-50.0, -40.0, -30.0, -20.0, -10.0, 0.0, 10.0),
        note={"ja": "コーホート要因法（住民基本台帳 2015〜2022年の傾向）。" + _APP_NOTE["ja"],
              "en": "Cohort-component projection from register trends 2015–2022. " + _APP_NOTE["en"]}),
    Indicator(
        key="young_women_ipss_2045", name={"ja": "20〜39歳女性の増減率（社人研）", "en": "Women aged 20–39 (IPSS 2018)"},
        short={"ja": "20〜39歳女性 2015→2045年（社人研、％）", "en": "Women 20–39, 2015–2045, IPSS (%)"},
        formula={"ja": "（2045年の20〜39歳女性 ÷ 2015年の20〜39歳女性 − 1）× 100",
                 "en": "(women aged 20–39 in 2045 ÷ in 2015 − 1) × 100"},
        period={"ja": "2015年→2045年（30年間）", "en": "2015 → 2045 (30 years)"}, unit=_PCT,
        source_ids=("ipss_h30_municipal",), decimals=1, breaks=(-60.0, -50.0, -40.0, -30.0, -20.0, 0.0),
        note={"ja": "−50％以下は人口戦略会議（2024）の基準で「消滅可能性自治体」に当たる（同会議は社人研 令和5年推計の2020→2050年を使用。本アプリは同推計を総数と3区分でのみ収録し、男女・5歳階級がないため平成30年推計を使う）。",
              "en": "−50% or less meets the 人口戦略会議 (2024) criterion for a 'municipality at risk of vanishing' "
                    "(their analysis used IPSS 2023, 2020→2050; this database holds IPSS 2023 only as totals and three age "
                    "groups, without sex and 5-year ages, so the 2018 vintage is used)."}),
    Indicator(
        key="young_women_app_2050", name={"ja": "20〜39歳女性の増減率（本アプリ）", "en": "Women aged 20–39 (this app)"},
        short={"ja": "20〜39歳女性 2020→2050年（本アプリ、％）", "en": "Women 20–39, 2020–2050, this app (%)"},
        formula={"ja": "（2050年の20〜39歳女性 ÷ 2020年1月1日の20〜39歳女性 − 1）× 100",
                 "en": "(women aged 20–39 in 2050 ÷ on 1 Jan 2020 − 1) × 100"},
        period={"ja": "2020年→2050年（30年間）", "en": "2020 → 2050 (30 years)"}, unit=_PCT, source_ids=("juki_age",),
        decimals=1, breaks=(-60.0, -50.0, -40.0, -30.0, -20.0, 0.0),
        note={"ja": "−50％以下は人口戦略会議（2024）の基準に当たる。" + _APP_NOTE["ja"],
              "en": "−50% or less meets the 人口戦略会議 (2024) criterion. " + _APP_NOTE["en"]}),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
