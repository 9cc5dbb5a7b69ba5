"""sitrep: news articles in, a merged, source-attributed record of security events out."""

__version__ = "0.1.0"
