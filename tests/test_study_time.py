"""Time studied: the time between a learner's actions, each idle stretch counted up to a cap."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from course.record.progress import ProgressStore
from course.record.study import IDLE_CAP, StudyClock
from tui.app import make_app
from tui.plain.run import Start, open_plain
from tui.screens.quiz import QuizScreen
from tui.widgets.questions import QuestionView

VALID = Path(__file__).parent / "data" / "courses" / "valid"


class FakeTime:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@given(st.lists(st.floats(min_value=0, max_value=4 * IDLE_CAP, allow_nan=False), max_size=50))
def test_every_gap_between_actions_counts_up_to_the_cap(gaps: list[float]) -> None:
    fake = FakeTime()
    clock = StudyClock(fake)
    counted = 0.0
    for gap in gaps:
        fake.now += gap
        counted += clock.tick()
    assert abs(counted - sum(min(gap, IDLE_CAP) for gap in gaps)) < 1e-6


def test_seven_minutes_of_steady_work_count_as_seven_minutes() -> None:
    fake = FakeTime()
    clock = StudyClock(fake)
    ticks = []
    for gap in (40, 95, 130, 20, 75, 60):  # seven minutes, no gap over the cap
        fake.now += gap
        ticks.append(clock.tick())
    assert sum(ticks) == 420


def test_a_long_read_counts_the_cap_and_a_restart_counts_nothing_before_it() -> None:
    fake = FakeTime()
    clock = StudyClock(fake)
    fake.now += 420  # seven minutes on one step: five are counted, not none
    assert clock.tick() == IDLE_CAP
    fake.now += 30
    clock.restart()  # an action that starts afresh (a lesson opened from the map)
    fake.now += 12
    assert clock.tick() == 12


def test_the_time_to_think_over_a_quiz_question_is_counted_in_the_app(tmp_path: Path) -> None:
    import asyncio

    async def run() -> float:
        fake = FakeTime()
        store = ProgressStore.open(tmp_path)
        store.complete_lesson("ana", "test-course", "basics", "first-lesson")
        app = make_app(VALID, learner="ana", store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.loaded.wait()
            app.study_clock = StudyClock(fake)
            await pilot.press("enter", "down", "down", "enter")  # the map, the basics' quiz
            await pilot.pause()
            assert isinstance(app.screen, QuizScreen)
            await pilot.press("enter")  # past the quiz's introduction
            await pilot.pause()
            fake.now += 120  # two minutes thinking over the first question
            view = app.screen.query_one(QuestionView)
            await pilot.press("1" if view.question.type != "true_false" else "t", "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
        return store.summary("ana", "test-course")["basics"].seconds_spent

    assert asyncio.run(run()) >= 120


def test_a_step_read_for_seven_minutes_counts_five_in_the_plain_mode(tmp_path: Path) -> None:
    fake = FakeTime()

    class SlowReader(io.StringIO):
        """Input that comes seven minutes a line."""

        def readline(self, *args: object) -> str:
            fake.now += 420
            return super().readline()

    start = Start(course_dir=VALID, learner="ana", data_dir=str(tmp_path))
    # The module's menu, its first lesson, two steps read, quit.
    plain = open_plain(start, SlowReader("1\n\n\n\nq\n"), io.StringIO())
    assert not isinstance(plain, int)
    plain.study.clock = StudyClock(fake)
    with plain.store:
        plain.run()
        assert plain.store.summary("ana", "test-course")["basics"].seconds_spent == 2 * IDLE_CAP
