"""Population projection engine (pure numpy; no Streamlit, no database).

Method (see ../shared/DESIGN.md, "Projection method"):

* Japanese residents: cohort-component in 5-year steps, 19 age groups ('0-4' … '85-89', '90+') × 2 sexes
  (male, female — in that order on axis -2). ``P(t+5, a+1) = P(t, a)·(S(a) + M(a))``, the open group 90+
  keeps its survivors and receives those of 85–89; the 0–4 group from the child-woman ratio (or from
  age-specific fertility rates). Never negative (clipped at 0). → :mod:`projection.core`
* Parameters from register data: survival from national cohort change ratios (closed-population
  approximation) or a life table; residual net migration rates averaged over 5-year windows, with the
  per-window spread; child-woman ratio and 0–4 sex ratio. → :mod:`projection.estimate`;
  user tables → :mod:`projection.tables`.
* Foreign residents: Hamilton–Perry cohort change ratios, optionally scaled to reach a target share of the
  total in a target year. → :mod:`projection.foreign`
* Births as an output (total and by mother's age, every step) and net migration as counts with the
  ``'end'`` (default) or ``'even'`` convention → :func:`project_components` in :mod:`projection.core`.
* Leslie matrix, dominant eigenvalue, intrinsic growth rate, stable age distribution, NRR →
  :mod:`projection.stable`.
* Age schedules: fertility shape (published national breakdown of the TFR by mother's age) for the ASFR
  path, net-migration schedules (shape × level) → :mod:`projection.schedules`.
* Scenarios (TFR path, net-migration change in points for chosen ages, phase-in; births by CWR or ASFR;
  migration by rates or schedule), full runs and the per-window migration spread →
  :mod:`projection.scenario`; summaries and inverse questions → :mod:`projection.outputs`.
* Back-test of the method and empirical prediction intervals (fan chart) by size class and horizon →
  :mod:`projection.backtest`.

Shapes: populations ``[..., 2, n]`` persons, results ``[..., T+1, 2, n]``; ``...`` = areas (any leading axes);
one call projects every area at once.
"""
from projection.backtest import (EmpiricalErrors, FanBand, empirical_band, empirical_errors, error_summary, hindcast,
                                 interpolate_geometric, percentage_error)
from projection.core import (AGES, FEMALE, FERTILE, MALE, N_AGES, SEXES, STEP_YEARS, Components, Fertility, age_mask,
                             project, project_components)
from projection.estimate import (MigrationEstimate, approx_tfr_from_cwr, child_woman_ratio, cohort_change_ratios,
                                 pooled_ccr, residual_counts, residual_migration, sex_ratio_0_4, survival_from_ccr,
                                 survival_from_life_table)
from projection.foreign import ShareSolution, project_foreign_counts, project_hamilton_perry, solve_share_factor
from projection.outputs import (AGE3, InverseResult, age3, age3_shares, difference, long_frame, solve_migration,
                                solve_tfr, summary_frame, totals)
from projection.scenario import (Band, ModelInputs, Projection, Scenario, migration_band, migration_shift_path,
                                 run, step_years, tfr_ratio_path)
from projection.schedules import (TFR_BY_AGE_MHLW, asfr_from_tfr, cohort_to_period, fertility_shape,
                                  mean_age_of_schedule, migration_schedule, migration_shape)
from projection.stable import StableResult, female_leslie_from_model, leslie_matrix, stable_population
from projection.tables import apply_parameter_table, parameter_table

__all__ = [
    "AGES", "SEXES", "MALE", "FEMALE", "N_AGES", "STEP_YEARS", "FERTILE", "Fertility", "age_mask", "project",
    "Components", "project_components",
    "StableResult", "leslie_matrix", "female_leslie_from_model", "stable_population",
    "TFR_BY_AGE_MHLW", "fertility_shape", "asfr_from_tfr", "mean_age_of_schedule", "migration_shape",
    "migration_schedule", "cohort_to_period",
    "EmpiricalErrors", "FanBand", "hindcast", "interpolate_geometric", "percentage_error", "error_summary",
    "empirical_errors", "empirical_band",
    "MigrationEstimate", "approx_tfr_from_cwr", "child_woman_ratio", "cohort_change_ratios", "pooled_ccr",
    "residual_counts", "residual_migration", "sex_ratio_0_4", "survival_from_ccr", "survival_from_life_table",
    "ShareSolution", "project_foreign_counts", "project_hamilton_perry", "solve_share_factor",
    "AGE3", "InverseResult", "age3", "age3_shares", "difference", "long_frame", "solve_migration", "solve_tfr",
    "summary_frame", "totals",
    "Band", "ModelInputs", "Projection", "Scenario", "migration_band", "migration_shift_path", "run",
    "step_years", "tfr_ratio_path",
    "apply_parameter_table", "parameter_table",
]
