"""The content model built in code behaves as frozen dataclasses do: `Model` writes their
methods once for every class (see `quizzes.questions.content_model`)."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from course.material.model import Lesson, Manifest, Module, Settings, TextStep
from quizzes.questions import ContentError, Option, ShortQuestion, SingleQuestion


def single(**changes: Any) -> SingleQuestion:
    fields: dict[str, Any] = {
        "id": "q", "prompt": "Which?", "type": "single",
        "options": (Option(text="yes", correct=True), Option(text="no"))}
    return SingleQuestion(**(fields | changes))


def test_a_model_is_made_by_keyword_with_its_defaults() -> None:
    question = single()
    assert question.points == 1.0 and question.shuffle is True and question.tags == ()
    manifest = Manifest(format=1, id="c", title="C", version="1", summary="S", modules=("m",))
    assert manifest.settings == Settings()  # a default made afresh by its factory


def test_a_missing_or_unknown_field_is_named() -> None:
    with pytest.raises(TypeError, match="missing the field 'prompt'"):
        SingleQuestion(id="q", type="single", options=())  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="has no field 'prompts'"):
        single(prompts="typo")
    with pytest.raises(TypeError):
        Option("yes")  # type: ignore[call-arg]  # fields are named, never given by position


def test_a_model_cannot_be_changed() -> None:
    question = single()
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.prompt = "Changed?"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del question.prompt
    assert question.prompt == "Which?"


def test_models_are_equal_and_hash_alike_by_class_and_every_field() -> None:
    assert single() == single() and hash(single()) == hash(single())
    assert single() != single(prompt="Which one?")
    assert Option(text="yes") != Option(text="yes", correct=True)
    assert len({single(), single(), single(points=2.0)}) == 2


def test_a_model_shows_its_class_and_fields() -> None:
    assert repr(Option(text="yes")) == (
        "Option(text='yes', correct=False, feedback=None, credit=None)")


def test_checks_run_when_a_model_is_made_in_code_and_when_it_is_replaced() -> None:
    with pytest.raises(ContentError, match="not a valid regular expression"):
        ShortQuestion(id="s", prompt="Say", type="short", accept=("(",), match="regex")
    question = dataclasses.replace(single(), prompt="Which now?")
    assert question.prompt == "Which now?" and question.options == single().options


def test_a_model_survives_pickling_unchanged() -> None:
    assert pickle.loads(pickle.dumps(single())) == single()


def test_a_module_finds_its_lessons_by_id() -> None:
    first, second = (Lesson(id=ident, title=ident.title(), steps=(TextStep(text="Read."),))
                     for ident in ("first", "second"))
    module = Module(id="m", title="M", summary="S", lessons=(first, second))
    assert module.lesson("second") is second and module.lesson("first") is first
    assert module.lesson("third") is None and module.lesson(None) is None
