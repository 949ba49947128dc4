"""One typed, validated settings object, built from the environment and `.env`."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import ConfigError
from bot.extract.worklist import DEFAULT_MAX_CLAIMS
from bot.work import DEFAULT_WORKERS

README_SLACK_APP = "README.md, section 'Create the Slack app'"

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# 20:00-08:00 in each checker's own Slack time zone, unless FACTCHECK_QUIET_HOURS says otherwise.
DEFAULT_QUIET_HOURS: Final = (20, 8)
QUIET_HOURS_OFF: Final = ("", "none", "off")
_QUIET_HOURS = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")
_SLACK_ID = re.compile(r"^[UWCGD][A-Z0-9]{2,}$")
WEEKLY_REPORT_OFF: Final = ("off", "none")
_WEEKDAY_NAMES: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WEEKLY = re.compile(r"^\s*([A-Za-z]{3,9})\s+(\d{1,2}):(\d{2})\s*$")


def parse_duration(value: str) -> timedelta:
    """Read `30s`, `15m`, `4h` or `1d`; the one format operators type in the contract."""
    match = _DURATION.match(value)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"{value!r} is not a duration; write a positive number and a unit: 30s, 15m, 4h or 1d"
        )
    return timedelta(**{_DURATION_UNITS[match.group(2)]: int(match.group(1))})


class WeeklySchedule:
    """When the editors' weekly report goes out: a weekday (0 = Monday) and a local time."""

    def __init__(self, weekday: int, at: time) -> None:
        self.weekday, self.at = weekday, at

    def __repr__(self) -> str:
        return f"WeeklySchedule({self.describe()})"

    def describe(self) -> str:
        """`Mon 09:00`, as the variable is written."""
        return f"{_WEEKDAY_NAMES[self.weekday][:3].title()} {self.at:%H:%M}"


def parse_weekly_schedule(value: str) -> WeeklySchedule | None:
    """Read `Mon 09:00` (any case; `monday` too), or `off`; ValueError for anything else."""
    if value.strip().lower() in WEEKLY_REPORT_OFF:
        return None
    match = _WEEKLY.match(value)
    if match and int(match.group(2)) < 24 and int(match.group(3)) < 60:
        day = match.group(1).lower()
        for number, name in enumerate(_WEEKDAY_NAMES):
            if name.startswith(day):
                return WeeklySchedule(number, time(int(match.group(2)), int(match.group(3))))
    raise ValueError(f"{value!r} is not a weekday and time; write e.g. Mon 09:00, or off")


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,\s]+", value) if part.strip()]
    return value


