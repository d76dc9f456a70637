"""A fake Telegram Bot API that validates like the real one and pushes webhook updates."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.fakes.server import JSON, FakePlatform
from tests.fakes.telegram_text import (
    ApiError,
    check_inline_keyboard,
    flat_buttons,
    plain_text,
    utf16_len,
)

BOT_USER: JSON = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Werkbot Test",
    "username": "werkbot_test_bot",
}
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendChatAction",
        "answerCallbackQuery",
        "editMessageReplyMarkup",
        "editMessageText",
    }
)
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class FakeTelegram(FakePlatform):
    """Bot API on 127.0.0.1: validates requests, injects faults, pushes signed updates."""

    def __init__(
        self,
        token: str,
        secret_token: str,
        *,
        retries: int = 3,
        retry_delay: float = 0.2,
        callback_timeout: float = 10.0,
        min_chat_interval: float = 0.9,
    ) -> None:
        super().__init__(retries=retries, retry_delay=retry_delay)
        self.token = token
        self.secret_token = secret_token
        self.push_secret: str | None = secret_token
        self.callback_timeout = callback_timeout
        self.min_chat_interval = min_chat_interval
        self.sent: list[JSON] = []
        self.answered_callbacks: list[str] = []
        self.rate_violations: list[tuple[int, float]] = []
        self.blocked: set[int] = set()
        self.registered_url = ""
        self.registered_secret: str | None = None
        self.allowed_updates: list[str] | None = None
        self.max_connections = 40
        self.pending_update_count = 0
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._update_id = 100_000
        self._message_id = 0
        self._messages: dict[tuple[int, int], JSON] = {}
        self._last_send: dict[int, float] = {}
        self._callbacks: dict[str, float] = {}

    def app(self) -> web.Application:
        """The aiohttp application serving the Bot API."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        return app

    # API side

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await _read_body(request)
        self.calls.append((method, body))
        if request.match_info["token"] != self.token:
            return self._error(method, 401, "Unauthorized", prefix="")
        handler = self._handlers().get(method)
        if handler is None:
            return self._error(method, 404, "Not Found", prefix="")
        if method in SEND_METHODS:
            scripted = await self._scripted()
            if scripted is not None:
                return scripted
        try:
            result = await handler(body)
        except ApiError as exc:
            self.rejections.append((method, str(exc)))
            return web.json_response(
                {"ok": False, "error_code": exc.code, "description": str(exc)}, status=exc.code
            )
        return web.json_response({"ok": True, "result": result})

    def _error(self, method: str, code: int, description: str, prefix: str) -> web.Response:
        text = prefix + description
        body = {"ok": False, "error_code": code, "description": text}
        return self._reject(method, code, text, body)

    def _handlers(self) -> dict[str, Callable[[JSON], Awaitable[Any]]]:
        return {
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback,
            "editMessageReplyMarkup": self._edit_markup,
            "editMessageText": self._edit_text,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "deleteWebhook": self._delete_webhook,
            "getMe": self._get_me,
        }

    def _chat(self, body: JSON) -> int:
        try:
            chat_id = int(body["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise ApiError("chat not found") from None
        if chat_id in self.blocked:
            raise ApiError("bot was blocked by the user", code=403, prefix="Forbidden: ")
        return chat_id

    def _text(self, body: JSON, key: str, limit: int, too_long: str) -> str:
        text = body.get(key)
        if key == "caption" and not text:
            return ""
        if not isinstance(text, str) or not text.strip():
            raise ApiError("message text is empty")
        plain = plain_text(text, body.get("parse_mode"))
        if key == "text" and not plain.strip():
            raise ApiError("message text is empty")
        if utf16_len(plain) > limit:
            raise ApiError(too_long)
        return text

    def _store(self, chat_id: int, extra: JSON, markup: Any) -> JSON:
        self._message_id += 1
        message: JSON = {
            "message_id": self._message_id,
            "from": dict(BOT_USER),
            "chat": {"id": chat_id, "type": "private"},
            "date": int(self.now()),
            **extra,
        }
        if markup is not None:
            message["reply_markup"] = markup
        now = self.now()
        last = self._last_send.get(chat_id)
        if last is not None and now - last < self.min_chat_interval:
            self.rate_violations.append((chat_id, now - last))
        self._last_send[chat_id] = now
        self._messages[(chat_id, self._message_id)] = message
        self.sent.append(message)
        return message

    async def _send_message(self, body: JSON) -> JSON:
        chat_id = self._chat(body)
        text = self._text(body, "text", 4096, "message is too long")
        check_inline_keyboard(body.get("reply_markup"))
        return self._store(chat_id, {"text": text}, body.get("reply_markup"))

    async def _send_photo(self, body: JSON) -> JSON:
        chat_id = self._chat(body)
        if not body.get("photo"):
            raise ApiError("there is no photo in the request")
        caption = self._text(body, "caption", 1024, "message caption is too long")
        check_inline_keyboard(body.get("reply_markup"))
        photo = [{"file_id": f"AgAC{secrets.token_hex(8)}", "file_unique_id": "AQAD"}]
        extra: JSON = {"photo": photo} | ({"caption": caption} if caption else {})
        return self._store(chat_id, extra, body.get("reply_markup"))

    async def _send_chat_action(self, body: JSON) -> bool:
        self._chat(body)
        if not body.get("action"):
            raise ApiError("wrong parameter action in request")
        return True

    async def _answer_callback(self, body: JSON) -> bool:
        query_id = str(body.get("callback_query_id", ""))
        pushed = self._callbacks.pop(query_id, None)
        if pushed is None or self.now() - pushed > self.callback_timeout:
            raise ApiError(_TOO_OLD)
        self.answered_callbacks.append(query_id)
        return True

    def _message(self, body: JSON) -> JSON:
        chat_id = self._chat(body)
        message = self._messages.get((chat_id, int(body.get("message_id", 0))))
        if message is None:
            raise ApiError("message to edit not found")
        return message

    async def _edit_markup(self, body: JSON) -> JSON:
        message = self._message(body)
        markup = body.get("reply_markup")
        check_inline_keyboard(markup)
        if _norm(markup) == _norm(message.get("reply_markup")):
            raise ApiError(_NOT_MODIFIED)
        _set_markup(message, markup)
        return message

    async def _edit_text(self, body: JSON) -> JSON:
        message = self._message(body)
        text = self._text(body, "text", 4096, "message is too long")
        markup = body.get("reply_markup")
        check_inline_keyboard(markup)
        if text == message.get("text") and _norm(markup) == _norm(message.get("reply_markup")):
            raise ApiError(_NOT_MODIFIED)
        message["text"] = text
        message["edit_date"] = int(self.now())
        _set_markup(message, markup)
        return message

    async def _set_webhook(self, body: JSON) -> bool:
        secret = body.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise ApiError("secret token contains unallowed characters")
        max_connections = int(body.get("max_connections", 40))
        if not 1 <= max_connections <= 100:
            raise ApiError("bad webhook: max_connections must be between 1 and 100")
        self.registered_url = str(body.get("url", ""))
        self.registered_secret = None if secret is None else str(secret)
        self.allowed_updates = body.get("allowed_updates")
        self.max_connections = max_connections
        return True

    async def _get_webhook_info(self, body: JSON) -> JSON:
        info: JSON = {
            "url": self.registered_url,
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
            "max_connections": self.max_connections,
        }
        if self.allowed_updates is not None:
            info["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
        if self.last_error_message is not None:
            info["last_error_message"] = self.last_error_message
        return info

    async def _delete_webhook(self, body: JSON) -> bool:
        self.registered_url = ""
        self.registered_secret = None
        self.allowed_updates = None
        self.max_connections = 40
        return True

    async def _get_me(self, body: JSON) -> JSON:
        return dict(BOT_USER)

    # Test side

    def block(self, chat_id: int) -> None:
        """Make every send to `chat_id` fail with 403 "bot was blocked by the user"."""
        self.blocked.add(chat_id)

    def rate_limit_next(self, retry_after: int, count: int = 1) -> None:
        """Answer the next `count` send calls with 429 and `retry_after`."""
        self.fail_next(
            count,
            status=429,
            body={
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            },
        )

    def next_update_id(self) -> int:
        """A fresh, increasing update_id."""
        self._update_id += 1
        return self._update_id

    def message_update(
        self, chat_id: int, text: str, *, update_id: int | None = None, first_name: str = "Test"
    ) -> JSON:
        """An Update with a private-chat text message from `chat_id`."""
        self._message_id += 1
        user = {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "de"}
        return {
            "update_id": update_id if update_id is not None else self.next_update_id(),
            "message": {
                "message_id": self._message_id,
                "from": user,
                "chat": {"id": chat_id, "first_name": first_name, "type": "private"},
                "date": int(self.now()),
                "text": text,
            },
        }

    def callback_update(
        self, chat_id: int, data: str, *, message_id: int, update_id: int | None = None
    ) -> JSON:
        """An Update with a callback_query for a button on message `message_id`."""
        message = dict(self._messages.get((chat_id, message_id), {}))
        message.update(message_id=message_id, chat={"id": chat_id, "type": "private"})
        message.setdefault("date", int(self.now()))
        return {
            "update_id": update_id if update_id is not None else self.next_update_id(),
            "callback_query": {
                "id": str(secrets.randbelow(10**18) + 10**18),
                "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
                "message": message,
                "chat_instance": str(-chat_id),
                "data": data,
            },
        }

    async def push(self, update: JSON) -> list[int]:
        """POST `update` to webhook_url with the secret header, re-posting on failure."""
        query = update.get("callback_query")
        if isinstance(query, dict):
            self._callbacks.setdefault(str(query["id"]), self.now())
        headers = {"Content-Type": "application/json"}
        if self.push_secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.push_secret
        data = json.dumps(update, ensure_ascii=False).encode()
        return await self._post(f"chat:{_update_chat(update)}", data, headers)

    def texts_to(self, chat_id: int) -> list[str]:
        """Texts and captions successfully sent to `chat_id`, in order."""
        return [
            str(m.get("text", m.get("caption", "")))
            for m in self.sent
            if m["chat"]["id"] == chat_id
        ]

    def last_keyboard(self, chat_id: int) -> list[JSON] | None:
        """Flattened inline buttons of the last message to `chat_id` that has some."""
        for message in reversed(self.sent):
            buttons = flat_buttons(message.get("reply_markup"))
            if message["chat"]["id"] == chat_id and buttons:
                return buttons
        return None


def _norm(markup: Any) -> Any:
    return markup if flat_buttons(markup) or not isinstance(markup, dict) else None


def _set_markup(message: JSON, markup: Any) -> None:
    if _norm(markup) is not None:
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


def _update_chat(update: JSON) -> Any:
    for key in ("message", "edited_message", "callback_query", "my_chat_member"):
        part = update.get(key)
        if isinstance(part, dict):
            chat = part.get("chat") or part.get("message", {}).get("chat") or part.get("from")
            if isinstance(chat, dict):
                return chat.get("id")
    return None


async def _read_body(request: web.Request) -> JSON:
    """Parse a JSON or form-encoded request; JSON-decode nested form fields."""
    if request.content_type == "application/json":
        try:
            data = await request.json()
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        if isinstance(data.get("reply_markup"), str):
            data["reply_markup"] = json.loads(data["reply_markup"])
        return data
    if not request.body_exists:
        return dict(request.query)
    form = await request.post()
    body: JSON = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            body[key] = f"<file:{value.filename}>"
        elif not isinstance(value, str):
            body[key] = value.decode()
        elif key in ("reply_markup", "allowed_updates"):
            try:
                body[key] = json.loads(value)
            except ValueError:
                body[key] = value
        else:
            body[key] = value
    return body
