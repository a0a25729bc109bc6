"""JSON from files a learner or a stranger hands in, read within bounds of size and depth.

Python's `json` parser recurses once per level of nesting, so `[[[[…]]]]` a hundred thousand
levels deep ends in RecursionError, and a file of any size is read whole into memory. Every
JSON that ivstem reads from outside (progress exports, the answers and quiz states inside them,
completion records, public keys) goes through here instead: the bytes are read up to a limit,
the parser's RecursionError becomes a JsonLimitError, and what was parsed is measured (without
recursion) before anything else walks it, so a hostile file gets one clear message and never a
traceback, here or in the code that reads the result.

Nothing ivstem writes comes near the bounds: an export is four levels deep, a saved quiz
about seven.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

#: The deepest nesting of arrays and objects read anywhere.
MAX_DEPTH = 32


class JsonLimitError(ValueError):
    """JSON nested deeper, or bytes longer, than a reader accepts; `str()` says which."""


def depth(value: Any, stop_after: int | None = None) -> int:
    """How deeply lists and dicts nest in `value` (0 for a plain value), found without recursion.

    Level by level; with `stop_after`, the count stops one level past it (enough to refuse).
    """
    level = 0
    containers = [value] if isinstance(value, dict | list) else []
    while containers and (stop_after is None or level <= stop_after):
        level += 1
        containers = [child for item in containers
                      for child in (item.values() if isinstance(item, dict) else item)
                      if isinstance(child, dict | list)]
    return level


def loads(
    text: str | bytes,
    *,
    max_depth: int = MAX_DEPTH,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_constant: Callable[[str], Any] | None = None,
) -> Any:
    """`json.loads`, refusing with JsonLimitError anything nested deeper than `max_depth`.

    Invalid JSON raises `json.JSONDecodeError` (a ValueError), as `json.loads` does.
    """
    message = f"it nests arrays or objects more than {max_depth} levels deep"
    try:
        value = json.loads(text, object_pairs_hook=object_pairs_hook,
                           parse_constant=parse_constant)
    except RecursionError:
        # The parser gives up far deeper than any limit here (near Python's recursion limit),
        # having used no more memory than that many levels.
        raise JsonLimitError(message) from None
    if depth(value, stop_after=max_depth) > max_depth:
        raise JsonLimitError(message)
    return value


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` bytes from `stream`; JsonLimitError, after reading `limit + 1`, if more.

    Memory stays within the limit however much the stream holds (standard input has no size
    to check beforehand, and a file can grow between a size check and the read).
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise JsonLimitError(f"it is larger than {describe_size(limit)}")
    return data


def describe_size(size: int) -> str:
    """`16 MB`, `1 MB`, `512 KB`: a limit as a person reads it (binary units)."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bytes"
