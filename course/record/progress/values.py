"""The values the store keeps: checked before any write, and put in the one form it stores.

Every write checks what it is given first (ids, JSON text, numbers, a position), so a bad value
is refused with a message that names it, and nothing is written. Times are kept as ISO 8601 text
in UTC with microseconds: one fixed width, so text order is time order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

MAX_ANSWER_JSON = 64 * 1024
MAX_STATE_JSON = 1024 * 1024
MAX_POSITION_JSON = 4 * 1024
MAX_SECONDS = 24 * 60 * 60


def format_stamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds: one fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str) -> datetime:
    """A time as the store keeps it, read back."""
    return datetime.fromisoformat(text)


def require_ids(**ids: object) -> None:
    """Refuse any id that is not a non-empty string, naming it."""
    for name, value in ids.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string, not {value!r}")


def require_optional_ids(**ids: object) -> None:
    """Refuse any id that is neither None nor a non-empty string, naming it."""
    require_ids(**{name: value for name, value in ids.items() if value is not None})


def require_json(text: object, name: str, limit: int) -> None:
    """Refuse `text` unless it is valid JSON of at most `limit` characters."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be JSON text, not {type(text).__name__}")
    if len(text) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    try:
        json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from exc


def require_number(value: object, name: str) -> None:
    """Refuse `value` unless it is a finite number of at least 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of at least 0, not {value!r}")


def require_share(value: object) -> None:
    """Refuse a share of credit outside 0 to 1."""
    require_number(value, "share")
    assert isinstance(value, int | float)
    if value > 1:
        raise ValueError(f"share is the share of credit, from 0 to 1, not {value!r}")


def require_count(value: object, name: str) -> None:
    """Refuse `value` unless it is a whole number of at least 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0, not {value!r}")


def position_json(position: Mapping[str, Any]) -> str:
    """A learner's position as the JSON the store keeps; refused unless small, plain data."""
    if not isinstance(position, Mapping) or not all(isinstance(k, str) for k in position):
        raise TypeError("position must be a dict with string keys")
    try:
        text = json.dumps(dict(position), ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"position must be plain JSON data: {exc}") from exc
    if len(text) > MAX_POSITION_JSON:
        raise ValueError(f"position is longer than {MAX_POSITION_JSON} characters as JSON")
    return text


def new_uid() -> str:
    """A fresh id for a record that an import must recognise when it meets it again."""
    import uuid  # imported with the first answer: start-up does not need it

    return str(uuid.uuid4())
