"""The official sources the loaders read, as rows of the `sources` table.

Every fact row carries one of these ids; the app prints publisher, title and table next to each chart.
"""
from __future__ import annotations

import pandas as pd

SOURCE_COLUMNS = ["source_id", "publisher", "title", "table_id", "url", "retrieved", "licence", "note"]

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
