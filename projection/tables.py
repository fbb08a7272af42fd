"""User-supplied parameter tables (e.g. IPSS assumption values) as a pandas DataFrame, and the reverse.

Layout (one row per value; long format; the same as :func:`parameter_table` writes, so a downloaded table
can be edited and uploaded again):

=============  =================================================================================================
column         meaning
=============  =================================================================================================
parameter      ``survival`` / ``migration`` (5-year rates of the cohort aged ``age_group`` at the start of
               the step, Japanese), ``cwr`` (children 0–4 per woman 15–49), ``sex_ratio_0_4`` (boys per
               girl), ``tfr_base`` (births per woman), ``foreign_ccr`` (5-year cohort change ratio),
               ``foreign_net_counts`` (net migrant persons per 5 years, by age at the start; the open
               group's count under '90+'), ``foreign_cwr``, ``foreign_sex_ratio_0_4``
sex            ``male`` / ``female`` for the age-specific parameters (survival, migration, foreign_ccr,
               foreign_net_counts); ``total`` (or empty) otherwise
age_group      an age label of ``AGES`` ('0-4' … '85-89', '90+') for the age-specific parameters;
               ``total`` (or empty) otherwise
value          the number (dimensionless ratio or rate; a migration rate of 0.01 = +1 % over 5 years)
area_code      optional; rows without it (column absent or empty) apply to every area
year           optional; end year of the 5-year step the value is for (2025 = step 2020→2025). The value
               holds from that step on until a later year of the same cell; steps before the first year
               given keep the estimated value. Only for survival, migration, cwr. Empty = all steps.
=============  =================================================================================================

Cells not in the table keep the values estimated from the data (the table *overrides*). Unknown parameter
names, sexes, age labels or area codes raise ``ValueError``. A migration table drops the per-window estimates,
so no uncertainty band is available afterwards.

An uploaded table is checked first by :func:`check_parameter_table` (plausibility bounds, years, duplicates;
every refusal a LoaderError naming file, row and column). The bounds (:data:`BOUNDS`, inclusive) are chosen so
that no area's own estimate exceeds them — a downloaded table always uploads back — while a typo by orders of
magnitude, a percentage typed for a ratio or a per-100 sex ratio is refused. Extremes measured on the national
database (1,970 areas, base 2020, windows 2015→2020 … 2017→2022):

=======================  ==============  ================================================================
parameter                bound           real range, and why
=======================  ==============  ================================================================
survival                 0 … 1.2         0.41–1.00 (national; the estimate is capped at 1); 1.2 leaves room
                                         for cohort change ratios used as survival
migration                −1 … 20         −0.944 (青ヶ島村 girls 10–14) … 9.38 (音威子府村 girls 10–14: a
                                         boarding high school); −1 = the whole cohort leaves. Single
                                         windows reach 13.2, hence 20, not 10. Means a typed 5 (for 5 %)
                                         is *not* caught
cwr, foreign_cwr         0 … 2           0–0.385 / 0–0.379 (children 0–4 per woman 15–49)
sex_ratio_0_4,           0 … 10          boys per girl aged 0–4 in the area (not per 100 girls): nationally
foreign_sex_ratio_0_4                    ≈1.05 (the ratio at birth), but 0.52–3.0 in small areas (Japanese;
                                         142 areas outside 0.8–1.3) and 0–7.0 (foreign). 10 refuses the
                                         per-100 form (105)
tfr_base                 0 … 10          0–2.71 (births per woman; highest national TFRs ever ≈ 8)
foreign_ccr              0 … 100         0–52.8 (須崎市 foreign girls 10–14, trainees arriving)
foreign_net_counts       ±10,000,000     −3,047 … 175,860 persons (全国, men 15–19)
=======================  ==============  ================================================================

Years are the ends of the projection's 5-year steps: base_year + 5, + 10, … up to :data:`LAST_YEAR` (2070, the
IPSS 令和5年推計 horizon).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from loaders.errors import LoaderError
from projection.core import AGES, SEXES, STEP_YEARS, _at
from projection.scenario import ModelInputs

AGE_PARAMS = ("survival", "migration", "foreign_ccr", "foreign_net_counts")
SCALAR_PARAMS = ("cwr", "sex_ratio_0_4", "tfr_base", "foreign_cwr", "foreign_sex_ratio_0_4")
TIME_PARAMS = ("survival", "migration", "cwr")
COLUMNS = ("parameter", "sex", "age_group", "value", "area_code", "year")
#: Inclusive plausibility bounds of each parameter's value (units as in the layout; see the module doc).
BOUNDS: dict[str, tuple[float, float]] = {
    "survival": (0.0, 1.2), "migration": (-1.0, 20.0), "cwr": (0.0, 2.0), "sex_ratio_0_4": (0.0, 10.0),
    "tfr_base": (0.0, 10.0), "foreign_ccr": (0.0, 100.0), "foreign_net_counts": (-1e7, 1e7),
    "foreign_cwr": (0.0, 2.0), "foreign_sex_ratio_0_4": (0.0, 10.0),
}
#: Last year a parameter table may name (the horizon of IPSS 令和5年推計).
LAST_YEAR = 2070
_HINTS = {  # why the bound: appended to a value refusal
    "survival": ("5年間の生残率（1 以下が普通）", "a 5-year survival ratio (normally at most 1)"),
    "migration": ("5年間の純移動率（0.01 = +1%）", "a 5-year net migration rate (0.01 = +1 %)"),
    "cwr": ("女性（15〜49歳）1人あたりの0〜4歳児数", "children 0–4 per woman aged 15–49"),
    "foreign_cwr": ("女性（15〜49歳）1人あたりの0〜4歳児数", "children 0–4 per woman aged 15–49"),
    "sex_ratio_0_4": ("性比は女1人あたり男の人数（約1.05）で、女100人あたり（105）ではありません",
                      "boys per girl (about 1.05), not per 100 girls (105)"),
    "foreign_sex_ratio_0_4": ("性比は女1人あたり男の人数（約1.05）で、女100人あたり（105）ではありません",
                              "boys per girl (about 1.05), not per 100 girls (105)"),
    "tfr_base": ("女性1人あたりの出生数", "births per woman"),
    "foreign_ccr": ("5年間のコーホート変化率", "a 5-year cohort change ratio"),
    "foreign_net_counts": ("5年間の純移動数（人）", "net migrants per 5 years (persons)"),
}


def _blank(v) -> str:
    """A label cell as text: '' for empty/NA, else stripped."""
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()


def check_parameter_table(table: pd.DataFrame, file: str, base_year: int, last_year: int = LAST_YEAR,
                          rows=None) -> None:
    """Refuse a parameter table that cannot be right, before any of it reaches the projection.

    Inputs: ``table`` in the layout of the module doc (value as float, year as int or empty/NA — as
        loaders.parameters.read_parameter_csv returns it); ``file`` name for the messages; ``base_year`` of the
        projection (years must be base_year + 5·k, k ≥ 1, up to ``last_year``); ``rows`` = each table row's
        number as the file shows it (default: position + 2, the header being row 1).
    Output: None. Raises LoaderError (file, row, column, Japanese and English) for the first of: unknown
        parameter; sex/age_group not allowed for the parameter (a CWR row for males: CWR is per woman); a value
        that is not finite or outside :data:`BOUNDS`; a year for a parameter that cannot vary by year, or off
        the grid; the same cell (parameter, sex, age group, area, year) twice — the message names both rows.
    """
    rows = list(range(2, len(table) + 2)) if rows is None else list(rows)
    known = AGE_PARAMS + SCALAR_PARAMS
    grid = range(base_year + STEP_YEARS, last_year + 1, STEP_YEARS)
    first, last = base_year + STEP_YEARS, base_year + STEP_YEARS * max(1, (last_year - base_year) // STEP_YEARS)
    seen: dict[tuple, int] = {}
    cols = {c: table[c].tolist() if c in table.columns else [None] * len(table) for c in COLUMNS}
    for i, row in enumerate(rows):
        p, sex, age, area = (_blank(cols[c][i]) for c in ("parameter", "sex", "age_group", "area_code"))
        value, year = cols["value"][i], cols["year"][i]

        def refuse(column: str, ja: str, en: str):
            raise LoaderError(file, ja, en, row=row, column=column)

        if p not in known:
            refuse("parameter", f"不明なパラメータ「{p}」です（{', '.join(known)}）。",
                   f"unknown parameter {p!r} (expected one of {', '.join(known)}).")
        if p in AGE_PARAMS:
            if sex not in SEXES:
                refuse("sex", f"{p} の性別「{sex}」は male か female で指定してください。",
                       f"{p}: sex {sex!r} must be male or female.")
            if age not in AGES:
                refuse("age_group", f"年齢階級「{age}」は 0-4 … 85-89, 90+ のいずれかです。",
                       f"age group {age!r} must be one of 0-4 … 85-89, 90+.")
        else:
            if p in ("cwr", "foreign_cwr") and sex == "male":
                refuse("sex", f"{p}（子ども女性比）は女性1人あたりの比率で、男性の行はありません。sex は空欄か total にしてください。",
                       f"{p} (child-woman ratio) is per woman: there is no male row. Leave sex empty or 'total'.")
            for column, text in (("sex", sex), ("age_group", age)):
                if text not in ("", "total"):
                    refuse(column, f"{p} は地域に1つの値です。sex と age_group は空欄か total にしてください（「{text}」）。",
                           f"{p} is one value per area: leave sex and age_group empty or 'total' ({text!r}).")
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = float("nan")
        lo, hi = BOUNDS[p]
        hint_ja, hint_en = _HINTS[p]
        if not np.isfinite(v):
            refuse("value", f"{p} の値「{value}」は有限の数値ではありません（{lo:g}〜{hi:g}、{hint_ja}）。",
                   f"{p}: value {value!r} is not a finite number ({lo:g} to {hi:g}, {hint_en}).")
        if not lo <= v <= hi:
            refuse("value", f"{p} の値 {v:g} は範囲 {lo:g}〜{hi:g} の外です（{hint_ja}）。",
                   f"{p}: value {v:g} is outside {lo:g} to {hi:g} ({hint_en}).")
        y = None if year is None or pd.isna(year) else int(year)
        if y is not None:
            if p not in TIME_PARAMS:
                refuse("year", f"年は {'・'.join(TIME_PARAMS)} にだけ指定できます（{p}）。",
                       f"a year is only allowed for {', '.join(TIME_PARAMS)} ({p}).")
            if y not in grid:
                refuse("year", f"年「{y}」は {first}〜{last} の5年ごと（{first}, {first + STEP_YEARS}, …：各5年間の終わりの年）"
                               "で指定してください。",
                       f"year {y} must be on the 5-year grid from {first} to {last} ({first}, {first + STEP_YEARS}, …: "
                       "the end year of each 5-year step).")
        key = (p, sex or "total", age or "total", area, y)
        if key in seen:
            cell = ", ".join([p, key[1], key[2]] + ([area] if area else []) + ([str(y)] if y else []))
            refuse("value", f"同じセル（{cell}）が {seen[key]}行目と{row}行目にあります。どちらか一方にしてください。",
                   f"the same cell ({cell}) is in rows {seen[key]} and {row}: keep one of them.")
        seen[key] = row


def _field(inputs: ModelInputs, name: str):
    return inputs.migration_rates if name == "migration" else getattr(inputs, name)


def apply_parameter_table(inputs: ModelInputs, table: pd.DataFrame, steps: int = 8) -> ModelInputs:
    """Return ``inputs`` with the values of ``table`` (layout in the module doc) replacing estimated ones.

    Inputs: model inputs (areas on the first leading axis, labelled by ``inputs.area_codes`` when the table
        has area codes); table; ``steps`` = number of 5-year steps the per-year parameters are expanded to.
    Output: new :class:`~projection.scenario.ModelInputs`; year-specific parameters become per-step lists.
    """
    df = table.copy()
    for col in ("parameter", "value"):
        if col not in df.columns:
            raise ValueError(f"parameter table needs a {col!r} column")
    for col in ("sex", "age_group", "area_code", "year"):
        if col not in df.columns:
            df[col] = None
    df["sex"] = df["sex"].fillna("total").replace("", "total")
    df["age_group"] = df["age_group"].fillna("total").replace("", "total")
    df["area_code"] = df["area_code"].replace("", None)
    bad = set(df["parameter"]) - set(AGE_PARAMS) - set(SCALAR_PARAMS)
    if bad:
        raise ValueError(f"unknown parameter(s) {sorted(bad)}; known: {AGE_PARAMS + SCALAR_PARAMS}")
    lead = np.shape(inputs.japanese)[:-2]
    codes = list(inputs.area_codes or ())
    changes = {}
    for name, rows in df.groupby("parameter", sort=False):
        age_specific = name in AGE_PARAMS
        if age_specific:
            sx = rows["sex"].map({s: i for i, s in enumerate(SEXES)})
            ag = rows["age_group"].map({a: i for i, a in enumerate(AGES)})
            if sx.isna().any() or ag.isna().any():
                raise ValueError(f"{name}: sex must be male/female and age_group one of {AGES}")
        elif (rows["sex"] != "total").any() or (rows["age_group"] != "total").any():
            raise ValueError(f"{name} is one value per area: leave sex and age_group empty or 'total'")
        has_year = rows["year"].notna()
        if has_year.any() and name not in TIME_PARAMS:
            raise ValueError(f"{name} cannot vary by year (only {TIME_PARAMS})")
        current = _field(inputs, name)
        if current is None:
            raise ValueError(f"{name}: the inputs have no such parameter (no foreign residents?)")
        core = (2, len(AGES)) if age_specific else ()
        per_step = [np.array(np.broadcast_to(np.asarray(_at(current, k), dtype=float), lead + core))
                    for k in range(steps)]

        def put(target: np.ndarray, sub: pd.DataFrame) -> None:
            for r in sub.itertuples(index=False):
                if pd.isna(r.area_code):
                    area = (Ellipsis,)
                else:
                    if r.area_code not in codes:
                        raise ValueError(f"{name}: area_code {r.area_code!r} is not among the inputs' areas")
                    area = (codes.index(r.area_code),)
                cell = (SEXES.index(r.sex), AGES.index(r.age_group)) if age_specific else ()
                target[area + cell] = float(r.value)

        # more specific rows win: all-area rows before area rows, undated before dated (latest year ≤ step end)
        generic = rows["area_code"].isna()
        for part in (rows[generic & ~has_year], rows[generic & has_year],
                     rows[~generic & ~has_year], rows[~generic & has_year]):
            if part.empty:
                continue
            for k in range(steps):
                use = part
                if part["year"].notna().all():
                    end = inputs.base_year + STEP_YEARS * (k + 1)
                    use = part[part["year"].astype(float) <= end]
                    use = use.assign(_y=use["year"].astype(float)).sort_values("_y").groupby(
                        ["area_code", "sex", "age_group"], dropna=False, sort=False).tail(1)
                put(per_step[k], use)
        varying = bool(has_year.any()) or isinstance(current, (list, tuple))
        value = per_step if varying else per_step[0]
        changes[name] = value
    mig = changes.pop("migration", None)
    out = replace(inputs, **changes)
    if mig is not None:
        out = replace(out, migration=mig)
    return out


def parameter_table(inputs: ModelInputs, area: str | int | None = None) -> pd.DataFrame:
    """The parameters of one area (or of single-area inputs) in the layout of the module doc.

    Inputs: model inputs; ``area`` code/index when the inputs hold several areas. Output: DataFrame with
    columns parameter, sex, age_group, value, area_code, year (year filled only for per-step parameters).
    """
    one = inputs.area(area) if area is not None else inputs
    code = one.area_codes[0] if one.area_codes else None
    rows = []
    for name in AGE_PARAMS + SCALAR_PARAMS:
        val = _field(one, name)
        if val is None:
            continue
        steps = list(val) if isinstance(val, (list, tuple)) else [val]
        for k, v in enumerate(steps):
            year = one.base_year + STEP_YEARS * (k + 1) if len(steps) > 1 else None
            v = np.asarray(v, dtype=float)
            if name in AGE_PARAMS:
                v = np.broadcast_to(v, (2, len(AGES)))
                for s, sex in enumerate(SEXES):
                    for a, age in enumerate(AGES):
                        rows.append((name, sex, age, float(v[s, a]), code, year))
            else:
                rows.append((name, "total", "total", float(v), code, year))
    return pd.DataFrame(rows, columns=list(COLUMNS))

