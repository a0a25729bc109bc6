"""How Moodle's own test files fare in ivstem's importers: per file, the questions imported
as they are, converted with notes, and left out (skipped).

Run it to print the table: `python tests/moodle_fixture_counts.py` (from the repository root,
with the repository on PYTHONPATH); tests/test_moodle_fixtures.py checks the same figures.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "data" / "moodle"


@dataclass(frozen=True)
class Count:
    """What became of the questions of one fixture file."""

    name: str
    imported: int  # converted with nothing to say
    with_notes: int  # converted, with at least one note
    skipped: int  # left out, with the reason

    @property
    def questions(self) -> int:
        """Every question the file holds (categories are not questions)."""
        return self.imported + self.with_notes + self.skipped


def count_file(path: Path) -> Count:
    """Import one fixture and count what became of its questions."""
    from course.instructor import gift, moodle_xml

    if path.suffix == ".xml":
        result = moodle_xml.convert(path.read_bytes(), module_id="m")
    else:
        result = gift.convert(path.read_text(encoding="utf-8"), module_id="m")
    noted_lines = {note.line for note in result.notes}
    # A note is reported at its question's line (XML) or at a line inside its question (GIFT);
    # the questions are told apart by the lines of the notes that fall between them.
    starts = sorted(_question_lines(path, result))
    noted = set()
    for line in noted_lines:
        before = [start for start in starts if start <= line]
        if before:
            noted.add(before[-1])
    with_notes = len(noted)
    return Count(path.relative_to(FIXTURES).as_posix(), len(result.questions) - with_notes,
                 with_notes, len(result.problems))


def _question_lines(path: Path, result: object) -> set[int]:
    """The first line of each converted question."""
    from course.instructor import gift, moodle_xml

    if path.suffix == ".xml":
        root, lines = moodle_xml.parse(path.read_bytes())
        return {lines[q] for q in root.iter("question") if q.get("type") != "category"}
    text = path.read_text(encoding="utf-8")
    return {block.numbers[0] for block in gift._blocks(text)}


def counts() -> list[Count]:
    """Every fixture, GIFT first, then Moodle XML."""
    paths = sorted(FIXTURES.rglob("*.txt")) + sorted(FIXTURES.rglob("*.xml"))
    return [count_file(path) for path in paths]


def table(rows: list[Count]) -> str:
    """The counts as a plain-text table with totals for GIFT, Moodle XML and all."""
    lines = [f"{'fixture':48} {'questions':>9} {'imported':>8} {'noted':>6} {'skipped':>7}"]
    for row in rows:
        lines.append(f"{row.name:48} {row.questions:9} {row.imported:8} {row.with_notes:6}"
                     f" {row.skipped:7}")
    for label, chosen in (("GIFT", [r for r in rows if not r.name.endswith(".xml")]),
                          ("Moodle XML", [r for r in rows if r.name.endswith(".xml")]),
                          ("all", rows)):
        total = Count(label, sum(r.imported for r in chosen), sum(r.with_notes for r in chosen),
                      sum(r.skipped for r in chosen))
        lines.append(f"{'total ' + label:48} {total.questions:9} {total.imported:8}"
                     f" {total.with_notes:6} {total.skipped:7}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(table(counts()))
