"""`ivstem export`: handouts that hold every prompt, and a key that holds every answer."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from course.instructor.handout import render_html, render_markdown
from course.material.loader import load_course, shipped_course_dir
from course.material.markdown_text import plain_text
from course.material.model import CheckStep, Course
from quizzes.answers import format_number
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from tui.cli import main

COURSES = Path(__file__).parent / "data" / "courses"
VALID = COURSES / "valid"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def loaded(folder: Path) -> Course:
    result = load_course(folder)
    assert result.course is not None, result.problems
    return result.course


@pytest.fixture(scope="module", params=["valid", "shipped"])
def course(request: pytest.FixtureRequest) -> Course:
    return loaded(VALID if request.param == "valid" else shipped_course_dir())


def questions(course: Course) -> list[Question]:
    found: list[Question] = []
    for module in course.modules:
        for lesson in module.lessons:
            found += [step.check for step in lesson.steps if isinstance(step, CheckStep)]
        if module.quiz:
            found += list(module.quiz.questions)
    return found


def html_text(page: str) -> str:
    """What a reader of the page sees, as one line of text."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def words(text: str) -> str:
    return " ".join(text.split())


def key_items(question: Question) -> list[str]:
    """The pieces of the correct answer that the instructor's copy must show."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return [o.text for o in question.options if o.correct]
    if isinstance(question, TrueFalseQuestion):
        return ["True" if question.answer else "False"]
    if isinstance(question, ShortQuestion):
        return [entry.text for entry in question.accepted]
    if isinstance(question, NumericQuestion):
        return [format_number(number) for entry in question.accepted
                for number in (entry.answer, entry.tolerance)]
    if isinstance(question, OrderQuestion):
        return [" → ".join(question.items)]
    if isinstance(question, MatchQuestion):
        return [f"{left} → {right}" for left, right in question.pairs]
    assert isinstance(question, CategorizeQuestion)
    return [item.text for item in question.items] + list(question.categories)


def test_the_handout_holds_every_prompt_lesson_term_and_reference(course: Course) -> None:
    for answers in (False, True):
        page = html_text(render_html(course, answers=answers))
        markdown = render_markdown(course, answers=answers)
        for question in questions(course):
            assert words(plain_text(question.prompt)) in page
            assert f'<a id="q-{question.id}"></a>' in markdown
        for module in course.modules:
            for lesson in module.lessons:
                assert lesson.title in page and lesson.title in markdown
        for term in course.glossary.terms:
            assert term.term in page and f'<a id="term-{term.id}"></a>' in markdown
        for reference in course.references.references:
            assert words(reference.citation) in page


def test_modules_and_lessons_come_in_course_order(course: Course) -> None:
    page = render_html(course)
    anchors = [f'id="lesson-{m.id}-{lesson.id}"' for m in course.modules for lesson in m.lessons]
    positions = [page.index(anchor) for anchor in anchors]
    assert positions == sorted(positions)
    assert page.index('id="glossary"') < page.index('id="references"')


def test_the_key_holds_every_correct_answer_and_explanation(course: Course) -> None:
    page = html_text(render_html(course, answers=True))
    markdown = words(render_markdown(course, answers=True))
    for question in questions(course):
        start = page.index(words(plain_text(question.prompt)))
        section = page[start:]
        for piece in key_items(question):
            assert words(piece) in section, (question.id, piece)
            assert words(piece).replace("*", "\\*") in markdown or words(piece) in markdown
        if question.explanation:
            assert words(plain_text(question.explanation)) in section


def test_the_key_marks_each_correct_option_and_only_those() -> None:
    course = loaded(VALID)
    page = html_text(render_html(course, answers=True))
    assert "C. Paracrine signalling ✓ correct" in page
    assert "A. Infection ✓ correct" in page and "C. Blood clots ✓ correct" in page
    assert "Eternal youth ✓" not in page and "Becoming new tissue ✓" not in page
    assert "Answer 2024" in page
    assert "Accepted IND; Investigational New Drug" in page
    assert "Correct order Phase I → Phase II → Phase III → Approval decision" in page
    assert "A (Approved use) HSCT for leukaemia" in page
    assert "Match nothing A (From an animal)" in page


def test_the_key_gives_each_part_credit_and_the_feedback_on_each_answer() -> None:
    course = loaded(COURSES / "credit")
    page = html_text(render_html(course, answers=True))
    for question in questions(course):
        for piece in key_items(question):
            assert words(piece) in page, (question.id, piece)
    assert "Answer A (The FDA) Part credit B (HHS): 25%" in page
    assert ("Scoring by credit: the credits of the options picked, added up (from 0 to 100%):"
            " A (Infection): 50%; B (Blood clots): 50%; C (Eternal youth): -50%") in page
    assert ("Accepted IND; Investigational New Drug Part credit drug application: 50%"
            " Expected wrong answers NDA") in page
    assert "Feedback on “NDA” An NDA asks to sell a drug; it comes after the trials." in page
    assert "Answer 2024 Part credit 2024 ± 1: 50% Feedback on 2024 Yes: Ryoncil" in page
    assert "Feedback on 2024 ± 1 A year off." in page


def test_the_worksheet_gives_no_answer_away(course: Course) -> None:
    for text in (render_html(course), render_markdown(course)):
        assert "✓" not in text and "Answer key" not in text and "Instructor's copy" not in text
        for question in questions(course):
            if question.explanation:
                assert words(plain_text(question.explanation)) not in html_text(text)


def test_an_order_question_is_never_listed_in_its_correct_order() -> None:
    page = html_text(render_html(loaded(VALID)))
    assert "Phase I Phase II Phase III Approval decision" not in page


def test_the_html_loads_nothing_from_elsewhere(course: Course) -> None:
    page = render_html(course, answers=True)
    lowered = page.lower()
    for forbidden in ("<script", "<img", "<link", "<iframe", "src=", "@import", "url("):
        assert forbidden not in lowered
    external = {href for href in re.findall(r'href="([^"#][^"]*)"', page)}
    assert all(href.startswith(("https://", "http://", "mailto:")) for href in external)


def test_every_link_inside_the_handout_has_its_target(course: Course) -> None:
    page = render_html(course, answers=True)
    ids = set(re.findall(r' id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= ids
    markdown = render_markdown(course, answers=True)
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    assert set(re.findall(r"\]\(#([^)]+)\)", markdown)) <= anchors
    assert "](glossary:" not in markdown and "](ref:" not in markdown


def test_glossary_and_ref_links_point_at_their_entries() -> None:
    page = render_html(loaded(VALID))
    assert '<a href="#term-msc">MSC</a>' in page
    assert '<a href="#ref-fda-2024">FDA, 2024</a>' in page
    assert '<dt id="term-msc">' in page and '<li id="ref-fda-2024">' in page


def test_html_in_course_text_is_shown_as_text_and_images_become_links(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    module = folder / "modules" / "01-basics.yaml"
    text = module.read_text(encoding="utf-8").replace(
        "      - text: |\n          An [MSC]",
        "      - text: |\n          <script>alert(1)</script> <b onclick=x>bold</b>\n"
        "          ![a chart](https://example.org/chart.png)\n\n          An [MSC]", 1)
    module.write_text(text, encoding="utf-8")
    page = render_html(loaded(folder))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<b onclick" not in page and "<img" not in page
    assert '<a href="https://example.org/chart.png">[image: a chart]</a>' in page


def test_a_pipe_table_in_a_lesson_is_a_table_in_the_html(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    module = folder / "modules" / "01-basics.yaml"
    text = module.read_text(encoding="utf-8").replace(
        "      - text: |\n          An [MSC]",
        "      - text: |\n          | Product | Approved for |\n          | --- | --- |\n"
        "          | Ryoncil | children with aGVHD |\n\n          An [MSC]", 1)
    module.write_text(text, encoding="utf-8")
    page = render_html(loaded(folder))
    assert "| --- |" not in page
    assert "<th>Product</th>" in page and "<td>Ryoncil</td>" in page


def test_a_scenario_is_a_nested_list_of_every_path() -> None:
    markdown = render_markdown(loaded(VALID))
    assert ("- Were the cells expanded in culture?\n"
            "  - **Yes** → *Ending:* A drug or biologic: it needs an [IND](#term-ind).\n"
            "  - **No** → Same basic function in the recipient?\n"
            "    - **Yes** → *Ending:* Perhaps a 361 HCT/P.\n") in markdown


def test_markdown_list_markers_do_not_turn_into_nested_lists() -> None:
    markdown = render_markdown(loaded(VALID))
    assert "- 1\\. Autologous → " in markdown


def test_export_writes_the_file_named_with_its_format(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    status, out, _ = run(capsys, "export", str(VALID), "-o", str(tmp_path / "h.html"))
    assert status == 0 and "html handout" in out
    assert (tmp_path / "h.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    status, _, _ = run(capsys, "export", str(VALID), "--answers", "-o", str(tmp_path / "k.md"))
    assert status == 0
    assert "Instructor's copy" in (tmp_path / "k.md").read_text(encoding="utf-8")
    status, _, err = run(capsys, "export", str(VALID), "-o", str(tmp_path / "h.pdf"))
    assert status == 2 and "--format markdown, html, gift or moodle-xml" in err
    status, out, _ = run(capsys, "export", str(VALID), "--format", "markdown", "-o", "-")
    assert status == 0 and out.startswith("# A test course")


def test_export_replaces_an_old_handout_but_never_a_course_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    old = tmp_path / "h.md"
    old.write_text("old\n", encoding="utf-8")
    assert run(capsys, "export", str(folder), "-o", str(old))[0] == 0
    assert old.read_text(encoding="utf-8").startswith("# A test course")
    before = (folder / "glossary.yaml").read_text(encoding="utf-8")
    status, _, err = run(capsys, "export", str(folder), "--format", "markdown", "-o",
                         str(folder / "glossary.yaml"))
    assert status == 2 and "is a file of the course itself" in err
    assert (folder / "glossary.yaml").read_text(encoding="utf-8") == before


def test_export_of_a_course_with_problems_prints_them_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "h.html"
    status, _, err = run(capsys, "export", str(COURSES / "broken" / "wrong-type"), "-o",
                         str(out_file))
    assert status == 1 and "must be a whole number" in err and "no handout was written" in err
    assert not out_file.exists()


def test_export_mistakes_are_messages_not_tracebacks(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    status, _, err = run(capsys, "export", str(tmp_path / "nope"), "-o", "h.md")
    assert status == 2 and "does not exist" in err
    status, _, err = run(capsys, "export", str(VALID), "-o", str(tmp_path / "no" / "h.md"))
    assert status == 1 and "does not exist" in err
    status, _, err = run(capsys, "export", str(VALID), "--format", "html", "-o", str(tmp_path))
    assert status == 1 and "is a folder" in err
