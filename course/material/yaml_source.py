"""Parse one course file with positions, under the authoring format's YAML rules.

libyaml (through PyYAML's C loader) builds the node tree and records where every node starts;
this module turns nodes into plain Python values itself, so that:

- only `true` and `false` are booleans (`No` stays the text "No"), and dates stay text;
- a key written twice in one mapping is an error, not a silent overwrite;
- no tag can build an object: `!!python/...` and every other non-core tag is refused, never run;
- aliases cannot blow up (a "billion laughs" file is stopped after a bounded amount of work).

Where each value was written (the line and column the parser recorded) is kept beside the values,
by its path, so that any later problem can be reported there; the node tree itself is not kept.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing: same rules, slower parser
    _BaseLoader = yaml.SafeLoader

from course.material.problems import Problem
from course.printable import BIDI_CONTROLS

MAX_FILE_BYTES = 1024 * 1024
#: How many values aliases may add beyond the file's own nodes before we stop building.
MAX_ALIAS_EXPANSION = 100_000

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
# What an untagged plain scalar is marked with; `plain_scalar` decides what it is.
_PLAIN = "tag:ivstem,2026:plain"
# Explicit core tags that ask for a plain value, which we resolve by our own rules too.
_CORE_SCALARS = {_TAG + t for t in ("null", "bool", "int", "float")}


class Loader(_BaseLoader):
    """libyaml's safe loader, with tag resolution left to the format's rules.

    PyYAML's resolver applies YAML 1.1 (yes/no booleans, dates, sexagesimal numbers) with a
    regex per scalar; we only need to know whether a scalar was plain or quoted.
    """

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                  ".nan": float("nan")}
# C0 and C1 control characters other than tab, newline and carriage return: they could drive
# the learner's terminal (move the cursor, change colours, set the window title).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What no course text may hold: the control characters and the bidirectional embeddings,
# overrides and isolates, which show the text around them in another order than it is stored
# (the "Trojan Source" trick: an option that reads as one answer and means another).
FORBIDDEN_CHARS = re.compile(f"[{CONTROL_CHARS.pattern[1:-1]}{BIDI_CONTROLS.pattern[1:-1]}]")

_CONTROL_HINT = ("remove it: only newlines and tabs may appear; control characters could drive"
                 " the learner's terminal")
_BIDI_HINT = ("remove it: it shows the text around it in another order than it is written, so"
              " learners could read something other than what the course says; right-to-left"
              " text shows correctly without it")


class Position(NamedTuple):
    """Where a value is written: the 1-based line and column where it starts, those of its key
    (for a value in a mapping; else its own), and the offsets in the file's text where it
    starts and ends (to point at a place inside a text)."""

    line: int
    column: int
    key_line: int
    key_column: int
    start: int
    end: int


#: How many numbers a Position is, in `Source.positions`.
_ROW = len(Position._fields)


@dataclass
class Source:
    """One parsed file: its values, where each was written, and the problems found."""

    path: Path
    text: str = ""
    data: Any = None
    #: The path of each value in `data` (() is the whole file) to its row in `positions`.
    rows: dict[Loc, int] = field(default_factory=dict)
    #: Where each value is written: a row of numbers, those of a Position, for each value. One
    #: array holds them all, since a tuple for each would take as much memory as the values.
    positions: array[int] = field(default_factory=lambda: array("I"))
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file parsed into a mapping without problems."""
        return not self.problems and isinstance(self.data, dict)

    def problem(self, node: yaml.Node | None, message: str, hint: str | None = None) -> None:
        """Record a problem at `node` (or at the top of the file), while the file is parsed."""
        line, column = position(node)
        self.problems.append(Problem(self.path, line, column, message, hint))

    def problem_at(self, loc: Loc, message: str, hint: str | None = None, *,
                   key: bool = False) -> None:
        """Record a problem at the value that `loc` leads to (its key with `key=True`)."""
        line, column = self.line_and_column(loc, key=key)
        self.problems.append(Problem(self.path, line, column, message, hint))

    def line_and_column(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where the deepest value along `loc` starts (its key, with `key=True`, if it is the
        value of the last step); 1, 1 when the file holds no values."""
        place, last = self._deepest(loc)
        if place is None:
            return 1, 1
        if key and last:
            return place.key_line, place.key_column
        return place.line, place.column

    def position_at(self, loc: Loc) -> Position | None:
        """Where the deepest value along `loc` is written (None when the file holds none)."""
        return self._deepest(loc)[0]

    def _deepest(self, loc: Loc) -> tuple[Position | None, bool]:
        """The position of the deepest value along `loc`, and whether it is the value of the
        last step. Steps that name no value (union tags, missing fields) are skipped."""
        at: Loc = ()
        row = self.rows.get(at)
        last = True
        for step in loc if row is not None else ():
            last = False
            # A mapping's keys are text (a step may be a number); a list's entries are numbered.
            for candidate in ((*at, str(step)), (*at, step)):
                found = self.rows.get(candidate)
                if found is not None:
                    at, row, last = candidate, found, True
                    break
        if row is None:
            return None, False
        return Position(*self.positions[row * _ROW:(row + 1) * _ROW]), last

    def add_position(self, at: Loc, node: yaml.Node, key: yaml.Node) -> None:
        """Keep where the value at `at` is written: `node`, whose key is `key` (else itself)."""
        start, end, key_start = node.start_mark, node.end_mark, key.start_mark
        self.rows[at] = len(self.rows)
        self.positions.extend((start.line + 1, start.column + 1, key_start.line + 1,
                               key_start.column + 1, start.index, end.index))


def position(node: yaml.Node | None) -> tuple[int, int]:
    """The 1-based line and column where `node` starts (1, 1 for none)."""
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_file(path: Path) -> Source:
    """Read and parse `path`; every problem is recorded in the result, none is raised.

    Only a regular file is read: a named pipe or a device where a course file should be is
    reported for what it is, and never waited on (it is opened without blocking, and checked
    before a byte is read).
    """
    source = Source(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        source.problem(None, "this is a folder, not a YAML file")
        return source
    except OSError as exc:
        source.problem(None, f"cannot read the file: {exc.strerror or exc}",
                       "check that it exists and that you may read it")
        return source
    with os.fdopen(fd, "rb") as stream:
        try:
            status = os.fstat(fd)
            kind = file_kind(status.st_mode)
            if kind is not None:
                source.problem(None, f"this is {kind}, not a YAML file",
                               "a course file must be an ordinary file; replace it with one")
                return source
            if status.st_size > MAX_FILE_BYTES:
                source.problem(None, f"the file is {status.st_size / 1024 / 1024:.1f} MiB; the"
                               " limit is 1 MiB", "split it into several modules")
                return source
            raw = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            source.problem(None, f"cannot read the file: {exc.strerror or exc}",
                           "check that it exists and that you may read it")
            return source
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        source.problem(None, "the file is over 1 MiB; the limit is 1 MiB",
                       "split it into several modules")
        return source
    return parse_bytes(path, raw, source)


def file_kind(mode: int) -> str | None:
    """What a file of this `st_mode` is, in words, when it is not a regular file; else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def parse_bytes(path: Path, raw: bytes, source: Source | None = None) -> Source:
    """Parse the bytes of a file named `path`."""
    source = source or Source(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        source.problems.append(Problem(
            path, line, column, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} here)",
            "save it as UTF-8 in your editor (often under 'Save with encoding')"))
        return source
    return parse_text(path, text, source)


