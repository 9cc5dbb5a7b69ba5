"""Live monitoring: poll feeds politely, fire watch rules on what changed, deliver alerts, brief.

`sitrep.watch` sits beside `sitrep.pipeline` (it hands the articles it fetches to
`pipeline.ingest_articles`, so extraction and merging happen as for `sitrep ingest`) and reads
the store through `sitrep.store.Store`; it holds no SQL. Its parts: `polling` (feeds, politeness,
backoff, re-fetches), `rules` (matching and triggers), `alerts` (one alert per event and rule),
`delivery` (the outbox: webhooks and email), `atom` (alert feeds) and `briefing`.
"""
