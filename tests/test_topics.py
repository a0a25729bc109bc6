"""Topics: the course's question tags shown by names authors give them, or by their words."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_dashboard import NOW, Clock, open_dashboard, seed, tagged_course
from textual.widgets import OptionList

from course.material.loader import load_course
from course.material.model import Course
from course.paths import shipped_course_dir
from course.record import dashboard
from course.record.progress import ProgressStore
from tui.app import make_app

SIZE = (80, 24)


def with_topics(folder: Path, topics: str) -> Path:
    """The tagged test course with a `topics:` mapping in its course.yaml."""
    course = tagged_course(folder)
    manifest = course / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + topics, encoding="utf-8")
    return course


NAMED = "topics:\n  regulation: How cell therapies are regulated\n  Safety: Known risks\n"


@pytest.fixture
def named(tmp_path: Path) -> Course:
    loaded = load_course(with_topics(tmp_path, NAMED))
    assert loaded.course is not None, loaded.problems
    return loaded.course


def test_a_tag_reads_as_the_name_the_course_gives_it_or_as_its_own_words(named: Course) -> None:
    assert named.topic_name("regulation") == "How cell therapies are regulated"
    assert named.topic_name("safety") == "Known risks"  # tags match whatever their case
    assert named.topic_name("first-pass") == "First pass"
    assert named.topic_name("trial_phases") == "Trial phases"
    assert named.topic_name("mechanisms") == "Mechanisms"


def test_the_weakest_topics_carry_their_names(named: Course) -> None:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    seed(store, clock)
    weakest = dashboard.build(named, store, "ana").weakest
    assert [(t.tag, t.name) for t in weakest] == [
        ("regulation", "How cell therapies are regulated"), ("mechanisms", "Mechanisms"),
        ("safety", "Known risks")]


async def test_the_dashboard_shows_a_topic_by_its_name_with_the_lessons_to_revisit(
        tmp_path: Path) -> None:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    seed(store, clock)
    app = make_app(with_topics(tmp_path, NAMED), learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        options = app.screen.query_one("#dashboard-weakest", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert prompts[0].startswith("How cell therapies are regulated  ░░░░░░░░░░ 0%")
        assert prompts[1:3] == ["  → The basics › First lesson", "  → More › Sorting things"]
        assert prompts[3].startswith("Mechanisms  ")


def test_a_topic_named_for_a_tag_no_question_has_is_reported_at_its_line(
        tmp_path: Path) -> None:
    folder = with_topics(tmp_path, "topics:\n  regulation: Regulation\n  mechanism: Biology\n")
    result = load_course(folder)
    assert result.course is None
    [problem] = result.problems
    assert problem.path.name == "course.yaml"
    lines = (folder / "course.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "mechanism: Biology"
    assert problem.message == "`topics` names the tag `mechanism`, which no question has"
    assert problem.hint == "did you mean `mechanisms`?"


def test_the_shipped_course_names_its_topics() -> None:
    course = load_course(shipped_course_dir()).course
    assert course is not None
    assert course.topic_name("dose") != "Dose"
    assert course.topic_name("first-pass") != "First pass"
    assert course.topic_name("claim-4") != "Claim 4"
