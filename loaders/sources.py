"""The official sources the loaders read, as rows of the `sources` table.

Every fact row carries one of these ids; the app prints publisher, title and table next to each chart. The
English publisher and title of every row (the publications' own English names where they have one) are in `ENGLISH`
(and `_english_by_pattern` for the ids a loader makes per year or date); `with_english` adds them at build time.
"""
from __future__ import annotations

import re

import pandas as pd

SOURCE_COLUMNS = ["source_id", "publisher", "title", "table_id", "url", "retrieved", "licence", "note"]
ENGLISH_COLUMNS = ["publisher_en", "title_en", "table_id_en"]

_SOUMU = "総務省 自治行政局 住民制度課"
_JUKI_TITLE = "住民基本台帳に基づく人口、人口動態及び世帯数"
_LICENCE = "政府標準利用規約（第2.0版）（CC BY 4.0 互換）"
_URL = "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/daityo/jinkou_jinkoudoutai-setaisuu.html"

OFFICIAL_SOURCES: list[dict] = [
    dict(source_id="juki_dynamics", publisher=_SOUMU, title=_JUKI_TITLE,
         table_id="人口、人口動態及び世帯数（市区町村別）（総計・日本人住民・外国人住民）",
         url=_URL, retrieved="2022-09-22", licence=_LICENCE,
         note="e-Stat 00200241. FY1994–FY2011 日本人のみ・年度; 2013-03-31 は FY2012; 2014 以降は前年の暦年"),
    dict(source_id="juki_age", publisher=_SOUMU, title=_JUKI_TITLE,
         table_id="年齢階級別人口（市区町村別）（総計・外国人住民; 2000/2005/2010 日本人）",
         url=_URL, retrieved="2022-09-22", licence=_LICENCE, note="5歳階級・男女別、各年1月1日（2013年は3月31日）現在"),
    dict(source_id="juki_totals_2013_2025", publisher=_SOUMU, title=_JUKI_TITLE,
         table_id="市区町村別 総人口・日本人人口・外国人人口 2013–2025（e-Stat 表の再掲）",
         url=_URL, retrieved="2026-02-09", licence=_LICENCE, note="各年1月1日（2013年は3月31日）現在"),
    dict(source_id="japancode", publisher="PyPI japancode 0.1.0（地方公共団体情報システム機構のコード表を収録）",
         title="都道府県・市区町村コード、よみ、代表点座標", table_id="municipalities.json", url="",
         retrieved="2024-06", licence="MIT (package)", note="area names' kana and centroids"),
]


def official_sources() -> pd.DataFrame:
    """Rows of the `sources` table for the official statistics read by `loaders`."""
    return pd.DataFrame(OFFICIAL_SOURCES, columns=SOURCE_COLUMNS)


_MIC = "Ministry of Internal Affairs and Communications"
_MIC_RESIDENTS = f"{_MIC}, Local Administration Bureau, Resident Registration Division"
_JUKI_TITLE_EN = "Population, Demographics and Households based on the Basic Resident Register"
_STAT_BUREAU = f"Statistics Bureau of Japan ({_MIC})"
_IDOU_EN = "Report on Internal Migration in Japan Derived from the Basic Resident Registers"
_IPSS = "National Institute of Population and Social Security Research (IPSS)"
_ISA = "Immigration Services Agency of Japan (Ministry of Justice)"
_MHLW = "Ministry of Health, Labour and Welfare"
_KURUME_VISION = ("3rd Kurume City Regional Revitalization Comprehensive Strategy (draft outline) and Kurume City "
                  "Population Vision")