class QuietHours:
    """Local hours `start-end` (end exclusive) in which no reminder DM is sent; may wrap midnight."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end

    def contains(self, hour: int) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    def __repr__(self) -> str:
        return f"QuietHours({self.start:02d}-{self.end:02d})"


class Settings(BaseSettings):
    """Every variable of the contract's table. Secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///factcheck.db", validation_alias="DATABASE_URL")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")

    channels: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="FACTCHECK_CHANNELS"
    )
    min_article_chars: int = Field(
        default=400, ge=1, validation_alias="FACTCHECK_MIN_ARTICLE_CHARS"
    )
    reminder_interval: timedelta = Field(
        default=timedelta(hours=4), validation_alias="FACTCHECK_REMINDER_INTERVAL"
    )
    escalate_after: int = Field(default=3, ge=1, validation_alias="FACTCHECK_ESCALATE_AFTER")
    sweep_seconds: float = Field(default=60, gt=0, validation_alias="FACTCHECK_SWEEP_SECONDS")
    digest_time: time = Field(default=time(9, 0), validation_alias="FACTCHECK_DIGEST_TIME")
    timezone: str = Field(default="UTC", validation_alias="FACTCHECK_TIMEZONE")
    digest_channel: str | None = Field(default=None, validation_alias="FACTCHECK_DIGEST_CHANNEL")
    # Monday 09:00 in FACTCHECK_TIMEZONE unless FACTCHECK_WEEKLY_REPORT says otherwise; `off`: none.
    weekly_report: Annotated[WeeklySchedule | None, NoDecode] = Field(
        default_factory=lambda: WeeklySchedule(0, time(9, 0)),
        validation_alias="FACTCHECK_WEEKLY_REPORT",
    )
    editors: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="FACTCHECK_EDITORS"
    )
    open_desk: bool = Field(default=True, validation_alias="FACTCHECK_OPEN_DESK")
    # Unset: a checker's evening and night are quiet. `none` (or empty, as the contract
    # has it) turns quiet hours off.
    quiet_hours: Annotated[QuietHours | None, NoDecode] = Field(
        default_factory=lambda: QuietHours(*DEFAULT_QUIET_HOURS),
        validation_alias="FACTCHECK_QUIET_HOURS",
    )
    scheduler: bool = Field(default=True, validation_alias="FACTCHECK_SCHEDULER")
    outbox_seconds: float = Field(default=5, gt=0, validation_alias="FACTCHECK_OUTBOX_SECONDS")
    outbox_retry_seconds: float = Field(
        default=2, gt=0, validation_alias="FACTCHECK_OUTBOX_RETRY_SECONDS"
    )
    outbox_lease_seconds: float = Field(
        default=60, gt=0, validation_alias="FACTCHECK_OUTBOX_LEASE_SECONDS"
    )
    outbox_retention_days: float = Field(
        default=14, gt=0, validation_alias="FACTCHECK_OUTBOX_RETENTION_DAYS"
    )
    intake_lease_seconds: float = Field(
        default=30, gt=0, validation_alias="FACTCHECK_INTAKE_LEASE_SECONDS"
    )
    catchup_hours: float = Field(default=24, ge=0, validation_alias="FACTCHECK_CATCHUP_HOURS")
    extractor: Literal["auto", "rules", "semantic", "llm"] = Field(
        default="auto", validation_alias="FACTCHECK_EXTRACTOR"
    )
    semantic_model_dir: Path | None = Field(
        default=None,
        validation_alias="FACTCHECK_SEMANTIC_MODEL_DIR",
        description="A folder with the model files to use instead of the model wheel's.",
    )
    llm_url: str | None = Field(default=None, validation_alias="FACTCHECK_LLM_URL")
    llm_model: str | None = Field(default=None, validation_alias="FACTCHECK_LLM_MODEL")
    llm_api_key: SecretStr | None = Field(default=None, validation_alias="FACTCHECK_LLM_API_KEY")
    claim_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, validation_alias="FACTCHECK_CLAIM_THRESHOLD"
    )
    max_claims: int = Field(
        default=DEFAULT_MAX_CLAIMS, ge=1, le=100, validation_alias="FACTCHECK_MAX_CLAIMS"
    )
    org_name: str | None = Field(default=None, validation_alias="FACTCHECK_ORG_NAME")
    org_url: str | None = Field(default=None, validation_alias="FACTCHECK_ORG_URL")
    log_level: str = Field(default="INFO", validation_alias="FACTCHECK_LOG_LEVEL")
    db_statement_timeout: float = Field(
        default=30.0, gt=0, le=3600, validation_alias="FACTCHECK_DB_STATEMENT_TIMEOUT"
    )
    db_connect_timeout: float = Field(
        default=5.0, ge=2, le=300, validation_alias="FACTCHECK_DB_CONNECT_TIMEOUT"
    )
    db_retry_seconds: float = Field(
        default=5.0, gt=0, le=300, validation_alias="FACTCHECK_DB_RETRY_SECONDS"
    )
    workers: int = Field(default=DEFAULT_WORKERS, ge=1, le=64, validation_alias="FACTCHECK_WORKERS")

    model_config["arbitrary_types_allowed"] = True

    @field_validator("channels", "editors", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        ids = _split_ids(value)
        if isinstance(ids, list):
            for item in ids:
                if not isinstance(item, str) or not _SLACK_ID.match(item):
                    raise ValueError(f"{item!r} is not a Slack ID (like C0123ABCD or U0123ABCD)")
        return ids

    @field_validator("reminder_interval", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("digest_time", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.match(r"^\s*(\d{1,2}):(\d{2})\s*$", value)
            if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
                raise ValueError(f"{value!r} is not a time of day; write HH:MM, e.g. 09:00")
            return time(int(match.group(1)), int(match.group(2)))
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone, e.g. Europe/London") from None
        return value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: object) -> object:
        if value is None or isinstance(value, QuietHours):
            return value
        if isinstance(value, str):
            if value.strip().lower() in QUIET_HOURS_OFF:
                return None
            match = _QUIET_HOURS.match(value)
            if match and int(match.group(1)) < 24 and int(match.group(2)) < 24:
                return QuietHours(int(match.group(1)), int(match.group(2)))
        raise ValueError(f"{value!r} is not a range of hours; write START-END, e.g. 20-08, or none")

    @field_validator("weekly_report", mode="before")
    @classmethod
    def _weekly(cls, value: object) -> object:
        if value is None or isinstance(value, WeeklySchedule):
            return value
        if isinstance(value, str):
            return parse_weekly_schedule(value)
        raise ValueError(f"{value!r} is not a weekday and time; write e.g. Mon 09:00, or off")

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_slack(self, *, socket_mode: bool) -> None:
        """Refuse to start without the credentials this mode needs."""
        if self.slack_bot_token is None:
            raise ConfigError(
                f"SLACK_BOT_TOKEN is not set: put the bot's xoxb- token in the environment or .env "
                f"(see {README_SLACK_APP})"
            )
        if socket_mode and self.slack_app_token is None:
            raise ConfigError(
                f"SLACK_APP_TOKEN is not set: Socket Mode needs an xapp- app-level token "
                f"(see {README_SLACK_APP})"
            )
        if not socket_mode and self.slack_signing_secret is None:
            raise ConfigError(
                f"SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it "
                f"(see {README_SLACK_APP})"
            )


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = first.get("loc", ())
    field = str(loc[0]) if loc else "?"
    info = Settings.model_fields.get(field)
    name = field.upper()
    if info is not None and isinstance(info.validation_alias, str):
        name = info.validation_alias
    elif info is not None and isinstance(info.validation_alias, AliasChoices):
        name = str(info.validation_alias.choices[0])
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{name} is not valid: {message} (see README.md, section 'Configuration')"


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning pydantic's report into one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
