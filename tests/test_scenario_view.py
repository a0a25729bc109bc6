"""A branching scenario in a lesson, walked as a learner would: by keys and by clicking."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Markdown, Static

from course.instructor.scaffold import write_course
from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.screens.lesson import LessonScreen
from tui.widgets.scenario import ScenarioView

VALID = Path(__file__).parent / "data" / "courses" / "valid"
SIZE = (80, 24)

# A course the project has never seen: open gating, and one lesson whose only step is a
# scenario of two question nodes and then an ending.
FRESH_MODULE = """\
id: first-module
title: "First module"
summary: A module with one scenario.
objectives:
  - Walk a scenario
estimated_minutes: 5
lessons:
  - id: first-lesson
    title: First lesson
    steps:
      - scenario:
          id: clinic-visit
          title: A visit to a clinic
          start: offer
          nodes:
            offer:
              text: A clinic offers an infusion. Do you ask for the trial number?
              choices:
                - {label: "Ask for it", goto: answer}
                - {label: "Pay at once", goto: paid}
            answer:
              text: They have none. Do you walk away?
              choices:
                - {label: "Walk away", goto: safe}
                - {label: "Stay", goto: paid}
            safe:
              end: You kept your money and your health.
            paid:
              end: You paid for an unproven treatment.
"""


def scenario(app: IvstemApp) -> ScenarioView:
    """The scenario on the lesson screen."""
    assert isinstance(app.screen, LessonScreen)
    return app.screen.query_one(ScenarioView)


def shown(app: IvstemApp) -> str:
    """What the scenario shows: path, text, ending label and the buttons' labels."""
    view = scenario(app)
    parts = [str(view.query_one("#scenario-path", Static).render()),
             view.query_one("#scenario-text", Markdown).source,
             str(view.query_one("#scenario-ending-label", Static).render())]
    parts += [str(button.label) for button in view.query(Button)]
    return "\n".join(parts)


def buttons(app: IvstemApp) -> list[str]:
    """The labels of the buttons the scenario shows now, top to bottom."""
    return [str(button.label) for button in scenario(app).query(Button)]


async def open_valid_scenario(pilot: Pilot[None], app: IvstemApp) -> None:
    """Open the small course's first lesson at its fourth step, the scenario."""
    await app.loaded.wait()
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, LessonScreen)
    assert "Were the cells expanded in culture?" in shown(app)


def valid_app(tmp_path: Path) -> IvstemApp:
    store = ProgressStore.open(tmp_path)
    store.set_position("ana", "test-course", {"module": "basics", "lesson": "first-lesson",
                                               "step": 3})
    store.close()
    return make_app(VALID, learner="ana", data_dir=tmp_path)


async def test_keys_lead_through_two_nodes_to_an_ending_then_back_and_again(
        tmp_path: Path) -> None:
    app = valid_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_valid_scenario(pilot, app)
        await pilot.press("2")  # No: not expanded
        assert "Same basic function in the recipient?" in shown(app)
        assert buttons(app) == ["1. Yes", "2. No", "‹ Step back  (backspace)"]
        await pilot.press("1")  # Yes: same function
        assert "Perhaps a 361 HCT/P." in shown(app)
        assert "Your path: No → Yes" in shown(app)
        assert "The end of this path" in shown(app)
        assert buttons(app) == ["‹ Step back  (backspace)"]
        await pilot.press("backspace")
        assert "Same basic function in the recipient?" in shown(app)
        await pilot.press("2")  # No: a drug after all
        assert "it needs an [IND](glossary:ind)" in shown(app)
        await pilot.press("r")
        assert "Were the cells expanded in culture?" in shown(app)
        assert buttons(app) == ["1. Yes", "2. No"]
        await pilot.press("1")
        assert "it needs an [IND](glossary:ind)" in shown(app)


async def test_clicks_lead_through_two_nodes_to_an_ending_and_step_back(
        tmp_path: Path) -> None:
    app = valid_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_valid_scenario(pilot, app)

        async def click(label: str) -> None:
            button = next(b for b in scenario(app).query(Button) if str(b.label) == label)
            button.scroll_visible(animate=False)
            await pilot.pause()
            assert await pilot.click(button)
            await pilot.pause()

        await click("2. No")
        assert "Same basic function in the recipient?" in shown(app)
        await click("1. Yes")
        assert "Perhaps a 361 HCT/P." in shown(app)
        await click("‹ Step back  (backspace)")
        assert "Same basic function in the recipient?" in shown(app)
        await click("‹ Step back  (backspace)")
        assert "Were the cells expanded in culture?" in shown(app)
        assert buttons(app) == ["1. Yes", "2. No"]


async def test_a_scenario_in_a_new_open_course_walks_two_nodes_to_an_ending(
        tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    write_course(folder, "fresh", "Fresh")
    course_yaml = folder / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("gating: sequential", "gating: open"))
    (folder / "modules" / "01-first-module.yaml").write_text(FRESH_MODULE)
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")  # leave the welcome
        await pilot.press("c")
        await pilot.pause()
        assert "Do you ask for the trial number?" in shown(app)
        await pilot.press("1")
        assert "Do you walk away?" in shown(app)
        await pilot.press("1")
        assert "You kept your money and your health." in shown(app)
        assert "Your path: Ask for it → Walk away" in shown(app)
        await pilot.press("backspace")
        await pilot.press("2")
        assert "You paid for an unproven treatment." in shown(app)
        await pilot.press("r")
        await pilot.press("2")
        assert "You paid for an unproven treatment." in shown(app)
        assert "Your path: Pay at once" in shown(app)
