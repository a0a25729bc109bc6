"""Part credit as a learner meets it: in the plain mode, run as the real command, and in the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from textual.widgets import Static

from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen
from tui.screens.results import ResultsScreen

ROOT = Path(__file__).parent.parent
CREDIT = Path(__file__).parent / "data" / "courses" / "credit"


def said(output: str) -> str:
    """The output with its wrapping undone, to look for sentences in it."""
    return " ".join(output.split())


def test_the_plain_mode_gives_part_credit_its_verdict_score_and_feedback(tmp_path: Path) -> None:
    lines = ["1", "2",  # the module, then its quiz (after its one lesson)
             "2", "",  # HHS: a wrong option worth a quarter
             "1 3", "",  # one right risk and one that takes half back
             "drug application", "",  # an accepted answer worth half
             "2023", "",  # a year off: half
             "", "q"]  # results: Enter for the map; the map: q
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--plain", "--course", str(CREDIT), "--learner", "ana",
         "--data-dir", str(tmp_path)],
        input="".join(f"{line}\n" for line in lines), capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    out = said(run.stdout)
    assert ("Partly right. 0.25 of 1 point. - HHS (not right): Part credit: 25% of the points."
            " The FDA is part of HHS; name the agency.") in out
    assert ("Wrong. 0 of 1 point. - Blood clots (not right): You missed this correct option."
            " - Eternal youth (not right): Takes back 50% of the points. No such effect.") in out
    assert ("Partly right. 0.5 of 1 point. - drug application (not right): Part credit: 50% of"
            " the points. Which drug application? Expected: IND") in out
    assert ("Partly right. 0.5 of 1 point. - 2023 (not right): Part credit: 50% of the points."
            " A year off. The answer: 2024.") in out
    assert "Passed: 50% (2 of 4 points)" not in out
    assert "Not passed yet: 31% (1.25 of 4 points); the pass mark is 50%." in out
    assert "1. Partly right. 0.25 of 1 point." in out
    with ProgressStore.open(tmp_path) as record:
        scores = [answer.score for answer in record.answers("ana", "credit-course", where="quiz")]
    assert sorted(scores) == [0.0, 0.25, 0.5, 0.5]


def screen_text(app: IvstemApp) -> str:
    """Everything the learner can read on the screen right now."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def test_the_app_shows_part_credit_in_a_check_a_quiz_and_the_results(
        tmp_path: Path) -> None:
    app = make_app(CREDIT, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await pilot.press("enter", "c", "n")  # welcome, map, the lesson's first step
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press(*"drug", "space", *"application", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "◐ Partly right" in text
        assert "drug application: Part credit: 50% of the points. Which drug application?" in text
        assert "Expected: IND" not in text  # held back while the learner may try again
        await pilot.press("r", *"IND", "enter", "n")  # right now; on to the quiz
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("enter", "2", "enter")  # the intro, then HHS
        await pilot.pause()
        text = screen_text(app)
        assert "◐ Partly right · 0.25 of 1 point" in text
        assert "HHS: Part credit: 25% of the points. The FDA is part of HHS" in text
        for keys in (["1", "2", "enter"], [*"IND", "enter"], [*"2024", "enter"]):
            await pilot.press("n", *keys)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert "1. ◐ Partly right (0.25/1)" in screen_text(app)
