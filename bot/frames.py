"""The widget's WebSocket protocol: frames from the browser, validated."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError


class FrameError(ValueError):
    """A frame that is not valid JSON of the expected shape."""


class UserFrame(BaseModel):
    """A message typed by the person, or a quick reply (title as text plus payload)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["message"]
    text: str
    payload: str | None = None


def parse_frame(raw: str) -> UserFrame:
    """Validate one text frame; raise FrameError with the reason."""
    try:
        return UserFrame.model_validate_json(raw)
    except ValidationError as error:
        raise FrameError(error.errors()[0]["msg"]) from error
