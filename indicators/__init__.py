"""Indicators of every municipality and the outlook (地域の未来予測) figures — pure pandas/numpy, no database.

* :mod:`indicators.definitions` — every indicator defined once (formula, source, period, unit, map classes).
* :mod:`indicators.compute` — all indicators for all areas in one vectorised call; ranks (ties share the lowest
  rank, method 'min'), peer groups, size bands, the 人口戦略会議 criterion.
* :mod:`indicators.outlook` — service-demand age groups, dependency ratios, women aged 20–39, summary facts.
* :mod:`indicators.glossary` — the glossary generated from the definitions.
"""
from indicators.compute import (LEVELS, IndicatorData, band_range, compute, flow_rates, peer_codes, projection_facts,
                                rank, size_band, vanishing, window, youth_rate)
from indicators.definitions import BY_KEY, INDICATORS, KEYS, Indicator
from indicators.glossary import criterion_text, glossary, size_band_labels

__all__ = ["LEVELS", "IndicatorData", "band_range", "compute", "flow_rates", "peer_codes", "projection_facts", "rank",
           "size_band", "vanishing", "window", "youth_rate", "BY_KEY", "INDICATORS", "KEYS", "Indicator",
           "criterion_text", "glossary", "size_band_labels"]
