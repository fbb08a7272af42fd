"""UI strings of continuous series (code changes), coverage statements, the about page and honest defaults."""

STRINGS = {
    "code_change": {"ja": "市町村コードの変更", "en": "Municipal code change"},
    "succession_note_joined": {"ja": "系列は市町村コードの変更をまたいで接続しています: {changes}。変更前は旧コードの値（合併は旧市町村の合計）です。",
                               "en": "The series is joined across code changes: {changes}. Before a change the figures are the old code's "
                                     "(the predecessors' sum for a merger)."},
    "succession_note_break": {"ja": "系列が不連続です: {changes}。変更前の旧市町村がそろわないため、変更前は区域が異なる（または値がない）ことに注意してください。",
                              "en": "The series breaks: {changes}. Not all predecessors are in the data, so figures before the change "
                                    "cover a different territory (or are missing)."},
    "defunct_area": {"ja": "地域コード {code}（{old}）は現在ありません。{date}までに{new}（{new_code}）になりました。{new}を表示します（系列は接続しています）。",
                     "en": "Area code {code} ({old}) no longer exists: it became {new} ({new_code}) by {date}. Showing {new} "
                           "(its series are joined across the change)."},
    "coverage": {"ja": "収録期間 — {items}", "en": "Coverage — {items}"},
    "coverage_item": {"ja": "{what}: {last}まで", "en": "{what}: to {last}"},
    "cov_vital": {"ja": "人口動態（出生・死亡）", "en": "Births and deaths"},
    "cov_migration": {"ja": "人口動態（転入・転出）", "en": "Migration"},
    "cov_population": {"ja": "人口（住民基本台帳）", "en": "Population (register)"},
    "cov_foreign": {"ja": "外国人住民（住民基本台帳）", "en": "Foreign residents (register)"},
    "cov_foreign_flows": {"ja": "外国人住民の動態", "en": "Foreign residents' flows"},
    "cov_kind_FY": {"ja": "年度", "en": "fiscal year"},
    "cov_kind_CY": {"ja": "暦年", "en": "calendar year"},
    "cov_period": {"ja": "{period}（{kind}）", "en": "{period} ({kind})"},
    "nav_about": {"ja": "データについて", "en": "About the data"},
    "about_title": {"ja": "データについて（更新履歴）", "en": "About the data (update log)"},
    "about_build": {"ja": "データベース: {kind}、作成 {built}（{seconds} 秒）", "en": "Database: {kind}, built {built} ({seconds} s)"},
    "about_kind_national": {"ja": "全国版", "en": "national"},
    "about_kind_bundled": {"ja": "同梱デモ版", "en": "bundled demo"},
    "about_sources": {"ja": "出典と版", "en": "Sources and vintages"},
    "about_sources_note": {"ja": "各出典の取得日・版（retrieved）と、その出典で収録している最新の期間です。",
                           "en": "Each source's retrieval date or vintage, and the latest period this database holds from it."},
    "about_succession": {"ja": "市町村コードの変更", "en": "Municipal code changes"},
    "about_succession_note": {"ja": "住民基本台帳の各基準日のコードと人口から判定しました（接続 {joined} 件、判定できず不連続 {unresolved} 件）。",
                              "en": "Read from the register's codes and populations on each date ({joined} joined, {unresolved} left as breaks)."},
    "col_source": {"ja": "出典", "en": "Source"},
    "col_publisher": {"ja": "作成者", "en": "Publisher"},
    "col_table": {"ja": "表", "en": "Table"},
    "col_retrieved": {"ja": "取得・版", "en": "Retrieved / vintage"},
    "col_latest": {"ja": "最新の期間", "en": "Latest period"},
    "col_rows": {"ja": "行数", "en": "Rows"},
    "col_note": {"ja": "注記", "en": "Note"},
    "evacuated_note": {"ja": "{name}は2011年の東京電力福島第一原子力発電所事故により避難指示が出された地域です。住民基本台帳の人口は登録上の住民で、多くは町外・県外で暮らしています（{source}）。2011年前後の大きな変化は避難によるもので、通常の人口動態ではありません。",
                       "en": "{name} was under an evacuation order after the 2011 Fukushima Daiichi nuclear accident. Register figures count "
                             "registered residents, most of whom live elsewhere ({source}). The large changes around 2011 are evacuation, not "
                             "ordinary population change."},
    "evacuated_spike": {"ja": "2011年 原発事故・避難", "en": "2011 nuclear accident, evacuation"},
    "evacuated_projection": {"ja": "この推計はコーホートの過去の傾向を将来に延ばすものですが、{name}では避難と帰還の動きが傾向を決めており、その前提は当てはまりません。結果は参考値です。",
                             "en": "This projection extends past cohort trends; in {name} evacuation and return drive the figures, so its trend "
                                   "assumptions do not fit. Treat the result as indicative only."},
    "preset_ipss_share": {"ja": "社人研の全国仮定（外国人比率 2070年 10.8%）", "en": "IPSS national assumption (foreign share 10.8% in 2070)"},
    "fshare_value": {"ja": "{v}%（2070年）", "en": "{v}% (2070)"},
    "fshare_none": {"ja": "なし（この地域の傾向のまま）", "en": "none (this area's own trend)"},
    "preset_own_trend": {"ja": "この地域の傾向（目標なし）", "en": "This area's own trend (no target)"},
}
