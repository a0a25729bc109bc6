"""Study days: the day an answer belongs to, for review dates and the dashboard's streaks.

A study day starts at 04:00 local time (as in Anki), so that studying past midnight still
counts as the same evening.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

#: A study day starts at this local hour: an answer at 01:00 belongs to the evening before.
DAY_STARTS_AT = 4


def study_day(moment: datetime) -> date:
    """The learner's study day of a moment: its local date, with the day starting at 04:00."""
    local = moment.astimezone()
    return (local - timedelta(hours=DAY_STARTS_AT)).date()


def day_start(day: date) -> datetime:
    """When a study day begins (04:00 local time), in UTC."""
    return datetime.combine(day, time(DAY_STARTS_AT)).astimezone().astimezone(UTC)
