"""The people of the fault run of `make bench-load` (bench/load_users.py, mode `fault`):
each behaves like the real widget while instances die and the stores restart
(reconnect with backoff, resume, send again what was not acknowledged, ask again after
the notice) and writes down every message sent, acknowledged and answered."""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import gevent  # type: ignore[import-untyped]
import locust  # noqa: F401  first of the two: it monkey-patches before websocket imports ssl
import websocket
from locust import User, constant, task
from locust.env import Environment

from bench.load_user_common import (
    ACK_TIMEOUT,
    CONNECT_TIMEOUT,
    GIVE_UP,
    NOTICE,
    PING_EVERY,
    SHARED,
    Asker,
    ConnectionLostError,
    config,
    park,
    receive,
    reply_of,
)


@dataclass
class Sent:
    """One message of a person in fault mode, and what became of it."""

    id: str
    text: str
    order: int
    sent_at: float  # monotonic, first send
    sent_wall: float
    sends: int = 0
    last_sent: float = 0.0  # monotonic: the acknowledgement is due ACK_TIMEOUT after it
    acked_s: float | None = None  # seconds after the first send
    stored_id: int | None = None
    stored_seen: str | None = None  # "ack" or "history"
    outcome: str | None = None  # "answer", "notice", "reject" or None (nothing came)
    response_s: float | None = None
    reply_stored: bool | None = None
    via: str | None = None  # "live" or "history"
    retry_of: str | None = None
    reconnects_before_answer: int = 0


