"""The widget's WebSocket protocol: frames from the browser, validated."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError


class FrameError(ValueError):
    """A frame that is not valid JSON of the expected shape."""


class UserFrame(BaseModel):
    """A message typed by the person, or a quick reply (title as text plus payload)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["message"]
    text: str
    payload: str | None = None
    # the widget's own id of this message: acknowledged, and a resend is stored once
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,40}$")


class ResumeFrame(BaseModel):
    """The widget's first frame when it knows its conversation: the id travels in the
    socket, never in a URL that ends up in access logs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["resume"]
    conversation_id: str = Field(max_length=64)


class PingFrame(BaseModel):
    """The widget checks that the connection still carries frames (a phone's socket can
    be half-open for minutes); answered with a pong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["ping"]


class TypingFrame(BaseModel):
    """The person is typing (the widget sends it at most every few seconds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["typing"]


Frame = UserFrame | ResumeFrame | PingFrame | TypingFrame
FRAMES: TypeAdapter[Frame] = TypeAdapter(Annotated[Frame, Field(discriminator="type")])


def parse_frame(raw: str) -> Frame:
    """Validate one text frame; raise FrameError with the reason."""
    try:
        return FRAMES.validate_json(raw)
    except ValidationError as error:
        raise FrameError(error.errors()[0]["msg"]) from error
