"""The database layer: the one owner of every database the app opens.

- `store.official` — the official statistics database, opened read-only (never written by the app).
- `store.user` — the user store: imports, KPI actuals with their history and the playlist, in one place with
  separate tables; row-level transactional writes.

No other module opens a database file or reads the settings that name one (see settings.py); the database
build (loaders.build) writes a new official file through `store.official.create`.
"""
