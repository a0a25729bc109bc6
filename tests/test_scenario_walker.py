"""The scenario walker: start, choose, step back, reach an ending; the path is kept."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizzes.scenario import Choice, Node, Scenario, ScenarioError, ScenarioWalk, Step

IS_IT_361 = Scenario(
    id="is-it-361",
    title="Is this product regulated as a drug?",
    start="manipulated",
    nodes={
        "manipulated": Node(
            text="Were the cells expanded in culture?",
            choices=(Choice(label="Yes", goto="drug"), Choice(label="No", goto="homologous")),
        ),
        "homologous": Node(
            text="Same basic job in the recipient?",
            choices=(Choice(label="Yes", goto="maybe-361"), Choice(label="No", goto="drug")),
        ),
        "drug": Node(end="Regulated as a drug: it needs an IND."),
        "maybe-361": Node(end="Possibly a 361 HCT/P."),
    },
)


def test_a_walk_starts_at_the_start_node_with_an_empty_path() -> None:
    walk = ScenarioWalk(IS_IT_361)
    assert walk.node_id == "manipulated"
    assert walk.path == ("manipulated",)
    assert walk.steps == ()
    assert not walk.at_end and walk.ending is None


def test_choosing_moves_along_and_keeps_the_path_to_the_ending() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(1)
    reached = walk.choose(0)
    assert reached.end == "Possibly a 361 HCT/P."
    assert walk.at_end
    assert walk.ending == "Possibly a 361 HCT/P."
    assert walk.path == ("manipulated", "homologous", "maybe-361")
    assert walk.steps == (Step("manipulated", 1, "No"), Step("homologous", 0, "Yes"))


def test_stepping_back_takes_back_the_last_choice() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(1)
    walk.choose(1)
    assert walk.back().text == "Same basic job in the recipient?"
    assert walk.path == ("manipulated", "homologous")
    walk.choose(0)
    assert walk.node_id == "maybe-361"


def test_stepping_back_from_the_start_is_refused() -> None:
    walk = ScenarioWalk(IS_IT_361)
    assert not walk.can_go_back
    with pytest.raises(ScenarioError, match="start"):
        walk.back()


@pytest.mark.parametrize("index", [2, -1])
def test_a_choice_that_does_not_exist_is_refused_and_the_walk_stays(index: int) -> None:
    walk = ScenarioWalk(IS_IT_361)
    with pytest.raises(ScenarioError, match="no choice"):
        walk.choose(index)
    assert walk.path == ("manipulated",)


def test_there_is_nothing_to_choose_at_an_ending() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(0)
    with pytest.raises(ScenarioError, match="ending"):
        walk.choose(0)


def test_restart_forgets_every_choice() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(1)
    walk.restart()
    assert walk.path == ("manipulated",)


def test_a_walk_survives_a_json_round_trip() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(1)
    walk.choose(1)
    resumed, message = ScenarioWalk.from_json(walk.to_json(), IS_IT_361)
    assert message is None
    assert resumed.steps == walk.steps
    assert resumed.path == ("manipulated", "homologous", "drug")


def test_a_walk_resumes_up_to_the_first_step_the_changed_scenario_no_longer_has() -> None:
    walk = ScenarioWalk(IS_IT_361)
    walk.choose(1)
    walk.choose(0)
    homologous = IS_IT_361.nodes["homologous"]
    renamed = replace(homologous, choices=(Choice(label="Yes, the same", goto="maybe-361"),
                                           homologous.choices[1]))
    changed = replace(IS_IT_361, nodes={**IS_IT_361.nodes, "homologous": renamed})
    resumed, message = ScenarioWalk.from_json(walk.to_json(), changed)
    assert resumed.path == ("manipulated", "homologous")
    assert message is not None and "after step 1 of 2" in message


@pytest.mark.parametrize(
    "text",
    ["not json", '{"scenario": "other", "steps": []}', '{"scenario": "is-it-361", "steps": 3}'],
)
def test_saved_data_that_is_not_a_walk_of_this_scenario_is_refused(text: str) -> None:
    with pytest.raises(ScenarioError):
        ScenarioWalk.from_json(text, IS_IT_361)
