import pytest

from bot.frames import FrameError, ResumeFrame, UserFrame, parse_frame


def test_message_frame_with_and_without_payload() -> None:
    assert parse_frame('{"type": "message", "text": "Hallo"}') == UserFrame(
        type="message", text="Hallo"
    )
    frame = parse_frame('{"type": "message", "text": "Hilfe", "payload": "/help"}')
    assert frame == UserFrame(type="message", text="Hilfe", payload="/help")


def test_resume_frame_carries_the_conversation_id() -> None:
    frame = parse_frame('{"type": "resume", "conversation_id": "' + "a" * 32 + '"}')
    assert frame == ResumeFrame(type="resume", conversation_id="a" * 32)


@pytest.mark.parametrize(
    "raw",
    [
        "kein json",
        "[1, 2]",
        '{"type": "message"}',
        '{"type": "other", "text": "x"}',
        '{"type": "message", "text": 5}',
        '{"type": "message", "text": "x", "extra": true}',
        '{"type": "resume"}',
        '{"type": "resume", "conversation_id": "' + "a" * 65 + '"}',
    ],
)
def test_malformed_frames_are_refused(raw: str) -> None:
    with pytest.raises(FrameError):
        parse_frame(raw)
