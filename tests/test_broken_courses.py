"""Every broken course in the corpus is reported at the exact file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.material.loader import load_course

BROKEN = Path(__file__).parent / "data" / "courses" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def expected(case: Path) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        where, words = line.split(": ", 1)
        file, row, col = where.rsplit(":", 2)
        rows.append((file, int(row), int(col), words))
    return rows


def test_the_corpus_holds_at_least_thirty_broken_courses() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_broken_course_is_reported_at_its_line(name: str) -> None:
    case = BROKEN / name
    result = load_course(case)
    assert result.course is None
    got = sorted((p.path.relative_to(case).as_posix(), p.line, p.column, p.message)
           for p in result.problems)
    want = sorted(expected(case))
    where = [(f, line, col) for f, line, col, _ in got]
    assert where == [(f, line, col) for f, line, col, _ in want], got
    for (_, _, _, message), (_, _, _, words) in zip(got, want, strict=True):
        assert words in message