def parse_text(path: Path, text: str, source: Source | None = None) -> Source:
    """Parse YAML `text` read from `path`."""
    source = source or Source(path)
    source.text = text
    if not text.strip():
        source.problem(None, "the file is empty", "a course file holds a YAML mapping of fields")
        return source
    bad = list(_forbidden_characters(text))
    if bad:
        for line, column, char in bad:
            source.problems.append(Problem(
                path, line, column, f"{_kind_of(char)} {_name(char)} in the text",
                _hint_for(char)))
        return source
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        opened = _unclosed_quote(text, line)
        if opened is not None:
            # The parser gives up wherever the stray quote's text happens to end, often many
            # lines on: point at the quote itself.
            at = f"{opened[0]}:{opened[1]}"
            source.problems.append(Problem(
                path, *opened, f"a quoted text opened at {at} is not closed",
                "close the quote on the same line, or write text of several lines as a"
                " `|` block"))
            return source
        message = str(exc.problem or exc.context or "the YAML does not parse")
        source.problems.append(Problem(path, line, column, f"YAML syntax: {message}",
                                       _parse_hint(message, text, line)))
        return source
    except yaml.YAMLError as exc:
        source.problem(None, f"YAML syntax: {exc}")
        return source
    if root is None:
        source.problem(None, "the file holds no YAML values (only comments?)")
        return source
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        source.problem(root, f"the top of the file is {kind}; it must be a mapping of fields",
                       "start with `key: value` lines, e.g. `id: my-module`")
        return source
    source.data = _Builder(source).build(root, ())
    return source


