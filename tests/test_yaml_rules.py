"""The format's YAML rules, and files that are hostile or simply not YAML at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.yaml_source import MAX_FILE_BYTES, parse_text, read_file

VALID = Path(__file__).parent / "data" / "courses" / "valid"


def parse(text: str) -> tuple[object, list[str]]:
    source = parse_text(Path("t.yaml"), text)
    return source.data, [p.format() for p in source.problems]


@pytest.mark.parametrize("word", ["No", "no", "yes", "Yes", "on", "off", "y", "n", "NO"])
def test_yes_and_no_words_stay_text(word: str) -> None:
    data, problems = parse(f"a: {word}\n")
    assert data == {"a": word}
    assert problems == []


@pytest.mark.parametrize(("word", "value"), [("true", True), ("false", False), ("True", True)])
def test_only_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert parse(f"a: {word}\n")[0] == {"a": value}


@pytest.mark.parametrize("date", ["2026-11", "2026-11-01", "2026-11-01 10:00:00"])
def test_dates_stay_text(date: str) -> None:
    assert parse(f"reviewed: {date}\n")[0] == {"reviewed": date}


def test_numbers_are_numbers_and_quoted_numbers_are_text() -> None:
    data, _ = parse('a: 2024\nb: 1.5\nc: "2024"\nd: 1e6\ne: !!str 7\n')
    assert data == {"a": 2024, "b": 1.5, "c": "2024", "d": 1e6, "e": "7"}


def test_a_key_written_twice_is_an_error_at_the_second() -> None:
    _, problems = parse("id: a\ntitle: One\nsummary: s\ntitle: Two\n")
    assert problems == ["t.yaml:4:1: error: the key `title` is written twice in this mapping\n"
                        "    hint: it was first written on line 2; keep one"]


def test_keys_are_their_written_text_so_true_false_feedback_works() -> None:
    data, _ = parse("feedback:\n  true: Right.\n  false: Wrong.\n")
    assert data == {"feedback": {"true": "Right.", "false": "Wrong."}}


def test_python_object_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    canary = tmp_path / "pwned"
    text = f'a: !!python/object/apply:os.system ["touch {canary}"]\n'
    _, problems = parse(text)
    assert len(problems) == 1 and "is not allowed" in problems[0]
    assert problems[0].startswith("t.yaml:1:4:")
    assert not canary.exists()


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a, b}", "!custom x", "!!omap [a: 1]"])
def test_every_non_core_tag_is_refused(tag: str) -> None:
    _, problems = parse(f"a: {tag}\n")
    assert len(problems) == 1 and "is not allowed" in problems[0]


def laughs(levels: int) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijk"[:levels]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_billion_laughs_is_refused_at_the_first_alias() -> None:
    _, problems = parse(laughs(8))
    assert len(problems) == 1
    # Line 2 is where an alias is first used; the parser starts that list at its anchor.
    assert problems[0].startswith("t.yaml:2:4: error: aliases here expand to more than")


def test_an_alias_to_its_own_container_is_refused_not_followed() -> None:
    _, problems = parse("a: &a [1, *a]\n")
    assert len(problems) == 1
    assert problems[0].startswith("t.yaml:1:4: error: an alias here refers to the list")


def test_a_few_aliases_are_fine() -> None:
    data, problems = parse("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]} and problems == []


def test_nesting_a_thousand_deep_is_a_clear_problem() -> None:
    _, problems = parse("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(problems) == 1 and "nesting" in problems[0]


def test_an_empty_file_is_reported() -> None:
    assert parse("")[1] == ["t.yaml:1:1: error: the file is empty\n"
                            "    hint: a course file holds a YAML mapping of fields"]
    assert "holds no YAML values" in parse("# only a comment\n")[1][0]


def test_a_list_at_the_top_is_reported_at_its_start() -> None:
    problems = parse("\n- a\n- b\n")[1]
    assert problems[0].startswith("t.yaml:2:1: error: the top of the file is a list")


def test_a_file_that_is_not_utf8_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"id: caf\xc3\xa9\ntitle: caf\xe9\n")  # Latin-1 on line 2
    problems = read_file(path).problems
    assert [(p.line, p.column) for p in problems] == [(2, 11)]
    assert "not UTF-8" in problems[0].message


def test_a_file_over_one_mebibyte_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    problems = read_file(path).problems
    assert len(problems) == 1 and "limit is 1 MiB" in problems[0].message


def test_a_byte_order_mark_is_accepted() -> None:
    source = parse_text(Path("t.yaml"), "\ufeffa: 1\n")
    assert source.data == {"a": 1}


def test_windows_line_endings_are_accepted() -> None:
    assert parse("a: 1\r\nb: two\r\n") == ({"a": 1, "b": "two"}, [])


def test_hostile_files_in_a_course_are_all_reported_together(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    (course / "modules" / "01-basics.yaml").write_text(laughs(8), encoding="utf-8")
    (course / "modules" / "02-more.yaml").write_bytes(b"\xff\xfe not utf-8")
    (course / "glossary.yaml").write_text("- a list\n", encoding="utf-8")
    result = load_course(course)
    assert result.course is None
    assert [(p.path.name, p.line) for p in result.problems] == [
        ("glossary.yaml", 1), ("01-basics.yaml", 2), ("02-more.yaml", 1)]


def test_a_symlink_leading_out_of_the_course_is_refused(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    outside = tmp_path / "outside.yaml"
    shutil.copy(course / "modules" / "02-more.yaml", outside)
    (course / "modules" / "02-more.yaml").unlink()
    (course / "modules" / "02-more.yaml").symlink_to(outside)
    problems = load_course(course).problems
    assert [p.message for p in problems] == [
        "`modules/02-more.yaml` leads outside the course folder"]


@pytest.mark.parametrize(("text", "where"), [
    ('id: m\ntitle: "The basics\nsummary: |\n  x\nlessons:\n  - id: a\n    title: "A"\n', "2:8"),
    ("id: m\nlessons:\n  - id: a\n    title: 'It is\n    steps: []\n  - id: b\n"
     "    title: 'B'\n", "4:12"),
])
def test_an_unclosed_quote_is_reported_where_it_opens(text: str, where: str) -> None:
    _, problems = parse(text)
    assert len(problems) == 1
    assert problems[0].startswith(f"t.yaml:{where}: error: a quoted text opened at {where} is not"
                                  " closed")
    # The hint, applied: the quote closed on its line, the file parses.
    line, column = (int(n) for n in where.split(":"))
    lines = text.split("\n")
    quote = lines[line - 1][column - 1]
    lines[line - 1] += quote
    assert parse("\n".join(lines))[1] == []


def test_options_written_as_a_line_of_text_get_a_hint_that_mends_them(tmp_path: Path) -> None:
    import re
    import shutil

    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    good = module.read_text(encoding="utf-8")
    start = good.index("          options:\n            - text: Paracrine")
    end = good.index("          explanation: They act mostly")
    module.write_text(good[:start] + "          options: Paracrine, Tissue\n" + good[end:],
                      encoding="utf-8")
    [problem] = load_course(course).problems
    assert problem.hint is not None
    written = re.search(r"`options: (.+?)`", problem.hint)
    assert written is not None, problem.hint
    # The hint, applied as written, gives a course that loads.
    module.write_text(good[:start] + f"          options: {written.group(1)}\n" + good[end:],
                      encoding="utf-8")
    assert load_course(course).problems == []
