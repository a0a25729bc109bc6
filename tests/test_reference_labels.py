"""Each reference is cited by a short label, whole: its `short`, or its authors and year."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown

from course.material.citation import short_label
from course.material.loader import load_course
from course.material.model import Reference
from course.material.schema import json_schema
from course.paths import shipped_course_dir
from course.record.progress import ProgressStore
from tui.app import make_app
from tui.screens.lesson import LessonScreen
from tui.widgets.assign import MatchList
from tui.widgets.questions import QuestionView

LONG = Path(__file__).parent / "data" / "courses" / "long"


def reference(citation: str, year: int | None = None, short: str | None = None) -> Reference:
    return Reference(id="a-reference", citation=citation, year=year, short=short)


@pytest.mark.parametrize(("citation", "year", "label"), [
    ("U.S. Food and Drug Administration. Important Patient and Consumer Information About"
     " Regenerative Medicine Therapies. 3 June 2021.", 2021,
     "U.S. Food and Drug Administration, 2021"),
    ("U.S. National Library of Medicine. ClinicalTrials.gov: public registry.", None,
     "U.S. National Library of Medicine"),
    ("International Society for Stem Cell Research. A Closer Look at Stem Cells.", None,
     "International Society for Stem Cell Research"),
    ("Dominici M, Le Blanc K, Mueller I, et al. Minimal criteria for defining multipotent"
     " mesenchymal stromal cells. Cytotherapy. 2006;8(4):315-317.", 2006,
     "Dominici et al., 2006"),
    ("Caplan AI. Mesenchymal Stem Cells: Time to Change the Name! Stem Cells Translational"
     " Medicine. 2017;6(6):1445-1451.", 2017, "Caplan, 2017"),
    ("Lovell-Badge R, Anthony E. ISSCR Guidelines. Stem Cell Reports. 2021;16(6).", 2021,
     "Lovell-Badge and Anthony, 2021"),
    ("Ministry of Health, Labour and Welfare. Approval of Stemirac. 2018.", None,
     "Ministry of Health, Labour and Welfare, 2018"),
    ("Author A, et al. A test trial. Journal. 2019;1:1-2.", 2019, "Author et al., 2019"),
])
def test_a_label_is_made_from_the_authors_or_organisation_and_the_year(
        citation: str, year: int | None, label: str) -> None:
    assert short_label(reference(citation, year)) == label


def test_a_short_label_written_by_the_author_is_used_as_it_is() -> None:
    assert short_label(reference("U.S. Food and Drug Administration. X. 2024.", 2024,
                                 short="FDA, 2024")) == "FDA, 2024"


def test_no_label_of_the_shipped_course_is_cut_at_all() -> None:
    loaded = load_course(shipped_course_dir())
    assert loaded.course is not None
    for ref in loaded.course.references.references:
        label = short_label(ref)
        assert "…" not in label, label
        if ref.short is None:
            who = label.rsplit(", ", 1)[0] if ref.year else label
            assert ref.citation.startswith(who.removesuffix(" et al.").split(" and ")[0]), label


def test_a_long_first_sentence_is_cut_after_a_whole_word() -> None:
    label = short_label(reference(
        "News report on Health Canada's conditional approval of Prochymal for acute disease."
        " Nature Biotechnology. 2012.", 2012))
    assert label == "News report on Health Canada's conditional approval of…, 2012"


def test_a_stop_inside_brackets_or_after_a_company_lowercase_ends_no_sentence() -> None:
    assert short_label(reference("Acme, Inc. v. United States (U.S. Oct. 2025). Ruling.")) == (
        "Acme, Inc. v. United States (U.S. Oct. 2025), 2025")
    assert short_label(reference("Mesoblast, Inc. RYONCIL: prescribing information.")) == (
        "Mesoblast, Inc.")


def test_short_is_an_optional_string_in_the_references_schema() -> None:
    schema = json_schema("references")
    fields = schema["$defs"]["Reference"]["properties"]
    assert "short" in fields
    assert "short" not in schema["$defs"]["Reference"].get("required", [])


def test_a_course_may_give_a_reference_its_short_label(tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(LONG, course)
    path = course / "references.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: fda-consumer-2021\n", "  - id: fda-consumer-2021\n    short: FDA, 2021\n"),
        encoding="utf-8")
    loaded = load_course(course)
    assert loaded.course is not None, loaded.problems
    ref = loaded.course.reference("fda-consumer-2021")
    assert ref is not None and ref.short == "FDA, 2021"


async def test_a_lesson_names_each_source_by_its_whole_short_label() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await pilot.press("enter", "c")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("n")
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        answer = view.answer_input
        assert isinstance(answer, MatchList)
        keys = [str(answer.right_ids.index(f"r{left}") + 1) for left in answer.item_indexes]
        await pilot.press(*keys, "enter")
        await pilot.pause()
        sources = view.feedback.query_one(".sources", Markdown)
        shown = " ".join(sources.source.split())
        assert shown == (
            "Sources: [U\\.S\\. Food and Drug Administration\\, 2021](ref:fda-consumer-2021)"
            " · [International Society for Stem Cell Research](ref:isscr-closer-look)"
            " · [Dominici et al\\.\\, 2006](ref:dominici-2006)")
