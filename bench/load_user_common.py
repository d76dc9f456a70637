"""What the simulated people of `make bench-load` share (bench/load_users.py): the
questions, the timeouts, the settings and results of the process, the WebSocket frames
and the recording of a turn."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
import locust  # noqa: F401  first of the two: it monkey-patches before websocket imports ssl
import websocket
from locust import User

# knowledge questions of tradespeople (none of them asks for a person)
QUESTIONS = [
    "Was ist eine E-Rechnung?",
    "Ab wann muss ich E-Rechnungen empfangen können?",
    "Welche Formate gibt es für die E-Rechnung?",
    "Brauche ich eine TSE für meine Registrierkasse?",
    "Wie melde ich meine Kasse beim Finanzamt an?",
    "Was kostet eine eigene Website für meinen Betrieb?",
    "Was muss ins Impressum meiner Website?",
    "Welche Datenschutzpflichten habe ich als Handwerksbetrieb?",
    "Darf ich Fotos von Kundenaufträgen auf Instagram zeigen?",
    "Wie fange ich mit Social Media an?",
    "Welche Förderung gibt es für die Digitalisierung?",
    "Gibt es Zuschüsse für neue Software im Betrieb?",
    "Ist eine Cloud für meine Dateien sicher?",
    "Wie schütze ich meinen Betrieb vor Ransomware?",
    "Was tue ich bei einer Phishing-Mail?",
    "Wie können Kunden online Termine bei mir buchen?",
    "Welche Handwerkersoftware passt zu meinem Betrieb?",
    "Wie erfasse ich die Arbeitszeit auf der Baustelle digital?",
    "Wie lange muss ich Rechnungen aufbewahren?",
    "Was bringt ein Google-Unternehmensprofil?",
    "Darf ich KI für Texte im Betrieb nutzen?",
]
# answers to the bot's question for the trade
TRADES = ["Bäckerei", "Friseur", "Elektrotechnik", "Tischlerei", "Kfz-Werkstatt", "Dachdecker"]
ASKS_TRADE = "In welchem Bereich ist Ihr Betrieb tätig"
# bot/texts.py UNAVAILABLE: "Der digitale Assistent ist gerade kurz nicht erreichbar …"
NOTICE = "nicht erreichbar"

SPAWN_RATE = 25.0  # users per second
TURN_TIMEOUT = 30.0  # widget and rest: a turn without a reply counts as a timeout
CONNECT_TIMEOUT = 10.0
# fault mode, as the widget: a message without ack (or a ping without pong) this long
# means the socket is half-open; a ping after this much silence
ACK_TIMEOUT = 5.0
PING_EVERY = 20.0
# fault mode: a message still without answer or notice this long is given up on
GIVE_UP = 120.0


@dataclass
class Config:
    """What the orchestrator asked for."""

    mode: str
    url: str
    users: int
    seconds: float
    warmup: float
    turns: int
    drain: float
    out: Path


@dataclass
class Shared:
    """What all users of this process share: the settings, the results, the phase."""

    config: Config | None = None
    stopping: bool = False
    parked: int = 0
    turns: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)


SHARED = Shared()


def config() -> Config:
    """The settings (set by main before any user starts)."""
    assert SHARED.config is not None
    return SHARED.config


def park() -> None:
    """Stop sending: the measured window is over. Locust kills the greenlet later."""
    SHARED.parked += 1
    while True:
        gevent.sleep(3600)


class ConnectionLostError(Exception):
    """The socket closed, broke or stopped carrying frames."""


def receive(ws: websocket.WebSocket, timeout: float) -> dict[str, Any]:
    """The next JSON frame within `timeout` s (websocket.WebSocketTimeoutException if
    none); ConnectionLostError if the socket closed or broke."""
    ws.settimeout(max(0.05, timeout))
    try:
        raw = ws.recv()
    except websocket.WebSocketTimeoutException:
        raise
    except (websocket.WebSocketException, OSError) as error:
        raise ConnectionLostError(str(error)) from error
    if not raw:  # a close frame
        raise ConnectionLostError("closed")
    frame = json.loads(raw)
    return frame if isinstance(frame, dict) else {}


def reply_of(frame: dict[str, Any]) -> dict[str, Any] | None:
    """The bot's or the gateway's message in a frame, None for anything else."""
    if frame.get("type") != "message" or not isinstance(frame.get("message"), dict):
        return None
    message: dict[str, Any] = frame["message"]
    return message if message.get("sender") in ("bot", "system") else None


def older(reply: dict[str, Any], stored_id: int | None) -> bool:
    """True for a stored reply from before the stored message `stored_id`."""
    reply_id = reply.get("id")
    return isinstance(reply_id, int) and stored_id is not None and reply_id < stored_id


class Asker:
    """The next thing a person types: a question (in turn, from a random start) or the
    trade if the bot just asked for it."""

    def __init__(self) -> None:
        self._next = random.randrange(len(QUESTIONS))
        self.trade_asked = False

    def next_text(self) -> str:
        if self.trade_asked:
            self.trade_asked = False
            return random.choice(TRADES)
        text = QUESTIONS[self._next % len(QUESTIONS)]
        self._next += 1
        return text

    def saw(self, text: str) -> None:
        if ASKS_TRADE in text:
            self.trade_asked = True


def record(
    user: User,
    kind: str,
    began: float,
    *,
    after_ack: float | None = None,
    sourced: bool = False,
    text: str = "",
) -> None:
    """One turn: its outcome, its latency (send → first reply) and a locust event."""
    latency = time.monotonic() - began
    SHARED.turns.append(
        {
            "done": time.time(),
            "kind": kind,
            "latency_s": round(latency, 4),
            "after_ack_s": None if after_ack is None else round(after_ack, 4),
            "sourced": sourced,
            "text": text,
        }
    )
    user.environment.events.request.fire(
        request_type="WS" if config().mode != "rest" else "POST",
        name="question",
        response_time=latency * 1000,
        response_length=0,
        exception=None if kind == "answer" else Exception(kind),
        context={},
    )
