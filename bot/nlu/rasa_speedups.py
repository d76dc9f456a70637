"""Two costs Rasa pays on every message for nothing, removed without changing what
it computes (measured in bench/results/profile.md):

- it validates every action server response with `jsonschema.validate`, which first
  checks the never-changing schema against its meta-schema: 42 ms per response,
  a third of Rasa's CPU time. Here a schema is checked once per process; every
  response is still validated.
- it finds an event's class by walking all subclasses of `Event` for every stored
  event it loads, so loading a tracker costs more the longer the conversation.
  The class hierarchy does not change after start: the walk is remembered.

Applied by our Rasa entry point (bot/nlu/rasa_main.py) before Rasa starts.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from jsonschema import exceptions, validators

_checked: set[str] = set()


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate`, checking each distinct schema only the first time."""
    if cls is None:
        cls = validators.validator_for(schema)
    key = f"{cls.__name__}:{json.dumps(schema, sort_keys=True, default=repr)}"
    if key not in _checked:
        cls.check_schema(schema)
        _checked.add(key)
    error = exceptions.best_match(cls(schema, *args, **kwargs).iter_errors(instance))
    if error is not None:
        raise error


def apply() -> None:
    """Install both in this process (Rasa's environment)."""
    import rasa.shared.utils.common as common  # only in Rasa's environment

    jsonschema.validate = validate
    walk = common.all_subclasses
    common.all_subclasses = functools.cache(walk)
