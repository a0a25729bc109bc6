"""Branching scenarios: the decision-tree model and its shape rules."""

from __future__ import annotations

from pydantic import Field, model_validator

from quizzes.questions import ContentError, Model, Slug, Text


class Choice(Model):
    """One way out of a scenario node."""

    label: Text
    goto: Text


class Node(Model):
    """A point in a scenario: a question with choices, or an ending."""

    text: str | None = None
    choices: tuple[Choice, ...] = ()
    end: str | None = None

    @model_validator(mode="after")
    def _question_or_ending(self) -> Node:
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
        return self

    @property
    def is_end(self) -> bool:
        """True for an ending."""
        return self.end is not None


class Scenario(Model):
    """A branching walk-through: nodes keyed by id, entered at `start`."""

    id: Slug
    title: Text
    start: Text
    nodes: dict[str, Node] = Field(min_length=1)

    @model_validator(mode="after")
    def _graph_is_sound(self) -> Scenario:
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
        return self

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
