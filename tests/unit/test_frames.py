import pytest

from bot.frames import FrameError, parse_frame


def test_message_frame_with_and_without_payload() -> None:
    assert parse_frame('{"type": "message", "text": "Hallo"}').payload is None
    frame = parse_frame('{"type": "message", "text": "Hilfe", "payload": "/help"}')
    assert (frame.text, frame.payload) == ("Hilfe", "/help")


@pytest.mark.parametrize(
    "raw",
    [
        "kein json",
        "[1, 2]",
        '{"type": "message"}',
        '{"type": "other", "text": "x"}',
        '{"type": "message", "text": 5}',
        '{"type": "message", "text": "x", "extra": true}',
    ],
)
def test_malformed_frames_are_refused(raw: str) -> None:
    with pytest.raises(FrameError):
        parse_frame(raw)
