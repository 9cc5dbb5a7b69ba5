"""Ingest stage: read files, folders, feeds and URLs into RawArticle values (problems as Rejected)."""

from sitrep.ingest.sources import read_sources

__all__ = ["read_sources"]
