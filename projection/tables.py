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
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from projection.core import AGES, SEXES, STEP_YEARS, _at
from projection.scenario import ModelInputs

AGE_PARAMS = ("survival", "migration", "foreign_ccr", "foreign_net_counts")
SCALAR_PARAMS = ("cwr", "sex_ratio_0_4", "tfr_base", "foreign_cwr", "foreign_sex_ratio_0_4")
TIME_PARAMS = ("survival", "migration", "cwr")
COLUMNS = ("parameter", "sex", "age_group", "value", "area_code", "year")


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