def _forbidden_characters(text: str) -> Iterator[tuple[int, int, str]]:
    for match in FORBIDDEN_CHARS.finditer(text):
        line, column = _line_column(text, match.start())
        yield line, column, match.group()


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _kind_of(char: str) -> str:
    return ("bidirectional control character" if BIDI_CONTROLS.match(char)
            else "control character")


def _name(char: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`; `U+001B` for a character without a name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def _hint_for(char: str) -> str:
    return _BIDI_HINT if BIDI_CONTROLS.match(char) else _CONTROL_HINT


# One escape of a double-quoted YAML text: `\x1b`, `\u202e`, `\U0000202E`, `\e`, `\\`...
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_NAMED_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "e": "\x1b",
                  "N": "\x85"}


def _offset(text: str, mark: yaml.Mark) -> int:
    """Where a parser's mark (line and column, in characters) is in `text`."""
    at = 0
    for _ in range(mark.line):
        at = text.find("\n", at) + 1
        if at == 0:  # lines broken otherwise (a lone CR): no exact spot
            return len(text)
    return at + mark.column


def _escaped_char(escape: str) -> str:
    """The character a YAML escape stands for (only the ones that matter here are exact)."""
    code = escape[1:]
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _NAMED_ESCAPES.get(code, code)


#: A value that starts with a quote: after `key: `, after `- `, or both.
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#:][^:#]*:\s+)?(["'])""")


def _unclosed_quote(text: str, before: int) -> tuple[int, int] | None:
    """Line and column of the first quoted value, on a line up to `before`, whose quote is
    not closed on the same line; None when every quote closes where it opens.

    Only asked after a parse error: a quoted text may run over several lines in YAML, but in
    a course file that is almost always a quote left open by mistake.
    """
    for number, line in enumerate(text.split("\n")[:before], start=1):
        found = _QUOTED_VALUE.match(line)
        if found is None:
            continue
        quote, rest = found.group(1), line[found.end():]
        closed = (re.search(r'(?<!\\)"', rest) if quote == '"'
                  else re.search(r"'(?!')", rest.replace("''", "")))
        if closed is None:
            return number, found.start(1) + 1
    return None


def _parse_hint(message: str, text: str, line: int) -> str | None:
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "'\\t'" in message:
        return "indent with spaces: YAML does not allow tabs for indentation"
    if "mapping values are not allowed" in message:
        return "put text that contains ': ' in quotes, or use a `|` block"
    if "found character" in message and "cannot start any token" in message:
        return "quote text that starts with a special character such as ` @ % or *"
    if "could not find expected ':'" in message:
        return "each field is written `name: value`; a line may be missing its colon"
    if "found undefined alias" in message:
        return "an `*alias` must follow an `&anchor` of the same name"
    if "expected a single document" in message:
        return "remove the `---` that starts a second document"
    if "while scanning a quoted scalar" in message or "found unexpected end of stream" in message:
        return "a quote may be missing its closing quote"
    return None


class _Builder:
    """Turns a node tree into Python values by the format's rules, recording problems."""

    def __init__(self, source: Source):
        self.source = source
        self.seen: set[int] = set()
        self.built = 0
        self.stopped = False
        self.first_alias_site: yaml.Node | None = None  # the collection that first reuses a node
        self.open: set[int] = set()  # collections being built: an alias to one is a loop

    def build(self, node: yaml.Node, at: Loc | None, key: yaml.Node | None = None) -> Any:
        """The value of `node`, whose path in the file's values is `at` (None for a value that
        is checked but not kept, such as the second value of a key written twice), and whose
        key is `key` in a mapping."""
        if at is not None:  # even where building stops: the values hold None there
            self.source.add_position(at, node, key or node)
        if self.stopped:
            return None
        self.built += 1
        if id(node) in self.seen:
            if self.built - len(self.seen) > MAX_ALIAS_EXPANSION:
                self.stopped = True
                self.source.problem(
                    self.first_alias_site or node,
                    "aliases here expand to more than 100,000 values; the file is refused",
                    "write the values out instead of nesting `*aliases`")
                return None
        else:
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if id(node) in self.open:
            self.stopped = True
            self.source.problem(node, "an alias here refers to the list or mapping that holds it,"
                                " which would go on for ever", "remove the `*alias`")
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    return self._refuse_tag(node)
                return [self.build(self._note_alias(node, item), _step(at, index))
                        for index, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                if node.tag != _MAP:
                    return self._refuse_tag(node)
                return self._mapping(node, at)
        finally:
            self.open.discard(id(node))
        return None  # pragma: no cover - libyaml makes no other node kinds

    def _note_alias(self, site: yaml.Node, child: yaml.Node) -> yaml.Node:
        """Remember where a node is first reused, to report a runaway expansion there."""
        if self.first_alias_site is None and id(child) in self.seen:
            self.first_alias_site = site
        return child

    def _mapping(self, node: yaml.MappingNode, at: Loc | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.source.problem(key_node, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag not in (_PLAIN, _STR):
                self._refuse_tag(key_node)
                continue
            self._check_escapes(key_node)
            key = key_node.value
            if key in first:
                line, _ = position(first[key])
                self.source.problem(key_node,
                                    f"the key `{key}` is written twice in this mapping",
                                    f"it was first written on line {line}; keep one")
                self.build(value_node, None)
                continue
            first[key] = key_node
            result[key] = self.build(self._note_alias(value_node, value_node), _step(at, key),
                                     key_node)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        if node.tag == _PLAIN:
            return plain_scalar(value)
        if node.tag == _STR:  # quoted, a block, or written `!!str`
            self._check_escapes(node)
            return value
        if node.tag in _CORE_SCALARS:
            return plain_scalar(value)
        return self._refuse_tag(node)

    def _check_escapes(self, node: yaml.ScalarNode) -> None:
        """Refuse a double-quoted text whose escapes make a control or bidirectional control
        character (one written as it is was refused before parsing), pointing at the escape."""
        if node.style != '"':
            return
        found = FORBIDDEN_CHARS.search(node.value)
        if found is None:
            return
        char = found.group()
        line, column = self._escape_position(node, char)
        message = f"an escape in this text makes a {_kind_of(char)} {_name(char)}"
        if BIDI_CONTROLS.match(char):
            hint = _BIDI_HINT.replace("remove it", "remove the escape", 1)
        else:
            hint = ("remove the \\x, \\u or \\e escape: control characters could drive the"
                    " learner's terminal")
        self.source.problems.append(Problem(self.source.path, line, column, message, hint))

    def _escape_position(self, node: yaml.ScalarNode, char: str) -> tuple[int, int]:
        """Where the escape that makes `char` is written in `node`; the node's start if it
        cannot be found."""
        text = self.source.text
        start, end = _offset(text, node.start_mark), _offset(text, node.end_mark)
        for match in _ESCAPE.finditer(text, start, end):
            if _escaped_char(match.group()) == char:
                return _line_column(text, match.start())
        return position(node)

    def _refuse_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.source.problem(
            node, f"the YAML tag `{tag}` is not allowed",
            "a course file holds only text, numbers, true/false, lists and mappings; remove the"
            " tag (nothing tagged is ever run)")
        return None


def _step(at: Loc | None, step: str | int) -> Loc | None:
    """The path one step below `at` (None below a value that is not kept)."""
    return None if at is None else (*at, step)


def plain_scalar(value: str) -> Any:
    """YAML 1.2 core schema: null, true/false, integers and floats; everything else is text."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if value in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value]
    return value
