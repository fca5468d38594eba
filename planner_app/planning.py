"""Planning arithmetic the pages share: the grid's horizon, week keys, hours in words."""

from __future__ import annotations

import datetime as dt

GRID_WEEKS = 12
MAX_WEEK_HOURS = 168


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_keys(start: dt.date, count: int = GRID_WEEKS) -> list[str]:
    """ISO dates of `count` Mondays from the week of `start`: the API's weeklyHours keys."""
    first = monday_of(start)
    return [(first + dt.timedelta(weeks=i)).isoformat() for i in range(count)]


def _dated(iso: str | None, style: str) -> str:
    """An ISO date (or datetime) in words, in strftime `style` after the day's number; anything
    unparsable is shown as it came."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:{style}}"


def short_date(iso: str | None) -> str:
    """'2026-11-23' → '23 Nov'."""
    return _dated(iso, "%b")


def long_date(iso: str | None) -> str:
    """'2026-11-23' → '23 Nov 2026'."""
    return _dated(iso, "%b %Y")


def date_range(start: str | None, end: str | None) -> str:
    """'2026-12-29', '2027-01-01' → '29 Dec 2026 – 1 Jan 2027'; '' when neither is set."""
    if not start and not end:
        return ""
    return f"{long_date(start) or '…'} – {long_date(end) or '…'}"


def hours(value: float | None) -> str:
    """16.0 → '16', 7.5 → '7.5', None → ''."""
    if value is None:
        return ""
    return f"{value:g}"


def parse_hours(text: str) -> float | None:
    """What a grid cell means: blank is no hours; otherwise 0–168. Raises ValueError for nonsense."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not 0 <= value <= MAX_WEEK_HOURS:
        raise ValueError("Hours must be between 0 and 168.")
    return value


def step_hours(value: float | None, delta: float) -> float:
    """A stepper's next value: `value` (blank is 0) moved by `delta`, clamped to 0–168."""
    return min(MAX_WEEK_HOURS, max(0.0, (value or 0) + delta))


def ago(iso: str | None, now: dt.datetime | None = None) -> str:
    """'2026-11-24T10:15:00Z' → 'just now', '5 minutes ago', '3 hours ago', '2 days ago', then a date."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = ((now or dt.datetime.now(dt.UTC)) - moment).total_seconds()
    for limit, size, unit in ((3600, 60, "minute"), (86400, 3600, "hour"), (86400 * 30, 86400, "day")):
        if seconds < limit:
            count = int(seconds // size)
            if count < 1:
                return "just now"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return long_date(iso)
