"""Rasa NLU component: a message in another language is out of scope, whatever DIET
guessed, so that one action answers it (in German, with one English sentence).

Runs inside Rasa's environment, after the FallbackClassifier (config.yml:
`bot.nlu.language_guard.LanguageGuard`).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import is_foreign_language

OUT_OF_SCOPE = {"name": "out_of_scope", "confidence": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageGuard(GraphComponent):  # type: ignore[misc]
    """Sets the intent of foreign-language messages to out_of_scope."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGuard:
        """The guard has no state."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark foreign-language messages as out of scope."""
        for message in messages:
            text = message.get("text")
            if text and is_foreign_language(str(text)):
                message.set("intent", dict(OUT_OF_SCOPE), add_to_output=True)
                message.set("intent_ranking", [dict(OUT_OF_SCOPE)], add_to_output=True)
        return messages
