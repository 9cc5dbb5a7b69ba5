"""Ingest stage: read files, folders, feeds and URLs into RawArticle values (problems as Rejected)."""

from sitrep.ingest.sources import count_records, read_sources

__all__ = ["count_records", "read_sources"]
