"""Where each value of a parsed file is written: kept by the value's path, not as a node tree."""

from __future__ import annotations

import gc
from pathlib import Path

import yaml

from course.material.yaml_source import Source, parse_text

MODULE = """\
id: basics
lessons:
  - id: first
    title: First
quiz:
  questions:
    - id: q1
      type: single
      optoins: [a, b]
"""


def parsed(text: str) -> Source:
    source = parse_text(Path("m.yaml"), text)
    assert not source.problems, source.problems
    return source


def test_a_value_and_its_key_are_found_by_the_values_path() -> None:
    source = parsed(MODULE)
    assert source.line_and_column(("lessons", 0, "title")) == (4, 12)
    assert source.line_and_column(("lessons", 0, "title"), key=True) == (4, 5)
    assert source.line_and_column(("lessons", 0)) == (3, 5)
    assert source.line_and_column(()) == (1, 1)


def test_a_step_that_names_no_value_is_passed_over_as_pydantic_writes_union_tags() -> None:
    source = parsed(MODULE)
    loc = ("quiz", "questions", 0, "single", "optoins")
    assert source.line_and_column(loc, key=True) == (9, 7)
    assert source.line_and_column(loc) == (9, 16)


def test_a_missing_value_is_located_at_the_deepest_value_on_its_way() -> None:
    source = parsed(MODULE)
    assert source.line_and_column(("lessons", 0, "steps")) == (3, 5)
    assert source.line_and_column(("lessons", 0, "steps"), key=True) == (3, 5)
    assert source.line_and_column(("lessons", 5, "id")) == (3, 3)


def test_the_second_value_of_a_key_written_twice_is_not_where_its_path_leads() -> None:
    source = parse_text(Path("m.yaml"), "quiz:\n  draw: 2\nquiz:\n  questions: []\n")
    assert source.data == {"quiz": {"draw": 2}}
    assert source.line_and_column(("quiz", "questions")) == (2, 3)


def test_a_value_given_by_an_alias_is_where_its_anchor_is() -> None:
    source = parsed("a: &tags [x, y]\nb:\n  c: *tags\n")
    assert source.data == {"a": ["x", "y"], "b": {"c": ["x", "y"]}}
    assert source.line_and_column(("b", "c", 1)) == (1, 14)
    assert source.line_and_column(("b", "c"), key=True) == (3, 3)


def test_a_text_keeps_where_it_starts_and_ends_in_the_file() -> None:
    source = parsed("a: 1\ntext: |\n  See [x](glossary:y).\nb: 2\n")
    place = source.position_at(("text",))
    assert place is not None
    assert source.text[place.start:place.end].strip() == "|\n  See [x](glossary:y)."


def test_a_parsed_file_keeps_no_node_of_its_parse_tree() -> None:
    source = parsed(MODULE)
    seen: set[int] = set()
    waiting: list[object] = [source]
    while waiting:
        value = waiting.pop()
        if id(value) in seen or isinstance(value, type):
            continue
        seen.add(id(value))
        assert not isinstance(value, yaml.Node | yaml.Mark), value
        waiting.extend(gc.get_referents(value))
