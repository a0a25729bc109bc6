"""Branching scenarios: the decision-tree model and its shape rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple

from quizzes.questions import ContentError, Model, Rule, Slug, Text, content_model


@content_model
class Choice(Model):
    """One way out of a scenario node."""

    label: Text
    goto: Text


@content_model
class Node(Model):
    """A point in a scenario: a question with choices, or an ending."""

    text: str | None = None
    choices: tuple[Choice, ...] = ()
    end: str | None = None

    def __post_init__(self) -> None:
        if self.end is not None and (self.choices or self.text is not None):
            raise ContentError(
                "a node is either an ending (`end`) or a question (`text` and `choices`), not both",
                hint="move the choices to a node of their own",
            )
        if self.end is None and not self.choices:
            raise ContentError(
                "a node needs `choices` (where the learner can go next) or `end` (an ending)",
            )
        if self.end is None and self.text is None:
            raise ContentError("a node with `choices` needs `text`: the question it asks")

    @property
    def is_end(self) -> bool:
        """True for an ending."""
        return self.end is not None


@content_model
class Scenario(Model):
    """A branching walk-through: nodes keyed by id, entered at `start`."""

    id: Slug
    title: Text
    start: Text
    nodes: Annotated[dict[str, Node], Rule(min_length=1)]

    def __post_init__(self) -> None:
        if self.start not in self.nodes:
            raise ContentError(
                f"`start` names {self.start!r}, which is not a node",
                at=("start",),
                hint=f"use one of: {', '.join(self.nodes)}",
            )
        for name, node in self.nodes.items():
            for index, choice in enumerate(node.choices):
                if choice.goto not in self.nodes:
                    raise ContentError(
                        f"`goto` names {choice.goto!r}, which is not a node",
                        at=("nodes", name, "choices", index, "goto"),
                        hint=f"use one of: {', '.join(self.nodes)}",
                    )
        reachable = self.reachable_from(self.start)
        for name in self.nodes:
            if name not in reachable:
                raise ContentError(
                    f"node {name!r} cannot be reached from `start` ({self.start!r})",
                    at=("nodes", name),
                    hint="add a choice that leads to it, or remove it",
                    key=True,
                )
        finishing = self._nodes_that_can_finish()
        for name in self.nodes:
            if name not in finishing:
                raise ContentError(
                    f"no ending can be reached from node {name!r}: a learner there would go"
                    " round for ever",
                    at=("nodes", name),
                    hint="give one of the nodes on that loop a choice that leads to an ending",
                    key=True,
                )

    def reachable_from(self, start: str) -> set[str]:
        """Every node a learner can get to from `start`."""
        seen = {start}
        todo = [start]
        while todo:
            for choice in self.nodes[todo.pop()].choices:
                if choice.goto in self.nodes and choice.goto not in seen:
                    seen.add(choice.goto)
                    todo.append(choice.goto)
        return seen

    def _nodes_that_can_finish(self) -> set[str]:
        finishing = {name for name, node in self.nodes.items() if node.is_end}
        changed = True
        while changed:
            changed = False
            for name, node in self.nodes.items():
                if name not in finishing and any(c.goto in finishing for c in node.choices):
                    finishing.add(name)
                    changed = True
        return finishing


# --- Walking a scenario ------------------------------------------------------------------------


class ScenarioError(ValueError):
    """A move the walk does not allow (a choice that does not exist, going back from the start),
    or saved data that is not a walk of this scenario."""


@dataclass(frozen=True, slots=True)
class Step:
    """One choice made: at which node, which choice (by index), and its label."""

    node: str
    choice: int
    label: str


class ResumedWalk(NamedTuple):
    """A rebuilt walk, and what was dropped because the scenario changed (None if nothing)."""

    walk: ScenarioWalk
    message: str | None


class ScenarioWalk:
    """A learner's way through a scenario: start, choose, step back, reach an ending.

    The steps taken are kept in order, so the path can be shown, saved and resumed.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._steps: list[Step] = []
        self._at = scenario.start

    @property
    def node_id(self) -> str:
        """The id of the node the learner is at."""
        return self._at

    @property
    def node(self) -> Node:
        """The node the learner is at."""
        return self.scenario.nodes[self._at]

    @property
    def at_end(self) -> bool:
        """True when the learner has reached an ending."""
        return self.node.is_end

    @property
    def ending(self) -> str | None:
        """The ending's text once reached, else None."""
        return self.node.end

    @property
    def steps(self) -> tuple[Step, ...]:
        """The choices made so far, in order."""
        return tuple(self._steps)

    @property
    def path(self) -> tuple[str, ...]:
        """The ids of the nodes visited, from `start` to where the learner is."""
        return (self.scenario.start, *(self._goto(step) for step in self._steps))

    @property
    def can_go_back(self) -> bool:
        """True when there is a choice to take back."""
        return bool(self._steps)

    def choose(self, index: int) -> Node:
        """Take choice `index` (in authored order) of the current node; return the node reached."""
        node = self.node
        if node.is_end:
            raise ScenarioError("this is an ending: go back or start again to choose otherwise")
        if type(index) is not int or not 0 <= index < len(node.choices):
            raise ScenarioError(f"there is no choice {index!r} here; pick one of those shown")
        choice = node.choices[index]
        self._steps.append(Step(self._at, index, choice.label))
        self._at = choice.goto
        return self.node

    def back(self) -> Node:
        """Take back the last choice; return the node the learner is at again."""
        if not self._steps:
            raise ScenarioError("this is the start: there is no choice to take back")
        self._at = self._steps.pop().node
        return self.node

    def restart(self) -> Node:
        """Go back to the start, forgetting every choice."""
        self._steps.clear()
        self._at = self.scenario.start
        return self.node

    def _goto(self, step: Step) -> str:
        return self.scenario.nodes[step.node].choices[step.choice].goto

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data: the scenario id and the choices made."""
        return {
            "scenario": self.scenario.id,
            "steps": [[s.node, s.choice, s.label] for s in self._steps],
        }

    def to_json(self) -> str:
        """This walk as JSON text."""
        return json.dumps(self.to_data(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_data(cls, data: Any, scenario: Scenario) -> ResumedWalk:
        """Replay saved choices on the current scenario.

        If the scenario changed so that a saved choice no longer leads where it did (the node
        or the choice is gone, or its label changed), the walk stops at the last step that
        still fits and says so, rather than failing: the learner carries on from there.
        """
        if not isinstance(data, dict) or data.get("scenario") != scenario.id:
            raise ScenarioError(f"the saved walk is not a walk of scenario {scenario.id!r}")
        steps = data.get("steps")
        if not isinstance(steps, list):
            raise ScenarioError("the saved walk could not be read: `steps` must be a list")
        walk = cls(scenario)
        for number, step in enumerate(steps, start=1):
            if not (isinstance(step, list) and len(step) == 3):
                raise ScenarioError(
                    "the saved walk could not be read: a step is not [node, choice, label]"
                )
            node, index, label = step
            node_now = walk.node
            fits = (
                node == walk.node_id
                and type(index) is int
                and 0 <= index < len(node_now.choices)
                and node_now.choices[index].label == label
            )
            if not fits:
                kept = number - 1
                return ResumedWalk(
                    walk,
                    f"the scenario {scenario.id!r} changed: the walk resumes after step {kept}"
                    f" of {len(steps)}",
                )
            walk.choose(index)
        return ResumedWalk(walk, None)

    @classmethod
    def from_json(cls, text: str, scenario: Scenario) -> ResumedWalk:
        """Replay a walk saved by `to_json()` on the current scenario."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ScenarioError(f"the saved walk could not be read: {exc}") from None
        return cls.from_data(data, scenario)
