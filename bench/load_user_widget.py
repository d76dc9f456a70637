"""The measuring people of `make bench-load` (bench/load_users.py, modes `widget` and
`rest`): one question after the other in the chat widget, closed loop, no think time;
and the same people straight to Rasa's REST channel (the baseline)."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from typing import Any

import gevent  # type: ignore[import-untyped]
import locust  # noqa: F401  first of the two: it monkey-patches before websocket imports ssl
import websocket
from locust import FastHttpUser, User, constant, task
from locust.env import Environment

from bench.load_user_common import (
    CONNECT_TIMEOUT,
    NOTICE,
    SHARED,
    TURN_TIMEOUT,
    Asker,
    ConnectionLostError,
    config,
    older,
    park,
    receive,
    record,
    reply_of,
)


class WidgetUser(User):
    """A person in the chat widget, asking one question after the other."""

    wait_time = constant(0)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.asker = Asker()

    @task
    def conversation(self) -> None:
        if SHARED.stopping:
            park()
        began = time.monotonic()
        try:
            ws = websocket.create_connection(config().url, timeout=CONNECT_TIMEOUT)
        except (websocket.WebSocketException, OSError):
            record(self, "connect", began)
            gevent.sleep(1)
            return
        try:
            receive(ws, TURN_TIMEOUT)  # the welcome
            for _ in range(config().turns):
                if SHARED.stopping or not self.turn(ws):
                    break
        except (ConnectionLostError, websocket.WebSocketTimeoutException):
            record(self, "connect", began)
        finally:
            ws.close()

    def turn(self, ws: websocket.WebSocket) -> bool:
        """One message and its first reply; False if the socket is no longer usable."""
        text = self.asker.next_text()
        ident = uuid.uuid4().hex[:24]
        began = time.monotonic()
        acked: float | None = None
        stored_id: int | None = None
        try:
            ws.send(json.dumps({"type": "message", "id": ident, "text": text}))
            while True:
                frame = receive(ws, began + TURN_TIMEOUT - time.monotonic())
                if frame.get("type") == "ack" and frame.get("id") == ident:
                    acked = time.monotonic()
                    stored = (frame.get("message") or {}).get("id")
                    stored_id = stored if isinstance(stored, int) else None
                elif frame.get("type") == "reject" and frame.get("id") == ident:
                    record(self, "reject", began, text=text)
                    return True
                elif (message := reply_of(frame)) is not None:
                    body = str(message.get("text") or "")
                    self.asker.saw(body)
                    if acked is None:
                        continue  # the last bubbles of the turn before
                    if older(message, stored_id):
                        continue  # a stored bubble from before the message
                    kind = "notice" if NOTICE in body else "answer"
                    after = time.monotonic() - acked
                    record(self, kind, began, after_ack=after, sourced="Quelle:" in body, text=text)
                    return True
        except websocket.WebSocketTimeoutException:
            record(self, "timeout", began, text=text)
            return False
        except (ConnectionLostError, websocket.WebSocketException, OSError):
            record(self, "closed", began, text=text)
            return False


class RestUser(FastHttpUser):
    """The same person, straight to Rasa's REST channel (no gateway, no widget)."""

    wait_time = constant(0)
    network_timeout = TURN_TIMEOUT
    connection_timeout = CONNECT_TIMEOUT

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.asker = Asker()

    @task
    def conversation(self) -> None:
        if SHARED.stopping:
            park()
        sender = uuid.uuid4().hex
        for _ in range(config().turns):
            if SHARED.stopping:
                return
            text = self.asker.next_text()
            began = time.monotonic()
            body = {"sender": sender, "message": text}
            with self.client.post(
                "/webhooks/rest/webhook", json=body, name="question", catch_response=True
            ) as response:
                replies: Any = None
                if response.status_code == 200:
                    with contextlib.suppress(ValueError):
                        replies = response.json()
                texts = [str(r.get("text") or "") for r in replies or [] if isinstance(r, dict)]
                for reply in texts:
                    self.asker.saw(reply)
                if not texts:
                    response.failure("no reply" if replies is not None else "error")
                    kind = "empty" if replies is not None else "error"
                else:
                    response.success()
                    kind = "answer"
            latency = time.monotonic() - began
            SHARED.turns.append(
                {
                    "done": time.time(),
                    "kind": kind,
                    "latency_s": round(latency, 4),
                    "after_ack_s": None,
                    "sourced": any("Quelle:" in reply for reply in texts),
                    "text": text,
                }
            )
