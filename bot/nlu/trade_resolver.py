"""Rasa NLU component: one authority for the `trade` entity.

DIET recognises trades from context but misses business words it has never seen and
cuts multi-word trades at "und"; the lexicon knows every annotated surface form and
synonym but no context. This component, placed after DIET and the
EntitySynonymMapper, merges both: a lexicon mention replaces the DIET trade entities
it overlaps (its span and trade id win), DIET trades without a lexicon mention are
kept when their value is a known trade id (or its text names one) and dropped
otherwise. Its lexicon is learnt from the training data (annotated trade spans and
synonyms), so cross-validation folds only know their own training part.

Runs inside Rasa's environment (config.yml: `bot.nlu.trade_resolver.TradeEntityResolver`).
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.trade_entities import learn_surfaces, resolve_trades
from bot.nlu.trade_lexicon import TradeLexicon

LEXICON_FILE = "trade_lexicon.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class TradeEntityResolver(GraphComponent, EntityExtractorMixin):  # type: ignore[misc]
    """Merges DIET's trade entities with a lexicon of trade names learnt in training."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        surfaces: dict[str, str] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._surfaces = surfaces or {}
        self._lexicon = TradeLexicon(self._surfaces)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TradeEntityResolver:
        """A resolver with an empty lexicon, to be trained."""
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TradeEntityResolver:
        """The resolver with the lexicon stored at training time."""
        with model_storage.read_from(resource) as directory:
            surfaces = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, surfaces)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the trade surface forms of the training data and store them."""
        examples = [
            (str(message.get("text")), list(message.get("entities") or []))
            for message in training_data.entity_examples
        ]
        self._surfaces = learn_surfaces(examples, dict(training_data.entity_synonyms))
        self._lexicon = TradeLexicon(self._surfaces)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEXICON_FILE).write_text(
                json.dumps(self._surfaces, ensure_ascii=False, sort_keys=True), encoding="utf-8"
            )
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace each message's trade entities with the resolved ones."""
        for message in messages:
            text = message.get("text")
            if not text:
                continue
            entities = resolve_trades(
                str(text), list(message.get("entities") or []), self._lexicon, self.name
            )
            message.set("entities", entities, add_to_output=True)
        return messages
