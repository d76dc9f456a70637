"""Rasa's speed-ups change what it costs, not what it computes."""

from __future__ import annotations

import subprocess

import jsonschema  # type: ignore[import-untyped]
import pytest

from bot.config import ROOT
from bot.nlu import rasa_speedups
from bot.services import RASA_PYTHON

SCHEMA = {"type": "object", "properties": {"events": {"type": "array"}}}


def test_each_schema_is_checked_once_and_every_instance_validated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks: list[object] = []
    validator = jsonschema.validators.validator_for(SCHEMA)
    original = validator.check_schema
    monkeypatch.setattr(rasa_speedups, "_checked", set())

    def counted(schema: object) -> None:
        checks.append(schema)
        original(schema)

    monkeypatch.setattr(validator, "check_schema", counted)
    for _ in range(3):
        rasa_speedups.validate({"events": []}, dict(SCHEMA))  # equal, not the same object
    assert len(checks) == 1
    with pytest.raises(jsonschema.ValidationError):
        rasa_speedups.validate({"events": "kein Array"}, SCHEMA)
    with pytest.raises(jsonschema.SchemaError):
        rasa_speedups.validate({}, {"type": "gibt-es-nicht"})


# inside Rasa's environment, with the speed-ups applied as our entry point does
IN_RASA = """
import jsonschema
from bot.nlu import rasa_speedups
rasa_speedups.apply()
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet
action = RemoteAction("action_x", None)
assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}]})
try:
    action._validate_action_result({"events": [{"event": 5}]})
except jsonschema.ValidationError:
    pass
else:
    raise SystemExit("an invalid action server response passed")
assert Event.resolve_by_type("slot") is SlotSet
assert isinstance(Event.from_parameters({"event": "slot", "name": "a", "value": 1}), SlotSet)
print("ok")
"""


def test_rasa_still_rejects_an_invalid_action_server_response() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", IN_RASA],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
