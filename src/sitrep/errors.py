"""The SitrepError tree: each class says what the user must do; `hint` may add how."""

from __future__ import annotations


class SitrepError(Exception):
    """Root of every error sitrep raises on purpose."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class ConfigError(SitrepError):
    """A setting, flag or URL is invalid; fix the value named in the message."""


class SourceUnavailable(SitrepError):
    """A file or URL could not be read at all."""


class UnsafeURL(SourceUnavailable):
    """A URL points at a private or loopback address and --allow-private was not given."""


class GazetteerUnavailable(SitrepError):
    """The place table could not be loaded or imported."""


class SchemaOutOfDate(SitrepError):
    """The database schema is older than this sitrep; run `sitrep db migrate`."""


class StoreError(SitrepError):
    """The database refused a read or write."""


class ModelUnavailable(SitrepError):
    """The spaCy model is not installed; run `make demo` or `pip install -r requirements/model.txt`."""
