"""All UI strings in Japanese and English. Pages call `t(key, **fmt)`; a missing key raises in tests."""
from __future__ import annotations

import streamlit as st

LANGS = ("ja", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"ja": "地域人口ダッシュボード", "en": "Regional Population Dashboard"},
    "nav_overview": {"ja": "概要", "en": "Overview"},
    "area": {"ja": "地域（名称・よみ・ローマ字・コードで検索）", "en": "Area (search by name, kana, romaji or code)"},
    "language": {"ja": "言語 / Language", "en": "言語 / Language"},
    "presenter": {"ja": "プレゼンターモード", "en": "Presenter mode"},
    "db_national": {"ja": "全国データベース（{built}作成）", "en": "National database (built {built})"},
    "db_bundled": {"ja": "同梱デモデータ（久留米広域・福岡県・全国）。全国データは `make data` で作成できます。",
                   "en": "Bundled demo data (Kurume area, Fukuoka, Japan). Build the national data with `make data`."},
    "unknown_area": {"ja": "URL の地域コード「{code}」は見つかりません。{name}を表示しています。",
                     "en": "Area code '{code}' in the URL was not found; showing {name}."},
    "kind_nation": {"ja": "全国", "en": "Japan"},
    "kind_prefecture": {"ja": "都道府県", "en": "Prefecture"},
    "kind_designated_city": {"ja": "政令指定都市", "en": "Designated city"},
    "kind_ward": {"ja": "行政区", "en": "Ward of a designated city"},
    "kind_special_ward": {"ja": "特別区", "en": "Special ward (Tokyo)"},
    "kind_city": {"ja": "市", "en": "City"},
    "kind_town": {"ja": "町", "en": "Town"},
    "kind_village": {"ja": "村", "en": "Village"},
    # overview
    "overview_title": {"ja": "{name}の人口の概要", "en": "Population overview: {name}"},
    "card_population": {"ja": "総人口（{date}）", "en": "Population ({date})"},
    "card_population_help": {"ja": "日本人 {jp} 人・外国人 {fr} 人（外国人比率 {share}）。前年同日比。",
                             "en": "Japanese {jp}, foreign {fr} (foreign share {share}). Change on a year earlier."},
    "card_natural": {"ja": "自然動態（{period}）", "en": "Natural change ({period})"},
    "card_social": {"ja": "社会動態（{period}）", "en": "Net migration ({period})"},
    "card_social_help": {"ja": "転入者数−転出者数。前期比。", "en": "In-migrants minus out-migrants. Change on the previous period."},
    "card_aging": {"ja": "高齢化率（{date}）", "en": "Aged 65+ share ({date})"},
    "card_aging_help": {"ja": "65歳以上人口 ÷ 年齢判明人口。前回比（ポイント）。",
                        "en": "Persons aged 65+ divided by persons of known age; change in points."},
    "card_source": {"ja": "出典: {source}", "en": "Source: {source}"},
    "vs_prev_date": {"ja": "{date}比", "en": "vs {date}"},
    "vs_prev_period": {"ja": "{period}比", "en": "vs {period}"},
    "unavailable": {"ja": "データなし", "en": "Not available"},
    "unavailable_long": {"ja": "この地域の{what}は収録している資料にありません。", "en": "No source in this database has {what} for this area."},
    "what_population": {"ja": "人口", "en": "population figures"},
    "what_age": {"ja": "年齢別人口", "en": "population by age"},
    "what_vital": {"ja": "出生・死亡数", "en": "births and deaths"},
    "what_migration": {"ja": "転入・転出数", "en": "migration figures"},
    "chart_population": {"ja": "人口の推移（日本人・外国人）", "en": "Population by nationality"},
    "chart_population_note": {"ja": "2012年3月末以前は日本人のみ（外国人は2012年7月から住民基本台帳に記載）。各年1月1日現在（2013年以前は3月31日）。市町村合併の年は境界の変化による段差があります。",
                              "en": "Up to March 2012 Japanese residents only (foreign residents entered the register in July 2012). As of 1 January (31 March up to 2013). Steps in merger years reflect boundary changes."},
    "chart_age3": {"ja": "年齢3区分別人口の割合", "en": "Population share by three age groups"},
    "chart_age3_note": {"ja": "割合は年齢判明人口に対する比。2000・2005・2010年は日本人のみ（3月31日現在）、2013年以降は日本人と外国人の計。",
                        "en": "Shares of persons with a known age. 2000, 2005, 2010: Japanese residents only (31 March); from 2013: all residents."},
    "chart_target": {"ja": "目標人口への進捗", "en": "Progress toward the target population"},
    "chart_target_note": {"ja": "目標: {kpi} {target} 人（{plan}）。実績は住民基本台帳人口、推計は市の公表値。",
                          "en": "Target: {target} persons ({kpi}; {plan}). Actuals: resident register; projections as published by the city."},
    "target_gap": {"ja": "最新実績 {actual} 人（{date}）は目標 {target} 人を {gap} 人{dir}っています。",
                   "en": "The latest actual, {actual} ({date}), is {gap} {dir} the target of {target}."},
    "above": {"ja": "上回", "en": "above"},
    "below": {"ja": "下回", "en": "below"},
    "no_target": {"ja": "この地域の目標人口は収録資料にありません。", "en": "No target population for this area in the sources."},
    "published_vs_official": {"ja": "市の公表値と総務省統計の違い", "en": "City's published figures vs. official statistics"},
    "published_vs_official_note": {
        "ja": "同じ年度について市の公表値（市独自集計の住民基本台帳）と総務省『住民基本台帳に基づく人口、人口動態及び世帯数』を並べています。2011年度以前の総務省値は日本人のみです。差は隠さずに表示します。",
        "en": "For the same fiscal years, the city's published register figures beside 総務省 statistics. Official figures up to FY2011 count Japanese residents only. Differences are shown, not hidden."},
    "download_csv": {"ja": "CSV をダウンロード", "en": "Download CSV"},
    "unit_persons": {"ja": "人", "en": "persons"},
    "unit_percent": {"ja": "％", "en": "%"},
    "period_fy": {"ja": "年度（4月〜翌3月）", "en": "fiscal year (Apr–Mar)"},
    "period_cy": {"ja": "暦年（1月〜12月）", "en": "calendar year (Jan–Dec)"},
    "period_date": {"ja": "基準日現在", "en": "as of reference date"},
    "caption": {"ja": "出典: {sources}｜単位: {unit}｜期間: {period}", "en": "Source: {sources} | Unit: {unit} | Period: {period}"},
    # chart labels
    "nat_total": {"ja": "総数", "en": "All residents"},
    "nat_japanese": {"ja": "日本人", "en": "Japanese"},
    "nat_foreign": {"ja": "外国人", "en": "Foreign"},
    "nationality": {"ja": "国籍", "en": "Nationality"},
    "ref_date": {"ja": "基準日", "en": "Reference date"},
    "persons": {"ja": "人口（人）", "en": "Persons"},
    "share": {"ja": "割合（％）", "en": "Share (%)"},
    "age_group": {"ja": "年齢区分", "en": "Age group"},
    "age_0_14": {"ja": "年少人口（0〜14歳）", "en": "0–14"},
    "age_15_64": {"ja": "生産年齢人口（15〜64歳）", "en": "15–64"},
    "age_65p": {"ja": "老年人口（65歳以上）", "en": "65+"},
    "series": {"ja": "系列", "en": "Series"},
    "actual": {"ja": "実績（住民基本台帳）", "en": "Actual (resident register)"},
    "proj_baseline": {"ja": "市推計（将来推計）", "en": "City projection (baseline)"},
    "proj_improved": {"ja": "市推計（改善シナリオ）", "en": "City projection (improved scenario)"},
    "target": {"ja": "目標", "en": "Target"},
    "scope": {"ja": "対象", "en": "Coverage"},
    "scope_all": {"ja": "日本人と外国人", "en": "All residents"},
    "scope_japanese_only": {"ja": "日本人のみ", "en": "Japanese only"},
    "measure": {"ja": "項目", "en": "Measure"},
    "m_births": {"ja": "出生", "en": "Births"},
    "m_deaths": {"ja": "死亡", "en": "Deaths"},
    "m_in_total": {"ja": "転入", "en": "In-migrants"},
    "m_out_total": {"ja": "転出", "en": "Out-migrants"},
    "published": {"ja": "市公表値", "en": "City published"},
    "official": {"ja": "総務省統計", "en": "Official statistics"},
    "difference": {"ja": "差（公表値−統計）", "en": "Difference (published − official)"},
    "period": {"ja": "期間", "en": "Period"},
    # <<maps strings>> (migration map page: keys added here)
    # <<foreign strings>> (foreign residents page: keys added here)
    # dynamics pages
    "nav_natural": {"ja": "自然動態", "en": "Natural change"},
    "nav_social": {"ja": "社会動態", "en": "Migration"},
    "natural_title": {"ja": "{name}の自然動態（出生・死亡）", "en": "Natural change (births and deaths): {name}"},
    "social_title": {"ja": "{name}の社会動態（転入・転出）", "en": "Migration (in and out): {name}"},
    "source": {"ja": "出典", "en": "Source"},
    "src_official": {"ja": "総務省 住民基本台帳", "en": "MIC resident register (official)"},
    "src_published": {"ja": "{publisher} 公表値", "en": "{publisher} (published)"},
    "period_kind": {"ja": "期間の種類", "en": "Period kind"},
    "period_fy_cy": {"ja": "年度（〜2012年度、4月〜翌3月）と暦年（2013年〜）。両者を1本の線で結びません。",
                     "en": "fiscal years (to FY2012, Apr–Mar) and calendar years (from 2013); never joined into one line"},
    "per_1000": {"ja": "人口千人あたり", "en": "per 1,000 residents"},
    "year_cy": {"ja": "年（暦年）", "en": "Calendar year"},
    "tfr": {"ja": "合計特殊出生率", "en": "Total fertility rate"},
    "chart_tfr": {"ja": "合計特殊出生率の推移", "en": "Total fertility rate"},
    "replacement_level": {"ja": "人口置換水準 2.07", "en": "Replacement level 2.07"},
    "tfr_note": {"ja": "地域の値は公表されている年のみ（点）。都道府県・全国は厚生労働省 人口動態統計。",
                 "en": "The area's own TFR only where a source publishes it (points). Prefecture and Japan: MHLW vital statistics."},
    "tfr_area_unavailable": {"ja": "この地域の合計特殊出生率は収録資料にありません（都道府県と全国を表示）。",
                             "en": "No source here publishes this area's TFR; its prefecture and Japan are shown."},
    "births": {"ja": "出生数", "en": "Births"},
    "deaths": {"ja": "死亡数", "en": "Deaths"},
    "natural_change": {"ja": "自然動態（出生−死亡）", "en": "Natural change (births − deaths)"},
    "in_total": {"ja": "転入者数", "en": "In-migrants"},
    "out_total": {"ja": "転出者数", "en": "Out-migrants"},
    "net_migration": {"ja": "社会動態（転入−転出）", "en": "Net migration (in − out)"},
    "chart_births_deaths": {"ja": "出生数・死亡数と自然動態", "en": "Births, deaths and natural change"},
    "chart_in_out": {"ja": "転入者数・転出者数と社会動態", "en": "In-migrants, out-migrants and net migration"},
    "chart_vital_rates": {"ja": "出生率・死亡率・自然増減率（人口千人あたり）", "en": "Crude birth, death and natural change rates (per 1,000)"},
    "chart_migration_rates": {"ja": "転入率・転出率・社会増減率（人口千人あたり）", "en": "In-, out- and net migration rates (per 1,000)"},
    "birth_rate": {"ja": "出生率", "en": "Birth rate"},
    "death_rate": {"ja": "死亡率", "en": "Death rate"},
    "natural_rate": {"ja": "自然増減率", "en": "Natural change rate"},
    "in_rate": {"ja": "転入率", "en": "In-migration rate"},
    "out_rate": {"ja": "転出率", "en": "Out-migration rate"},
    "net_migration_rate": {"ja": "社会増減率", "en": "Net migration rate"},
    "rates_note": {"ja": "率＝件数÷期首・期末人口の平均×1,000（期首人口が公表されていない期間は期末人口）。総務省統計のみ。",
                   "en": "Rate = events ÷ mean of start and end population × 1,000 (end population where the start is not published). Official series only."},
    "rates_unavailable": {"ja": "この出典には率の計算に使える人口がありません。", "en": "This source has no population to compute rates with."},
    "japanese_only_note": {"ja": "薄い棒は日本人のみの期間（2011年度以前、外国人は住民基本台帳に未記載）。",
                           "en": "Light bars: Japanese residents only (FY2011 and before, when foreign residents were not in the register)."},
    "published_table": {"ja": "公表資料の表（{publisher}）", "en": "Table as published ({publisher})"},
    "compare": {"ja": "比較する地域（最大8）", "en": "Areas to compare (up to 8)"},
    "compare_title": {"ja": "地域比較: {measure}（{period}）", "en": "Comparison: {measure} ({period})"},
    "compare_trend": {"ja": "地域比較: {measure}の推移（暦年）", "en": "Comparison over calendar years: {measure}"},
    "compare_note": {"ja": "選択中の地域を橙色で表示。率は人口規模の異なる地域を比べるため人口千人あたり。",
                     "en": "The selected area in orange. Rates per 1,000 residents so areas of any size compare."},
    "too_many_areas": {"ja": "比較できるのは8地域までです。最初の8地域を表示しています。", "en": "Up to 8 areas can be compared; showing the first 8."},
    "domestic_abroad": {"ja": "国内・国外別の転入・転出（暦年）", "en": "Domestic and international moves (calendar years)"},
    "in_domestic": {"ja": "転入（国内）", "en": "In (domestic)"},
    "in_abroad": {"ja": "転入（国外）", "en": "In (from abroad)"},
    "out_domestic": {"ja": "転出（国内）", "en": "Out (domestic)"},
    "out_abroad": {"ja": "転出（国外）", "en": "Out (abroad)"},
    "waterfall_title": {"ja": "人口増減の内訳（{period}）", "en": "Population change by component ({period})"},
    "waterfall_period": {"ja": "期間", "en": "Period"},
    "waterfall_note": {"ja": "期首人口＋自然動態＋社会動態（転入−転出）＋その他（職権記載・帰化等−職権消除等）＝期末人口。残差は公表値の差をそのまま示します。",
                       "en": "Start + natural change + net migration + other entries/removals = end. The residual is what the published figures leave, shown not hidden."},
    "waterfall_unavailable": {"ja": "この期間は期首または期末の人口が公表されていません。", "en": "The start or end population of this period is not published."},
    "wf_start": {"ja": "期首人口", "en": "Start"},
    "wf_natural": {"ja": "自然動態", "en": "Natural"},
    "wf_social": {"ja": "社会動態", "en": "Migration"},
    "wf_other": {"ja": "その他", "en": "Other"},
    "wf_residual": {"ja": "残差", "en": "Residual"},
    "wf_end": {"ja": "期末人口", "en": "End"},
    "flows_title": {"ja": "転入超過・転出超過の相手先（{period}、公表値）", "en": "Net moves by partner ({period}, as published)"},
    "flows_note": {"ja": "公表資料の上位10位と大都市圏の表。福岡県は福岡市を含み、都府県は大都市圏に含まれるため、行を合計しないでください。",
                   "en": "The published top-10 and metropolitan tables. Rows overlap (福岡県 contains 福岡市; prefectures are inside the metro areas): do not add them up."},
    "flows_unavailable": {"ja": "この地域の相手先別の移動表は収録資料にありません。", "en": "No partner-by-partner migration table for this area in the sources."},
    "partner": {"ja": "相手先", "en": "Partner"},
    "net_movers": {"ja": "転入超過数（転入−転出）", "en": "Net movers (in − out)"},
    "rank_in": {"ja": "転入超過 上位", "en": "Top net gains"},
    "rank_out": {"ja": "転出超過 上位", "en": "Top net losses"},
    # projection page
    "nav_projection": {"ja": "将来推計・シミュレーション", "en": "Projection & scenarios"},
    "projection_title": {"ja": "{name}の将来人口推計・シミュレーション", "en": "Population projection and scenarios: {name}"},
    "projection_unavailable": {"ja": "この地域は推計に必要な年齢別人口（{dates}）が揃っていません。", "en": "This area lacks the age tables needed ({dates})."},
    "sl_tfr": {"ja": "合計特殊出生率の目標", "en": "Target total fertility rate"},
    "sl_tfr_help": {"ja": "基準年の値（{base}、{source}）から目標年まで直線的に変化。子ども女性比を出生率の比で調整。",
                    "en": "Moves linearly from the base value ({base}, {source}) to the target year; the child-woman ratio is scaled by the TFR ratio."},
    "sl_tfr_year": {"ja": "目標に達する年", "en": "Year the target is reached"},
    "sl_mig": {"ja": "純移動率の改善（ポイント／5年）", "en": "Net migration change (points per 5 years)"},
    "sl_mig_help": {"ja": "選んだ年齢（期首の年齢）の5年間の純移動率に加えるポイント。+0.5 は 5年で人口の0.5%分の転入超過を追加。",
                    "en": "Points added to the 5-year net migration rate of the chosen ages (age at the start of the step). +0.5 adds net in-migration of 0.5% of that group per 5 years."},
    "sl_ages": {"ja": "対象年齢（歳）", "en": "Ages affected (years)"},
    "sl_fshare": {"ja": "外国人比率の目標（%、2070年）", "en": "Foreign share target (%, 2070)"},
    "sl_fshare_help": {"ja": "社人研 令和5年推計の全国仮定（2070年 10.8%）を既定値とし、外国人のコーホート変化率を一律に調整して到達させます。0 で調整なし。",
                       "en": "Default: the national assumption of IPSS 2023 (10.8% in 2070); foreign cohort change ratios are scaled to reach it. 0 = no target."},
    "sl_fmethod": {"ja": "外国人の推計方法", "en": "Method for foreign residents"},
    "fm_ccr": {"ja": "コーホート変化率法", "en": "Cohort change ratios"},
    "fm_counts": {"ja": "純移動数一定", "en": "Constant net migrant counts"},
    "preset_kurume": {"ja": "久留米市の改善シナリオの前提（出生率+0.1、10〜20代 +0.5）", "en": "Kurume vision's improved scenario (TFR +0.1, ages 10–29 +0.5)"},
    "m_pop_year": {"ja": "{year}年の総人口（シナリオ）", "en": "Population {year} (scenario)"},
    "m_diff": {"ja": "基準推計との差", "en": "vs trend baseline"},
    "m_aging_year": {"ja": "{year}年の高齢化率", "en": "Aged 65+ share {year}"},
    "m_foreign_year": {"ja": "{year}年の外国人比率", "en": "Foreign share {year}"},
    "chart_proj_total": {"ja": "総人口の推計（3つの基準とシナリオ）", "en": "Total population: three baselines and the scenario"},
    "chart_proj_age3": {"ja": "年齢3区分別人口（シナリオ）", "en": "Population by three age groups (scenario)"},
    "chart_pyramid": {"ja": "人口ピラミッド {year}年（枠線は{base}年）", "en": "Population pyramid {year} (outline: {base})"},
    "chart_diff": {"ja": "シナリオ − 基準推計（総人口）", "en": "Scenario minus trend baseline (total population)"},
    "pyramid_year": {"ja": "ピラミッドの年", "en": "Pyramid year"},
    "s_actual": {"ja": "実績（住民基本台帳）", "en": "Actual (resident register)"},
    "s_app_baseline": {"ja": "本アプリの趨勢推計", "en": "This app: trend baseline"},
    "s_app_scenario": {"ja": "本アプリのシナリオ", "en": "This app: scenario"},
    "s_ipss": {"ja": "社人研 平成30年推計", "en": "IPSS 2018 projection"},
    "s_city_baseline": {"ja": "市の推計（将来推計）", "en": "City's projection (baseline)"},
    "s_city_improved": {"ja": "市の推計（改善）", "en": "City's projection (improved)"},
    "band": {"ja": "純移動率の推定期間による幅", "en": "Range over migration estimation windows"},
    "band_low": {"ja": "幅の下限", "en": "Range low"},
    "band_high": {"ja": "幅の上限", "en": "Range high"},
    "male": {"ja": "男", "en": "Male"},
    "female": {"ja": "女", "en": "Female"},
    "diff_baseline": {"ja": "基準推計との差", "en": "Difference to baseline"},
    "proj_note": {"ja": "本アプリの推計: 日本人はコーホート要因法（生残率＝全国の日本人コーホート変化率、純移動率＝{windows} の残差法の平均、子ども女性比は{cwr_year}年）、外国人は{fmethod}。帯は推定期間ごとの純移動率で推計した幅（確率区間ではありません）。社人研推計は総人口（日本人＋外国人、国勢調査ベース）で2045年まで。",
                  "en": "This app: Japanese by cohort-component (survival = national Japanese cohort change ratios; net migration = residual rates averaged over {windows}; child-woman ratio of {cwr_year}); foreign residents by {fmethod}. The band uses each estimation window's migration rates (a spread of recent experience, not a probability interval). IPSS: all residents, census-based, to 2045."},
    "results_table": {"ja": "5年ごとの推計結果", "en": "Results every 5 years"},
    "inverse_title": {"ja": "逆算: 目標人口に必要な条件", "en": "Inverse question: what reaches a target?"},
    "params_title": {"ja": "推計パラメータ表（ダウンロード・アップロード）", "en": "Projection parameters (download / upload)"},
    "params_help": {"ja": "推計に使っている生残率・純移動率・子ども女性比などを CSV で取り出せます。社人研の仮定値などに書き換えてアップロードすると、その値で推計します（書かれていない値は推定値のまま）。",
                    "en": "Download the survival, net migration, child-woman ratio … used here as CSV; edit (e.g. IPSS assumption values) and upload to project with them (values not in the file stay as estimated)."},
    "params_upload": {"ja": "パラメータ表（CSV）をアップロード", "en": "Upload a parameter table (CSV)"},
    "params_applied": {"ja": "{n} 行のパラメータを適用しました。", "en": "Applied {n} parameter rows."},
    "inv_solve": {"ja": "逆算する", "en": "Solve"},
    "inv_hint": {"ja": "目標人口と年を入れて「逆算する」を押すと、現在のシナリオの他の設定のまま必要な出生率・純移動率を求めます。",
                 "en": "Enter a target and year, then press Solve: the TFR or migration change needed, other settings as in the scenario."},
    "inv_target": {"ja": "目標人口（人）", "en": "Target population (persons)"},
    "inv_year": {"ja": "目標年", "en": "Target year"},
    "inv_tfr": {"ja": "必要な合計特殊出生率（{tfr_year}年に到達、他の設定は現在のシナリオ）: **{value}**", "en": "TFR needed (reached in {tfr_year}, other settings as the scenario): **{value}**"},
    "inv_mig": {"ja": "必要な純移動率の改善（{ages}歳、ポイント／5年）: **{value}**", "en": "Net migration change needed (ages {ages}, points per 5 years): **{value}**"},
    "inv_unreachable": {"ja": "探索範囲（{lo}〜{hi}）では到達しません（{direction}）", "en": "not reachable within {lo}–{hi} ({direction})"},
    "inv_above": {"ja": "上限でも不足", "en": "short even at the upper bound"},
    "inv_below": {"ja": "下限でも超過", "en": "exceeded even at the lower bound"},
    "col_year": {"ja": "年", "en": "Year"},
    "col_total": {"ja": "総人口", "en": "Total"},
    "col_japanese": {"ja": "日本人", "en": "Japanese"},
    "col_foreign": {"ja": "外国人", "en": "Foreign"},
    "col_baseline": {"ja": "基準推計", "en": "Baseline"},
    "col_diff": {"ja": "差", "en": "Difference"},
    "col_share_65p": {"ja": "高齢化率(%)", "en": "65+ (%)"},
    "col_share_15_64": {"ja": "生産年齢(%)", "en": "15–64 (%)"},
    "col_share_0_14": {"ja": "年少(%)", "en": "0–14 (%)"},
    "od_title": {"ja": "都道府県・大都市圏との移動（{period}）", "en": "Moves with prefectures and metropolitan areas ({period})"},
    "od_note": {"ja": "総務省統計局『住民基本台帳人口移動報告』2025年 表2。都市・大都市圏の行は都道府県の行と重なるため合計しないでください。",
                "en": "Statistics Bureau, Report on Internal Migration 2025, table 2. City and metro rows overlap the prefecture rows: do not add them up."},
    "od_prefecture_instead": {"ja": "この市区町村の相手先別の移動表は公表されていません。{pref}の表を表示しています。",
                              "en": "No partner table is published for this municipality; showing {pref}'s."},
    "youth_title": {"ja": "15〜29歳の日本人の転入超過数（暦年）", "en": "Net migration of Japanese aged 15–29 (calendar years)"},
    "youth_note": {"ja": "総務省統計局『住民基本台帳人口移動報告』の市区町村別15〜29歳の表（日本人）。", "en": "Statistics Bureau, Report on Internal Migration: municipalities, Japanese aged 15–29."},
    "youth_unavailable": {"ja": "この地域の15〜29歳の移動は公表表にありません（町村は郡の合計のみ公表）。",
                          "en": "Not published for this area (towns and villages only as district totals)."},
    "residual_title": {"ja": "年齢別の純移動率（コーホート残差法、男女別）", "en": "Net migration rate by age (cohort residual method)"},
    "residual_note": {"ja": "純移動率＝（5年後の人口−期首人口×生残率）÷期首人口。住民基本台帳の年齢別人口（日本人＝総数−外国人）の {windows} の平均、縦線は期間による幅。生残率の仮定: {survival}",
                      "en": "Net migration rate = (population 5 years later − start population × survival) ÷ start population; register age tables (Japanese = all − foreign), mean over {windows}; whiskers show the range over windows. Survival: {survival}"},
    "cohort_age": {"ja": "年齢（期首→5年後）", "en": "Age (start → 5 years later)"},
    "net_rate_pct": {"ja": "5年間の純移動率（%）", "en": "5-year net migration rate (%)"},
    "metro_table": {"ja": "大都市圏・大都市との移動", "en": "Moves with the metropolitan areas and major cities"},
    "survival_assumption": {"ja": "全国の日本人のコーホート変化率（推定期間の平均、1を上限）を生残率とみなす閉鎖人口近似（国外との移動は無視できる程度と仮定）。",
                            "en": "national Japanese cohort change ratios (mean over the windows, capped at 1) taken as survival: a closed-population approximation (international migration assumed negligible)."},
}


