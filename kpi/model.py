"""The KPI data model used by the grading rules: a KPI's definition, its observations, and a grade.

Units are the KPI's own (persons, 件, %, 万人 …); nothing here converts them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

GOOD, SHORT, OTHER = "○", "△", "×"  # 概ね目標達成 / 目標未達成 / その他（実績の把握が不可能・事業未実施）
GRADES = (GOOD, SHORT, OTHER)
DIRECTIONS = ("higher", "lower", "reduce_decline")
VALUE_KINDS = ("number", "done", "text")
AGGREGATIONS = ("latest", "sum")
ORIGINS = ("user", "published", "linked")  # precedence, highest first
LEVELS = ("population_target", "goal_target", "kpi")  # 目標人口 / 基本目標の数値目標 / KPI
BASES = ("census", "juki")  # 国勢調査 / 住民基本台帳: what a population figure counts


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _str(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


@dataclass(frozen=True)
class KPI:
    """What a rule needs of a KPI definition (a row of kpi_defs).

    direction: 'higher' (more is better), 'lower' (less is better), 'reduce_decline' (negative values such as net
    migration, where a smaller decline is better); value_kind: 'number', 'done' (1 実施 / 0 未実施) or 'text';
    aggregation: 'latest' (the value of the year is compared) or 'sum' (values add up over target_period, the
    cumulative '5年間に40件'). Periods are labels of kpi.periods. level: 'population_target' (judged by its own
    rule, kpi.rules.population_path), 'goal_target' or 'kpi'. basis: what the KPI's own figures count ('census',
    'juki', or None when the question does not arise); an actual of another basis is a reference, never graded.
    """

    kpi_id: str
    level: str = "kpi"
    basis: str | None = None
    direction: str = "higher"
    value_kind: str = "number"
    aggregation: str = "latest"
    baseline_value: float | None = None
    baseline_period: str | None = None
    target_value: float | None = None
    target_period: str | None = None

    def __post_init__(self):
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.kpi_id}: unknown direction {self.direction!r}")
        if self.value_kind not in VALUE_KINDS:
            raise ValueError(f"{self.kpi_id}: unknown value kind {self.value_kind!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"{self.kpi_id}: unknown aggregation {self.aggregation!r}")
        if self.level not in LEVELS:
            raise ValueError(f"{self.kpi_id}: unknown level {self.level!r}")
        if self.basis is not None and self.basis not in BASES:
            raise ValueError(f"{self.kpi_id}: unknown basis {self.basis!r}")

    @classmethod
    def from_row(cls, row: Mapping) -> "KPI":
        """Build from a kpi_defs row (dict or pandas Series); NaN cells become None."""
        return cls(kpi_id=str(row["kpi_id"]), level=_str(row.get("level")) or "kpi", basis=_str(row.get("basis")),
                   direction=_str(row.get("direction")) or "higher",
                   value_kind=_str(row.get("value_kind")) or "number",
                   aggregation=_str(row.get("aggregation")) or "latest",
                   baseline_value=_num(row.get("baseline_value")), baseline_period=_str(row.get("baseline_period")),
                   target_value=_num(row.get("target_value")), target_period=_str(row.get("target_period")))


@dataclass(frozen=True)
class Obs:
    """One period of a KPI after merging sources: the actual (value and/or text as printed), the recorded
    judgement, the interim target set for that period, the projection printed beside it (e.g. 社人研推計), where
    the actual came from (origin: 'user', 'published' or 'linked'), its source id, and its basis ('census' /
    'juki'; None = the KPI's own)."""

    period: str
    value: float | None = None
    text: str | None = None
    judgement: str | None = None
    target: float | None = None
    origin: str | None = None
    source_id: str | None = None
    note: str | None = None
    projection: float | None = None
    basis: str | None = None

    @classmethod
    def from_row(cls, row: Mapping) -> "Obs":
        return cls(period=str(row["period"]), value=_num(row.get("value")), text=_str(row.get("value_text")),
                   judgement=_str(row.get("judgement")), target=_num(row.get("target")),
                   origin=_str(row.get("origin")), source_id=_str(row.get("source_id")), note=_str(row.get("note")),
                   projection=_num(row.get("projection")), basis=_str(row.get("basis")))

    def same_basis(self, kpi: "KPI") -> bool:
        """True when this actual counts what the KPI counts (either basis unstated counts as the same)."""
        return self.basis is None or kpi.basis is None or self.basis == kpi.basis

    def has_actual(self, kind: str) -> bool:
        """True when this period carries an actual of a KPI of value kind `kind`."""
        return self.value is not None or (kind == "text" and self.text is not None)


@dataclass(frozen=True)
class Grade:
    """The outcome of a rule for one KPI at one evaluation period.

    grade: '○', '△', '×', or None when no rule can decide (a text actual nobody has judged, no target).
    reason: a code (see kpi.rules.REASONS) saying why. actual/actual_text/actual_period/origin: the actual compared
    (for 'sum' KPIs the total of the years reported and the span they cover). target: the target compared with.
    ratio: the rule's measure (実績/目標 for kama_ratio; share of the path reached for trajectory; for a target
    population the decline the path allowed / the decline that happened), 1.0 = met.
    expected: trajectory only, the value on the path at the actual's date. stale: the actual is older than the
    evaluation period. missing: years of a cumulative KPI due by then with no reported value.
    """

    grade: str | None
    reason: str
    actual: float | None = None
    actual_text: str | None = None
    actual_period: str | None = None
    origin: str | None = None
    source_id: str | None = None
    target: float | None = None
    ratio: float | None = None
    expected: float | None = None
    stale: bool = False
    missing: tuple[str, ...] = ()
