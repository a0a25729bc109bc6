"""Small pieces of English that every interface builds sentences with."""

from __future__ import annotations

#: Marks that already end a sentence, and the closing marks that may follow them.
_ENDINGS = (".", "?", "!", "…")
_CLOSERS = "”’\"')]"


def sentence(text: str) -> str:
    """`text` ended with a full stop, unless it already ends a sentence: a title such as
    "What are MSCs?" must not become "What are MSCs?."."""
    text = text.rstrip()
    if text.rstrip(_CLOSERS).endswith(_ENDINGS):
        return text
    return text + "."