#: source_id -> (publisher_en, title_en, table_id_en): the English names of the publications in the `sources` rows (loaders and
#: data/bundled/seed/sources.csv). A row whose id is neither here nor matched by _english_by_pattern keeps no English
#: name (the app then shows the Japanese one); tests/test_notes.py checks every row of both builds has one.
ENGLISH: dict[str, tuple[str, str, str]] = {
    "juki_dynamics": (_MIC_RESIDENTS, _JUKI_TITLE_EN,
        "Population, demographics and households by municipality (all residents, Japanese, foreign)"),
    "juki_age": (_MIC_RESIDENTS, _JUKI_TITLE_EN,
        "Population by age group by municipality (all residents, foreign; Japanese for 2000/2005/2010)"),
    "juki_totals_2013_2025": (_MIC_RESIDENTS, _JUKI_TITLE_EN,
        "Total, Japanese and foreign population by municipality 2013–2025 (e-Stat tables restated)"),
    "juki_totals_2013_2025_sum": (
        f"Summed by this app (municipal figures of the {_MIC} Basic Resident Register)",
        "Population based on the Basic Resident Register (designated cities, prefectures and Japan as sums of their "
        "wards and municipalities)",
        ""),
    "japancode": ("PyPI package japancode 0.1.0 (code tables of the Japan Agency for Local Authority Information "
                  "Systems, J-LIS)", "Prefecture and municipality codes, readings and representative points",
        "municipalities.json"),
    "mhlw_tfr_national": (_MHLW, "Vital Statistics of Japan (final data)",
        "Total fertility rate by year (Japan) 1947–2021"),
    "mhlw_tfr_prefecture": (_MHLW, "Vital Statistics of Japan (final data)",
        "Total fertility rate by prefecture 1960–2021"),
    "ipss_h30_municipal": (_IPSS, "Regional Population Projections for Japan: 2015–2045 (Projections in 2018)",
        "Projected population by municipality, sex and 5-year age group 2015–2045"),
    "ipss_r5_municipal": (_IPSS, "Regional Population Projections for Japan: 2020–2050 (Projections in 2023)",
        "Result tables 1 (total population) and 2-1 to 2-3 (aged 0–14, 15–64, 65+) by municipality 2020–2050"),
    "idou_2025_table2": (_STAT_BUREAU, f"{_IDOU_EN}, 2025 annual report, table 2: inter-prefectural movers by "
                                       "previous residence and sex — prefectures, 3 metropolitan areas, 21 major cities",
        "e-Stat statInfId 000040407039 (table 2)"),
    "idou_2021_net_age": (_STAT_BUREAU, f"{_IDOU_EN}, 2021 annual report: net migration by age (5-year groups) and "
                                        "sex — Japan, prefectures, 3 metropolitan areas, 21 major cities",
        "e-Stat statInfId 000032163826"),
    "youth_net_migration": (_STAT_BUREAU, f"{_IDOU_EN}, annual reports: net migration of Japanese movers by "
                                          "municipality, aged 15–19, 20–24 and 25–29, by sex",
        "e-Stat database, statistics code 00200523 (annual, 2017–2021)"),
    "n03_2021_boundaries": ("Ministry of Land, Infrastructure, Transport and Tourism, National Land Numerical "
                            "Information", "Administrative Boundaries (N03), as of 1 January 2021",
        "N03-21 (simplified: SmartNews Media Research Institute japan-topography)"),
    "japanmap_prefectures": ("japanmap (Python package, Saito Tsutomu)", "Prefecture outlines (main parts)",
        "japanmap 0.6.0 get_data()"),
    "succession_juki": (f"Inferred by this app (from the municipal codes and populations of the {_MIC} Basic "
                        "Resident Register)", "Succession of municipal codes (renamings and mergers)",
        "area_succession / area_lineage"),
    "kurume_vision_2025": ("Kurume City", _KURUME_VISION,
        ""),
    "kurume_vision_2025_tfr": (f"Kurume City (births: {_MHLW}, Vital Statistics)", _KURUME_VISION,
        ""),
    "kama_kpi_2026": ("Kama City (General Policy Division)",
                      "Kama City Population Vision and Digital Garden City Nation Comprehensive Strategy: progress / "
                      "2nd Kama City Town, People and Jobs Creation Comprehensive Strategy: final report (preliminary)",
        "Project list (R7–R11, i.e. FY2025–FY2029); achievement of the basic targets; project list (R2–R6, FY2020–FY2024)"),
    "jma_tohoku_2011": ("Japan Meteorological Agency", "The 2011 off the Pacific coast of Tohoku Earthquake", ""),
    "cas_covid_emergency_2020": ("Cabinet Secretariat", "Declaration of a state of emergency for COVID-19 "
                                 "(7 April 2020)", ""),
    "kurume_metro_vision": ("Kurume City (Kurume Regional Cooperation Core Metropolitan Area)",
                            "Kurume Regional Cooperation Core Metropolitan Area Vision, 3. Specific initiatives",
        "KPIs (key performance indicators) (1)(2)"),
}


def _english_by_pattern(source_id: str) -> tuple[str, str, str] | None:
    """English names of the ids loaders make per year or date: moj_zairyu_YYYY_MM (one press release each) and
    another year's idou_YYYY_table2 / idou_YYYY_net_age."""
    if m := re.fullmatch(r"moj_zairyu_(\d{4})_(\d{2})", source_id):
        month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"][int(m.group(2)) - 1]
        return (_ISA, f"Statistics on Foreign Residents (number of foreign residents as of the end of {month} "
                      f"{m.group(1)}, press release)",
                "Tables 1–6 (table 5: by prefecture and nationality/region; table 6: by prefecture and status of "
                "residence)")
    if m := re.fullmatch(r"idou_(\d{4})_(table2|net_age)", source_id):
        kind = ("table 2: inter-prefectural movers" if m.group(2) == "table2"
                else "net migration by age (5-year groups) and sex")
        return (_STAT_BUREAU, f"{_IDOU_EN}, {m.group(1)} annual report, {kind}", "")
    return None


def english(source_id: str) -> tuple[str, str, str] | None:
    """(publisher_en, title_en, table_id_en) of a source id, or None when no English name is recorded."""
    return ENGLISH.get(source_id) or _english_by_pattern(source_id)


def with_english(sources: pd.DataFrame) -> pd.DataFrame:
    """`sources` with publisher_en, title_en and table_id_en filled where empty (a row that brings its own keeps it)."""
    out = sources.copy()
    for col in ENGLISH_COLUMNS:
        if col not in out.columns:
            out[col] = None
    names = out["source_id"].map(english)
    for i, col in enumerate(ENGLISH_COLUMNS):
        empty = out[col].isna() | out[col].astype(str).str.strip().eq("")
        out.loc[empty, col] = names[empty].map(lambda n: None if n is None else n[i])
    return out