def _merge_page_strings() -> None:
    import importlib
    import pkgutil

    import ui.strings

    for info in pkgutil.iter_modules(ui.strings.__path__):
        extra = importlib.import_module(f"ui.strings.{info.name}").STRINGS
        clash = set(extra) & set(STRINGS)
        if clash:
            raise KeyError(f"ui.strings.{info.name} redefines {sorted(clash)}")
        STRINGS.update(extra)


_merge_page_strings()


def lang() -> str:
    """The session's UI language ('ja' default)."""
    value = st.session_state.get("lang", "ja")
    return value if value in LANGS else "ja"


def t(key: str, **fmt) -> str:
    """The string `key` in the session's language, formatted with `fmt`. Unknown keys raise KeyError."""
    return STRINGS[key][lang()].format(**fmt)


def fmt_int(value, signed: bool = False) -> str:
    """A count with thousands separators; negatives as '△1,825' in Japanese, '−1,825' in English."""
    if value is None:
        return t("unavailable")
    v = int(value)
    if v < 0:
        return ("△" if lang() == "ja" else "−") + f"{-v:,}"
    return (f"+{v:,}" if signed and v > 0 else f"{v:,}")


def fmt_date(iso) -> str:
    """A reference date as '2025年1月1日' (ja) or '1 Jan 2025' (en)."""
    d = str(iso)[:10]
    y, m, day = int(d[:4]), int(d[5:7]), int(d[8:10])
    if lang() == "ja":
        return f"{y}年{m}月{day}日"
    return f"{day} {['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][m - 1]} {y}"


def period_text(period: str, language: str) -> str:
    """'FY2024' -> '2024年度' (ja) / 'FY2024' (en); 'CY2021' -> '2021年' / 'CY2021'; spans keep both ends."""
    if language == "en":
        return period
    return "〜".join(f"{p[2:]}年度" if p.startswith("FY") else f"{p[2:]}年" for p in period.split("-"))


def fmt_period(period: str) -> str:
    """period_text in the session's language."""
    return period_text(period, lang())
