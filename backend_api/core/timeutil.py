"""UTC helpers: the API speaks UTC with a `Z`; SQLite hands back naive datetimes, so normalise."""

from datetime import UTC, date, datetime, timedelta
from typing import overload


def now() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return value.isoformat().replace("+00:00", "Z") if value else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