class FaultUser(User):
    """A person in the real widget while instances die and the stores restart."""

    wait_time = constant(0)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.asker = Asker()
        self.ws: websocket.WebSocket | None = None
        self.conversation_id: str | None = None
        self.messages: list[Sent] = []
        self.record: dict[str, Any] = {}
        self.retries = 0  # failed or lost connections since the last welcome
        self.pause = False  # wait before the next connection attempt
        self.last_ping = 0.0

    @task
    def conversation(self) -> None:
        if SHARED.stopping:
            park()
        self.conversation_id = None
        self.messages = []
        self.pause = False
        self.record = {
            "conversation_id": None,
            "conversation_ids": [],
            "conversation_lost": False,
            "drops": 0,  # sockets lost (closed, broken or silent)
            "failed_connects": 0,  # attempts that got no welcome
            "messages": self.messages,
            "log": [],  # (wall clock, what): for tracing one conversation afterwards
        }
        SHARED.conversations.append(self.record)
        retry: Sent | None = None
        try:
            for order in range(config().turns):
                if SHARED.stopping:
                    break
                text = retry.text if retry is not None else self.asker.next_text()
                message = Sent(uuid.uuid4().hex[:24], text, order, time.monotonic(), time.time())
                message.retry_of = retry.id if retry is not None else None
                self.messages.append(message)
                self.deliver(message)
                retry = message if message.outcome == "notice" else None
        finally:
            self.drop(lost=False)

    def deliver(self, message: Sent) -> None:
        """Send `message` and wait for its first reply, reconnecting as needed."""
        deadline = message.sent_at + GIVE_UP
        if self.ws is not None:
            self.transmit(message)
        while message.outcome is None and time.monotonic() < deadline:
            if self.ws is None:
                self.connect(deadline)
                continue
            waited = time.monotonic() - message.last_sent
            if message.stored_id is None and message.sends and waited > ACK_TIMEOUT:
                self.drop()  # half-open: nothing acknowledged
                continue
            try:
                self.handle(receive(self.ws, 1.0))
            except websocket.WebSocketTimeoutException:
                if time.monotonic() - self.last_ping > PING_EVERY:
                    self.ping()
            except (ConnectionLostError, websocket.WebSocketException, OSError):
                self.drop()

    def note(self, what: str) -> None:
        self.record["log"].append((round(time.time(), 3), what))

    def ping(self) -> None:
        assert self.ws is not None
        try:
            self.ws.send(json.dumps({"type": "ping"}))
            self.last_ping = time.monotonic()
            frame = receive(self.ws, ACK_TIMEOUT)
            while frame.get("type") != "pong":
                self.handle(frame)
                frame = receive(self.ws, ACK_TIMEOUT)
        except (ConnectionLostError, websocket.WebSocketException, OSError):
            self.drop()

    def transmit(self, message: Sent) -> None:
        assert self.ws is not None
        frame = {"type": "message", "id": message.id, "text": message.text}
        try:
            self.ws.send(json.dumps(frame))
            message.sends += 1
            message.last_sent = time.monotonic()
            self.note(f"send {message.id}")
        except (websocket.WebSocketException, OSError):
            self.drop()

    def drop(self, lost: bool = True) -> None:
        """Close the socket; a `lost` one is counted and the next attempt waits."""
        if self.ws is None:
            return
        with contextlib.suppress(websocket.WebSocketException, OSError):
            self.ws.close(timeout=0.5)
        self.ws = None
        self.note("drop" if lost else "close")
        if lost:
            self.record["drops"] += 1
            self.pause = True
            for message in self.messages:
                if message.outcome is None:
                    message.reconnects_before_answer += 1

    def connect(self, deadline: float) -> None:
        """Open a socket, resume the conversation, take in its history and send again
        what is not acknowledged; after a failure wait as the widget does."""
        if self.pause:
            self.retries += 1
            delay = min(10.0, 0.25 * 2**self.retries) * random.uniform(1.0, 1.2)
            gevent.sleep(max(0.0, min(delay, deadline - time.monotonic())))
        self.pause = True  # until the welcome came
        try:
            ws = websocket.create_connection(config().url, timeout=CONNECT_TIMEOUT)
        except (websocket.WebSocketException, OSError) as error:
            self.record["failed_connects"] += 1
            self.note(f"connect failed: {error!r}"[:120])
            return
        try:
            welcome = self.welcome(ws)
        except (ConnectionLostError, websocket.WebSocketException, OSError) as error:
            with contextlib.suppress(websocket.WebSocketException, OSError):
                ws.close(timeout=0.5)
            self.record["failed_connects"] += 1
            self.note(f"no welcome: {error!r}"[:120])
            return
        self.retries = 0
        self.pause = False
        self.ws = ws
        self.last_ping = time.monotonic()
        history = [item.get("id") for item in welcome.get("history") or []]
        self.note(f"welcome {welcome.get('conversation_id')} history {history[-3:]}")
        known = self.conversation_id
        self.conversation_id = welcome["conversation_id"]
        if known != self.conversation_id:
            # a conversation exists once its first message is stored: a new id is right
            # only if nothing was stored yet
            if any(m.stored_id is not None for m in self.messages):
                self.record["conversation_lost"] = True
            self.record["conversation_ids"].append(self.conversation_id)
            self.record["conversation_id"] = self.conversation_id
        for item in welcome.get("history") or []:
            if isinstance(item, dict):
                self.handle({"type": "message", "message": item}, via="history")
        for message in self.messages:
            if message.stored_id is None and message.outcome is None:
                self.transmit(message)

    def welcome(self, ws: websocket.WebSocket) -> dict[str, Any]:
        frame = receive(ws, CONNECT_TIMEOUT)
        while frame.get("type") != "welcome":
            frame = receive(ws, CONNECT_TIMEOUT)
        if self.conversation_id is None or frame.get("conversation_id") == self.conversation_id:
            return frame
        ws.send(json.dumps({"type": "resume", "conversation_id": self.conversation_id}))
        frame = receive(ws, CONNECT_TIMEOUT)
        while frame.get("type") != "welcome":
            frame = receive(ws, CONNECT_TIMEOUT)
        return frame

    def handle(self, frame: dict[str, Any], via: str = "live") -> None:
        """Note an acknowledgement or a reply and whose it is."""
        now = time.monotonic()
        kind = frame.get("type")
        by_id = {m.id: m for m in self.messages}
        if kind in ("ack", "reject", "message") and via == "live":
            shown: dict[str, Any] = frame.get("message") or {}
            self.note(f"{kind} {frame.get('id') or ''} {shown.get('id')} {shown.get('sender')}")
        if kind == "ack" and frame.get("id") in by_id:
            self.stored(by_id[frame["id"]], frame.get("message") or {}, now, "ack")
        elif kind == "reject" and frame.get("id") in by_id:
            self.replied(by_id[frame["id"]], "reject", now, False, via)
        elif kind == "message" and isinstance(frame.get("message"), dict):
            item: dict[str, Any] = frame["message"]
            if item.get("sender") == "user":
                if item.get("client_id") in by_id:  # the history shows it stored
                    self.stored(by_id[item["client_id"]], item, now, "history")
                return
            if (reply := reply_of(frame)) is None:
                return
            body = str(reply.get("text") or "")
            self.asker.saw(body)
            owner = self.owner(reply.get("id"))
            if owner is not None:
                kind_of = "notice" if NOTICE in body else "answer"
                self.replied(owner, kind_of, now, isinstance(reply.get("id"), int), via)

    def stored(self, message: Sent, item: dict[str, Any], now: float, seen: str) -> None:
        if message.stored_id is None:
            message.acked_s = round(now - message.sent_at, 4)
            message.stored_id = item.get("id") if isinstance(item.get("id"), int) else -1
            message.stored_seen = seen

    def replied(self, message: Sent, outcome: str, now: float, stored: bool, via: str) -> None:
        if message.outcome is None:
            message.outcome = outcome
            message.response_s = round(now - message.sent_at, 4)
            message.reply_stored = stored
            message.via = via

    def owner(self, reply_id: object) -> Sent | None:
        """The message a reply answers: with a stored reply, the last stored message
        before it; an unstored notice answers the oldest message still waiting."""
        stored = [m for m in self.messages if m.stored_id is not None]
        if isinstance(reply_id, int):
            before = [m for m in stored if 0 <= (m.stored_id or 0) < reply_id]
            return max(before, key=lambda m: m.stored_id or 0) if before else None
        waiting = [m for m in self.messages if m.outcome is None]
        return waiting[0] if waiting else None
