"""Text from files, folders and learners made safe to print on a terminal.

A key, a value, a file name or a typed answer may hold control characters: an escape that
writes to the clipboard (OSC 52), makes a hidden link (OSC 8), clears the screen (CSI 2J), or a
bidirectional override that shows text in another order than it is read. Printed as they are,
the terminal obeys them. Every message that quotes such text shows them as visible escapes
instead (`\\u001b`, `\\u202e`), so the reader sees what is really there and can find it.

The escape is JSON's and YAML's own, so JSON printed through `printable` stays valid and means
the same: inside a JSON string `\\u009b` is the very character it replaces.
"""

from __future__ import annotations

import re

#: C0 controls but newline and tab, DEL, C1 controls, and the bidirectional embeddings,
#: overrides and isolates (U+202A-U+202E, U+2066-U+2069).
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same, with newline and tab: for text that must stay on one line (a name, a path).
UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: The bidirectional control characters a course may not contain ("Trojan Source").
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def escape(char: str) -> str:
    """One character as a visible escape: `\\u001b`, `\\u202e`."""
    return f"\\u{ord(char):04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character shown as an escape (newlines and tabs kept,
    unless `one_line`). Text without any is returned as it is."""
    pattern = UNSAFE_IN_LINE if one_line else UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda match: escape(match.group()), text)
