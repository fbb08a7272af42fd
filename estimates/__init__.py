"""Estimates from the official database: plain functions over a DuckDB connection the caller gives (the build's new
file, `store.official.connection()` or `store.official.open_readonly(path)`), reading it only through named SQL
(`store.sqlfiles.run`). No Streamlit: the build (loaders.build) calls them directly, the app through the cached
wrappers in queries/ (queries.projections, queries.indicators).

* :mod:`estimates.projection_inputs` — register populations → :class:`projection.ModelInputs`.
* :mod:`estimates.indicators` — every indicator of every area (the inputs of indicators.compute, and the table the
  build stores in `indicator_values`).
"""
