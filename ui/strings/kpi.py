"""Strings of the strategy KPI tracker page (pages/kpi_tracker.py)."""

STRINGS = {
    "nav_kpi": {"ja": "総合戦略 KPI 進捗", "en": "Strategy KPIs"},
    "kpi_title": {"ja": "総合戦略 KPI の進捗・効果検証", "en": "Strategy KPIs: progress and evaluation"},
    "kpi_plan": {"ja": "計画", "en": "Plan"},
    "kpi_plan_caption": {"ja": "{muni}｜計画期間 {start}〜{end}｜出典: {publisher}『{title}』",
                         "en": "{muni} | plan period {start}–{end} | Source: {publisher}, {title}"},
    "kpi_other_area": {"ja": "この計画は{muni}の計画です（サイドバーで選んだ地域{area}とは別に選べます）。",
                       "en": "This is {muni}'s plan (chosen independently of the area {area} in the sidebar)."},
    "kpi_rule": {"ja": "判定ルール", "en": "Grading rule"},
    "rule_kama_ratio": {"ja": "実績÷目標（80%以上で○）", "en": "Actual ÷ target (○ from 80%)"},
    "rule_trajectory": {"ja": "目標までの経路に対する進捗", "en": "Progress along the path to the target"},
    "rule_help_kama_ratio": {
        "ja": "○ 概ね目標達成（実績/目標が80%以上）・△ 目標未達成（80%未満）・× その他（実績の把握が不可能、事業未実施）。"
              "嘉麻市の総括報告書の基準。評価年度の実績で判定し、「5年間に◯件」の指標は報告された年度の合計で判定します。"
              "文言の実績は割り算できないため、記録された評価（報告書・担当課）を使います。",
        "en": "○ broadly achieved (actual/target at least 80%) · △ not achieved (below 80%) · × other (actual cannot be "
              "known, project not carried out). The rule of 嘉麻市's final report: the actual of the evaluation year; "
              "cumulative KPIs ('40 in 5 years') by the sum of the years reported. Text actuals cannot be divided and "
              "keep the grade recorded for them."},
    "rule_help_trajectory": {
        "ja": "基準値から目標値まで（途中年の目標があれば経由して）直線で結び、評価年度までに進むべき量のうち実際に進んだ割合で判定:"
              " ○ 80%以上・△ 80%未満・× 実績なし。「5年間に◯件」は0から目標まで毎年均等に積み上がる経路。"
              "目標が基準値より低い指標（人口減少を抑える目標人口など）は経路上の値以上なら○。計画の途中年に向いた読み方です。",
        "en": "A straight path from the baseline to the target (through interim targets); graded by the share of the "
              "progress due by then that was made: ○ 80% or more · △ less · × no actual. Cumulative KPIs: a path "
              "rising evenly from 0. Where the target is below the baseline (a target population that slows a "
              "decline), ○ means at or above the path. Suited to the middle of a plan."},
    "kpi_as_of": {"ja": "評価年度", "en": "Evaluation year"},
    "kpi_goal_filter": {"ja": "基本目標で絞り込み", "en": "Filter by basic goal"},
    "kpi_dept_filter": {"ja": "担当課で絞り込み", "en": "Filter by department"},
    "kpi_goal_short": {"ja": "基本目標{n}", "en": "Goal {n}"},
    "kpi_goal_population": {"ja": "目標人口", "en": "Target population"},
    "kpi_goal_numeric": {"ja": "数値目標", "en": "Numerical targets"},
    "kpi_all": {"ja": "すべて", "en": "All"},
    # summary for the 推進会議
    "kpi_summary_title": {"ja": "推進会議資料: {plan}（{as_of}時点）", "en": "Summary for the council: {plan} (as of {as_of})"},
    "kpi_n": {"ja": "KPI 設定数", "en": "KPIs"},
    "kpi_grade_good": {"ja": "○ 概ね目標達成", "en": "○ Broadly achieved"},
    "kpi_grade_short": {"ja": "△ 目標未達成", "en": "△ Not achieved"},
    "kpi_grade_other": {"ja": "× その他", "en": "× Other"},
    "kpi_grade_good_t": {"ja": "○ 順調", "en": "○ On track"},
    "kpi_grade_short_t": {"ja": "△ 遅れ", "en": "△ Behind"},
    "kpi_grade_other_t": {"ja": "× 実績なし・未実施", "en": "× No actual / not done"},
    "kpi_grade_none": {"ja": "未判定", "en": "Not graded"},
    "kpi_share": {"ja": "KPI の {pct}%", "en": "{pct}% of KPIs"},
    "kpi_counts_table": {"ja": "基本目標ごとの KPI 達成状況", "en": "KPI grades by basic goal"},
    "kpi_total": {"ja": "合計", "en": "Total"},
    "kpi_col_goal": {"ja": "基本目標", "en": "Basic goal"},
    "kpi_col_numeric": {"ja": "数値目標（最新の実績／目標）", "en": "Numerical target (latest actual / target)"},
    "kpi_targets_title": {"ja": "目標人口・基本目標の数値目標", "en": "Target population and numerical targets"},
    "kpi_attention": {"ja": "△・× の KPI（推進会議で確認する事項）", "en": "KPIs graded △ or × (for discussion)"},
    "kpi_attention_none": {"ja": "△・× の KPI はありません。", "en": "No KPI is graded △ or ×."},
    "kpi_dl_summary": {"ja": "推進会議資料をダウンロード（Excel）", "en": "Download the council summary (Excel)"},
    "kpi_sheet_summary": {"ja": "基本目標別", "en": "by goal"},
    "kpi_sheet_list": {"ja": "KPI一覧", "en": "KPIs"},
    # KPI table
    "kpi_table_title": {"ja": "KPI 一覧（評価・推移・達成度）", "en": "All KPIs: grade, trend, progress"},
    "kpi_col_level": {"ja": "区分", "en": "Kind"},
    "kpi_col_kpi": {"ja": "指標", "en": "Indicator"},
    "kpi_col_dept": {"ja": "担当課", "en": "Department"},
    "kpi_col_baseline": {"ja": "基準値", "en": "Baseline"},
    "kpi_col_target": {"ja": "目標値", "en": "Target"},
    "kpi_col_actual": {"ja": "実績", "en": "Actual"},
    "kpi_col_latest": {"ja": "最新の実績", "en": "Latest actual"},
    "kpi_col_pending": {"ja": "記入予定の実績", "en": "Actuals awaited"},
    "kpi_col_origin": {"ja": "実績の出所", "en": "Actual from"},
    "kpi_col_progress": {"ja": "達成度", "en": "Progress"},
    "kpi_col_progress_help": {"ja": "判定ルールの尺度（実績/目標、または経路の進捗割合）。100%で目標どおり、表示は150%まで。",
                              "en": "The rule's measure (actual/target or share of the path); 100% = on target; bars stop at 150%."},
    "kpi_col_grade": {"ja": "評価", "en": "Grade"},
    "kpi_col_reason": {"ja": "判定の根拠", "en": "Why"},
    "kpi_col_trend": {"ja": "推移", "en": "Trend"},
    "kpi_col_trend_help": {"ja": "基準値から評価年度までの実績（累計の指標は累積値）", "en": "Baseline, then actuals up to the evaluation year (running totals for cumulative KPIs)"},
    "kpi_col_recorded": {"ja": "報告書の評価", "en": "Grade as published"},
    "kpi_col_note": {"ja": "備考", "en": "Note"},
    "kpi_col_unit": {"ja": "単位", "en": "Unit"},
    "kpi_col_period": {"ja": "期間", "en": "Period"},
    "kpi_col_published": {"ja": "公表値", "en": "Published"},
    "kpi_col_value": {"ja": "実績値（入力）", "en": "Actual (enter)"},
    "kpi_col_judgement": {"ja": "評価（文言の実績のみ）", "en": "Grade (text actuals only)"},
    "kpi_level_population_target": {"ja": "目標人口", "en": "Target population"},
    "kpi_level_goal_target": {"ja": "数値目標", "en": "Numerical target"},
    "kpi_level_kpi": {"ja": "KPI", "en": "KPI"},
    "kpi_origin_published": {"ja": "公表値", "en": "Published"},
    "kpi_origin_user": {"ja": "利用者入力", "en": "Entered here"},
    "kpi_origin_linked": {"ja": "自動: {source}", "en": "Linked: {source}"},
    "kpi_origin_legend": {
        "ja": "実績の出所: 公表値＝計画の報告書に掲載された値（読み取り専用）／利用者入力＝このページで入力・取り込みされた値"
              "（利用者データベースに保存、公表値より優先）／自動＝人口統計の指標について本データベースの系列から補完した値（出典名を表示）。",
        "en": "Actual from: Published = printed in the plan's report (read-only) / Entered here = typed or imported on "
              "this page (kept in the user database, takes precedence) / Linked = filled in from this database's "
              "series for KPIs that are population statistics (source named)."},
    "kpi_unit_each": {"ja": "指標ごと（基準値・目標値・実績に表示）", "en": "each indicator's own (shown with the figures)"},
    "kpi_period_each": {"ja": "指標ごと（年度・暦年・基準日・国勢調査間など、値に表示）",
                        "en": "each indicator's own (fiscal year, calendar year, reference date, census interval …; shown with the figures)"},
    "kpi_sum_of": {"ja": "{first}〜{last}の累計", "en": "total {first}–{last}"},
    "kpi_of_period": {"ja": "（{period}）", "en": " ({period})"},
    "kpi_stale": {"ja": "評価年度の実績がなく{period}の値", "en": "no actual for the evaluation year; value of {period}"},
    "kpi_missing": {"ja": "未報告: {years}", "en": "not reported: {years}"},
    "kpi_partial": {"ja": "公表待ち（{years}のみ公表済み）", "en": "awaiting data (only {years} published)"},
    # reasons
    "kr_ratio": {"ja": "実績/目標 {pct}", "en": "actual/target {pct}"},
    "kr_reached": {"ja": "目標に到達", "en": "target reached"},
    "kr_no_actual": {"ja": "実績なし", "en": "no actual"},
    "kr_no_target": {"ja": "数値の目標なし", "en": "no numeric target"},
    "kr_no_baseline": {"ja": "基準値がなく経路を引けない", "en": "no baseline to draw a path from"},
    "kr_done": {"ja": "実施", "en": "done"},
    "kr_not_done": {"ja": "未実施", "en": "not done"},
    "kr_not_yet_due": {"ja": "未実施（目標年度前）", "en": "not done yet (before the target year)"},
    "kr_judged": {"ja": "文言の実績: 記録された評価", "en": "text actual: the grade recorded"},
    "kr_needs_judgement": {"ja": "文言の実績: 評価を入力してください", "en": "text actual: enter a grade"},
    "kr_on_path": {"ja": "経路の {pct}（経路上の値 {expected}）", "en": "{pct} of the path (path value {expected})"},
    "kr_on_path_back": {"ja": "基準値より後退（経路上の値 {expected}）", "en": "worse than the baseline (path value {expected})"},
    "kr_maintain": {"ja": "目標水準の維持", "en": "holding the target level"},
    "kr_allowance": {"ja": "経路上の値 {expected} と比較", "en": "compared with the path value {expected}"},
    "kr_at_baseline": {"ja": "基準時点の値", "en": "value at the baseline date"},
    "kr_not_started": {"ja": "計画期間前", "en": "before the plan period"},
    # charts
    "kpi_chart_grades": {"ja": "基本目標ごとの KPI 評価（件数）", "en": "KPI grades by basic goal (count)"},
    "kpi_chart_progress": {"ja": "KPI ごとの達成度（縦線: 80%・100%）", "en": "Progress by KPI (lines: 80%, 100%)"},
    "kpi_count": {"ja": "KPI の数", "en": "KPIs"},
    "kpi_detail_pick": {"ja": "推移を見る指標", "en": "Indicator to chart"},
    "kpi_chart_detail": {"ja": "{kpi}: 実績と目標までの経路（{unit}）", "en": "{kpi}: actuals and the path to the target ({unit})"},
    "kpi_s_actual": {"ja": "実績", "en": "Actual"},
    "kpi_s_path": {"ja": "目標までの経路", "en": "Path to the target"},
    "kpi_s_projection": {"ja": "推計値（報告書掲載）", "en": "Projection (as printed)"},
    "kpi_value_axis": {"ja": "値", "en": "Value"},
    "kpi_date_axis": {"ja": "時点（期間の末日）", "en": "Date (end of period)"},
    "kpi_detail_note": {"ja": "線は基準値・途中年の目標・目標値を直線で結んだ経路。累計の指標は累積値。{link}",
                        "en": "The path joins the baseline, interim targets and the target. Cumulative KPIs as running totals. {link}"},
    "kpi_link_note": {"ja": "自動補完: {source}（{link}）。{note}", "en": "Linked: {source} ({link}). {note}"},
    # editing
    "kpi_edit_title": {"ja": "実績の入力（担当課）", "en": "Enter actuals (departments)"},
    "kpi_edit_help": {"ja": "「実績値（入力）」「備考」「評価」を入力して「保存」を押してください。期間は変更できます（例: FY2025、2025年度、令和7年度、2025-10-01）。"
                            "保存先は利用者データベースで、公表値は変わりません。入力した値を消して保存すると公表値（あれば）に戻ります。",
                      "en": "Type the actual, a note and (for text actuals) a grade, then press Save. The period can be changed "
                            "(e.g. FY2025, 2025-10-01). Values go to the user database; published figures are never changed. "
                            "Clearing a value you entered and saving returns to the published value (if any)."},
    "kpi_save": {"ja": "保存", "en": "Save"},
    "kpi_saved": {"ja": "{n} 件を保存しました（利用者データベース）。", "en": "Saved {n} change(s) to the user database."},
    "kpi_nothing": {"ja": "変更はありません。", "en": "Nothing changed."},
    "kpi_editor_name": {"ja": "入力表", "en": "entry table"},
    "kpi_userdb": {"ja": "利用者データベース: {path}（入力 {n} 件）", "en": "User database: {path} ({n} values entered)"},
    "kpi_history_csv": {"ja": "入力履歴（CSV）", "en": "Entry history (CSV)"},
    # import / export
    "kpi_io_title": {"ja": "KPI シートの書き出し・取り込み（Excel・CSV）", "en": "KPI sheet: export and import (Excel, CSV)"},
    "kpi_io_help": {"ja": "書き出したシートの「実績値」「備考」「評価」列に記入して取り込みます。計画・指標名などの列は読み取り用で取り込みません。"
                          "空欄の行と、いまの表示と同じ行は無視します。誤りがあれば行と列を示して取り込みを中止し、保存済みの値は変わりません。",
                    "en": "Fill in the value, note and grade columns of an exported sheet and import it. Plan, KPI name and "
                          "other columns are for reading only. Blank rows and rows equal to what is shown are ignored. On an "
                          "error the import stops, naming the row and column; nothing saved before is changed."},
    "kpi_dl_xlsx": {"ja": "KPI シート（Excel）をダウンロード", "en": "Download the KPI sheet (Excel)"},
    "kpi_upload": {"ja": "記入した KPI シートを取り込む（xlsx・CSV）", "en": "Import a filled-in KPI sheet (xlsx, CSV)"},
    "kpi_import_preview": {"ja": "{n} 件の実績を読み込みました（変更のない行は除く）。内容を確認して保存してください。",
                           "en": "Read {n} actual(s) (unchanged rows left out). Check them, then save."},
    "kpi_import_save": {"ja": "取り込んだ実績を保存", "en": "Save the imported actuals"},
    "kpi_import_rejected": {"ja": "取り込みを中止しました（何も保存していません）。{message}",
                            "en": "Import stopped; nothing was saved. {message}"},
    "kpi_save_rejected": {"ja": "保存を中止しました（何も保存していません）。{message}",
                          "en": "Not saved; nothing was changed. {message}"},
    "kpi_no_kpis": {"ja": "この条件に合う指標はありません。", "en": "No indicator matches these filters."},
}
