"""Strategy KPI tracking (総合戦略 KPI 進捗・効果検証): pure Python, no Streamlit and no database.

kpi.model    KPI definition, observation (Obs) and Grade
kpi.periods  period labels ('FY2024', 'CY2025', 'FY2020-FY2024', '2025-01-01', '2015-10-01/2020-10-01')
kpi.rules    grading rules as named functions (RULES: 'kama_ratio', 'trajectory'; target populations always
             by population_path, see rule_for)
kpi.link     actuals of population KPIs from the database's own series
kpi.tracker  merging published / linked / user values, grading a plan, counting grades per basic goal
"""
from kpi.model import GOOD, OTHER, SHORT, KPI, Grade, Obs
from kpi.rules import RULES, achievement, grade

__all__ = ["GOOD", "SHORT", "OTHER", "KPI", "Obs", "Grade", "RULES", "achievement", "grade"]
