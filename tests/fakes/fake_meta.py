"""A fake WhatsApp Cloud API (Graph) that validates sends and pushes signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.server import JSON, FakePlatform

BSUID_RE = re.compile(r"^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]+$")
DISPLAY_NUMBER = "493450000000"
WINDOW_SECONDS = 24 * 3600
PHONE_INFO: JSON = {
    "display_phone_number": "+49 345 0000000",
    "verified_name": "Handwerkskammer Test",
    "quality_rating": "GREEN",
    "code_verification_status": "VERIFIED",
    "messaging_limit_tier": "TIER_1K",
}


class GraphError(Exception):
    """A Graph API error with its code, title and details."""

    def __init__(self, code: int, title: str, details: str, status: int = 400) -> None:
        super().__init__(f"({code}) {title}: {details}")
        self.code, self.title, self.details, self.status = code, title, details, status

    def body(self) -> JSON:
        """The Graph error response body."""
        return {
            "error": {
                "message": f"(#{self.code}) {self.title}",
                "type": "OAuthException",
                "code": self.code,
                "error_data": {"messaging_product": "whatsapp", "details": self.details},
                "fbtrace_id": "A" + secrets.token_hex(11),
            }
        }


def _invalid(details: str) -> GraphError:
    return GraphError(100, "Invalid parameter", details)


def is_bsuid(user: str) -> bool:
    """Whether `user` is a business-scoped user id like "DE.1234ABCD"."""
    return BSUID_RE.match(user) is not None


def user_key(user: str) -> str:
    """Normalize a recipient: BSUIDs stay, phone numbers keep their digits only."""
    return user if is_bsuid(user) else re.sub(r"\D", "", user)


def _check_len(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise _invalid(f"{name} must be a string of {low} to {high} characters")


def _check_list(name: str, value: Any, low: int, high: int) -> list[JSON]:
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise _invalid(f"{name} must have {low} to {high} items")
    if not all(isinstance(item, dict) for item in value):
        raise _invalid(f"{name} must contain objects")
    return value


def _part(payload: JSON, key: str) -> JSON:
    value = payload.get(key)
    if not isinstance(value, dict):
        raise _invalid(f"{key} object is required")
    return value


def _check_text(payload: JSON) -> None:
    _check_len("text.body", _part(payload, "text").get("body"), 1, 4096)


def _check_image(payload: JSON) -> None:
    image = _part(payload, "image")
    link = image.get("link")
    if not isinstance(link, str) or not link.startswith(("http://", "https://")):
        raise _invalid("image.link is required")
    if "caption" in image:
        _check_len("image.caption", image["caption"], 0, 1024)


def _check_interactive(payload: JSON) -> None:
    inter = _part(payload, "interactive")
    body_text = (inter.get("body") or {}).get("text")
    header = inter.get("header")
    if isinstance(header, dict) and header.get("type") == "text":
        _check_len("header.text", header.get("text"), 1, 60)
    if "footer" in inter:
        _check_len("footer.text", (inter["footer"] or {}).get("text"), 1, 60)
    action = inter.get("action") or {}
    if inter.get("type") == "button":
        _check_len("body.text", body_text, 1, 1024)
        buttons = _check_list("action.buttons", action.get("buttons"), 1, 3)
        titles: list[str] = []
        ids: list[str] = []
        for button in buttons:
            reply = button.get("reply")
            if button.get("type") != "reply" or not isinstance(reply, dict):
                raise _invalid('each button must be {"type": "reply", "reply": {id, title}}')
            _check_len("button reply.id", reply.get("id"), 1, 256)
            _check_len("button reply.title", reply.get("title"), 1, 20)
            titles.append(reply["title"])
            ids.append(reply["id"])
        if len(set(titles)) != len(titles) or len(set(ids)) != len(ids):
            raise _invalid("button titles and ids must be unique")
    elif inter.get("type") == "list":
        _check_len("body.text", body_text, 1, 4096)
        _check_len("action.button", action.get("button"), 1, 20)
        sections = _check_list("action.sections", action.get("sections"), 1, 10)
        rows: list[JSON] = []
        for section in sections:
            if len(sections) > 1 or "title" in section:
                _check_len("section.title", section.get("title"), 1, 24)
            rows.extend(_check_list("section.rows", section.get("rows"), 1, 10))
        _check_list("rows across all sections", rows, 1, 10)
        for row in rows:
            _check_len("row.id", row.get("id"), 1, 200)
            _check_len("row.title", row.get("title"), 1, 24)
            if "description" in row:
                _check_len("row.description", row["description"], 0, 72)
        if len({row["id"] for row in rows}) != len(rows):
            raise _invalid("row ids must be unique")
    else:
        raise _invalid(f"unsupported interactive type {inter.get('type')!r}")


class FakeMeta(FakePlatform):
    """WhatsApp Cloud API on 127.0.0.1: limits, 24 h window, faults, signed webhooks."""

    def __init__(
        self,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
        access_token: str,
        *,
        templates: dict[str, set[str]] | None = None,
        retries: int = 3,
        retry_delay: float = 0.2,
        pair_interval: float | None = None,
    ) -> None:
        super().__init__(retries=retries, retry_delay=retry_delay)
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.phone_number_id = phone_number_id
        self.access_token = access_token
        self.templates = templates if templates is not None else {}
        self.pair_interval = pair_interval
        self.push_secret: str | None = app_secret
        self.last_inbound: dict[str, float] = {}
        self.sent: list[JSON] = []
        self.dropped: list[JSON] = []
        self.marked_read: list[str] = []
        self._last_accepted: dict[str, float] = {}

    def app(self) -> web.Application:
        """The aiohttp application serving the Graph endpoints."""
        app = web.Application()
        app.router.add_post("/{version}/{phone_id}/messages", self._messages)
        app.router.add_get("/{version}/{phone_id}", self._phone)
        return app

    # API side

    def _denied(self, request: web.Request, method: str) -> web.Response | None:
        if request.headers.get("Authorization") == f"Bearer {self.access_token}":
            if request.match_info["phone_id"] == self.phone_number_id:
                return None
            phone_id = request.match_info["phone_id"]
            error = _invalid(f"Object with ID '{phone_id}' does not exist")
            return self._reject(method, 400, str(error), error.body())
        body = {
            "error": {
                "message": "Invalid OAuth access token.",
                "type": "OAuthException",
                "code": 190,
                "fbtrace_id": "A" + secrets.token_hex(11),
            }
        }
        return self._reject(method, 401, "(190) Invalid OAuth access token.", body)

    async def _phone(self, request: web.Request) -> web.Response:
        self.calls.append(("phone_number", dict(request.query)))
        denied = self._denied(request, "phone_number")
        if denied is not None:
            return denied
        return web.json_response({**PHONE_INFO, "id": self.phone_number_id})

    async def _messages(self, request: web.Request) -> web.Response:
        try:
            payload = await request.json()
        except ValueError:
            payload = None
        payload = payload if isinstance(payload, dict) else {}
        self.calls.append(("messages", payload))
        denied = self._denied(request, "messages")
        if denied is not None:
            return denied
        scripted = await self._scripted()
        if scripted is not None:
            return scripted
        try:
            result = self._accept(payload)
        except GraphError as exc:
            return self._reject("messages", exc.status, str(exc), exc.body())
        return web.json_response(result)

    def _accept(self, payload: JSON) -> JSON:
        if payload.get("messaging_product") != "whatsapp":
            raise _invalid('messaging_product must be "whatsapp"')
        if payload.get("status") == "read":
            if not payload.get("message_id"):
                raise _invalid("message_id is required")
            self.marked_read.append(str(payload["message_id"]))
            return {"success": True}
        if ("to" in payload) == ("recipient" in payload):
            raise _invalid("exactly one of to and recipient is required")
        user = str(payload.get("to") or payload.get("recipient") or "")
        if not user:
            raise _invalid("to or recipient must not be empty")
        if payload.get("recipient_type", "individual") != "individual":
            raise _invalid('recipient_type must be "individual"')
        kind = payload.get("type", "text")
        checks: dict[str, Callable[[JSON], None]] = {
            "text": _check_text,
            "interactive": _check_interactive,
            "template": self._check_template,
            "image": _check_image,
        }
        if kind not in checks:
            raise _invalid(f"unsupported message type {kind!r}")
        checks[kind](payload)
        key, wamid = user_key(user), f"wamid.{uuid.uuid4().hex}"
        contact: JSON = {"input": user}
        contact.update({"user_id": user} if is_bsuid(user) else {"wa_id": key})
        result: JSON = {
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [{"id": wamid}],
        }
        if "to" in payload and is_bsuid(user):
            self.dropped.append({**payload, "_id": wamid})
            return result
        now = self.now()
        last = self.last_inbound.get(key)
        if kind != "template" and (last is None or now - last > WINDOW_SECONDS):
            raise GraphError(
                131047,
                "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the "
                "customer last replied to this number.",
            )
        previous = self._last_accepted.get(key)
        pair = self.pair_interval
        if pair is not None and previous is not None and now - previous < pair:
            raise GraphError(
                131056,
                "(Business Account, Consumer Account) pair rate limit hit",
                "Message failed to send because there were too many messages sent from "
                "this phone number to the same phone number in a short period of time.",
            )
        self._last_accepted[key] = now
        self.sent.append({**payload, "_id": wamid})
        return result

    def _check_template(self, payload: JSON) -> None:
        template = _part(payload, "template")
        name = template.get("name")
        code = (template.get("language") or {}).get("code")
        if not isinstance(name, str) or code not in self.templates.get(name, set()):
            raise GraphError(
                132001,
                "Template name does not exist in the translation",
                f"template name ({name}) does not exist in {code}",
            )

    # Test side

    def _to(self, user: str) -> list[JSON]:
        key = user_key(user)
        return [m for m in self.sent if user_key(str(m.get("to") or m.get("recipient"))) == key]

    def texts_to(self, user: str) -> list[str]:
        """Texts of accepted sends to `user`: bodies, captions and "[template:NAME]"."""
        texts: list[str] = []
        for message in self._to(user):
            kind = message.get("type", "text")
            if kind == "text":
                texts.append(message["text"]["body"])
            elif kind == "interactive":
                texts.append(message["interactive"]["body"]["text"])
            elif kind == "template":
                texts.append(f"[template:{message['template']['name']}]")
            elif kind == "image" and message["image"].get("caption"):
                texts.append(message["image"]["caption"])
        return texts

    def last_interactive(self, user: str) -> JSON | None:
        """The `interactive` object of the last accepted interactive send to `user`."""
        for message in reversed(self._to(user)):
            if message.get("type") == "interactive":
                interactive: JSON = message["interactive"]
                return interactive
        return None

    def _envelope(self, value: JSON) -> JSON:
        metadata = {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.phone_number_id}
        value = {"messaging_product": "whatsapp", "metadata": metadata, **value}
        change = {"field": "messages", "value": value}
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA_ID", "changes": [change]}],
        }

    def _headers(self, data: bytes) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.push_secret is not None:
            digest = hmac.new(self.push_secret.encode(), data, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = f"sha256={digest}"
        return headers

    async def push_body(self, body: JSON) -> list[int]:
        """Serialize like Meta (ASCII-escaped), sign and POST `body`, re-posting on failure."""
        return await self._push(body, "body")

    async def _push(self, body: JSON, key: str) -> list[int]:
        data = json.dumps(body, ensure_ascii=True).encode()
        return await self._post(key, data, self._headers(data))

    async def push_message(
        self,
        user: str,
        *,
        text: str | None = None,
        button_reply: tuple[str, str] | None = None,
        list_reply: tuple[str, str] | None = None,
        wamid: str | None = None,
        profile_name: str = "Test Person",
        bsuid_only: bool = False,
    ) -> tuple[str, list[int]]:
        """Push an inbound message from `user` (opens the window); return wamid and statuses."""
        if sum(x is not None for x in (text, button_reply, list_reply)) != 1:
            raise ValueError("give exactly one of text, button_reply and list_reply")
        wamid = wamid or f"wamid.HBgM{uuid.uuid4().hex.upper()}"
        message: JSON = {"id": wamid, "timestamp": str(int(self.now()))}
        contact: JSON = {"profile": {"name": profile_name}}
        if bsuid_only:
            message["from_user_id"] = contact["user_id"] = user
        else:
            message["from"] = contact["wa_id"] = user
        if text is not None:
            message.update(type="text", text={"body": text})
        else:
            if button_reply is not None:
                button = {"id": button_reply[0], "title": button_reply[1]}
                reply: JSON = {"type": "button_reply", "button_reply": button}
            else:
                assert list_reply is not None
                row = {"id": list_reply[0], "title": list_reply[1], "description": ""}
                reply = {"type": "list_reply", "list_reply": row}
            message.update(type="interactive", interactive=reply)
            earlier = self._to(user)
            if earlier:
                message["context"] = {"from": DISPLAY_NUMBER, "id": earlier[-1]["_id"]}
        self.last_inbound[user_key(user)] = self.now()
        body = self._envelope({"contacts": [contact], "messages": [message]})
        return wamid, await self._push(body, f"user:{user}")

    async def push_status(
        self,
        wamid: str,
        status: str,
        *,
        user: str,
        errors: list[JSON] | None = None,
        biz_opaque_callback_data: str | None = None,
    ) -> list[int]:
        """Push a status webhook; biz_opaque_callback_data defaults to the value sent."""
        entry: JSON = {"id": wamid, "status": status, "timestamp": str(int(self.now()))}
        entry["recipient_user_id" if is_bsuid(user) else "recipient_id"] = user
        if errors is not None:
            entry["errors"] = errors
        if biz_opaque_callback_data is None:
            sent = next((m for m in self.sent if m["_id"] == wamid), {})
            biz_opaque_callback_data = sent.get("biz_opaque_callback_data")
        if biz_opaque_callback_data is not None:
            entry["biz_opaque_callback_data"] = biz_opaque_callback_data
        return await self._push(self._envelope({"statuses": [entry]}), f"user:{user}")

    async def raw_post(self, body_bytes: bytes, signature: str | None) -> int:
        """POST raw bytes once with the given X-Hub-Signature-256 value (None: no header)."""
        if self.webhook_url is None:
            raise RuntimeError("webhook_url is not set")
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook_url, data=body_bytes, headers=headers) as resp,
        ):
            return resp.status

    async def verify_handshake(self, token: str, challenge: str = "1158201444") -> tuple[int, str]:
        """GET the webhook with the subscribe handshake; return status and body text."""
        if self.webhook_url is None:
            raise RuntimeError("webhook_url is not set")
        params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge}
        async with (
            aiohttp.ClientSession() as session,
            session.get(self.webhook_url, params=params) as resp,
        ):
            return resp.status, await resp.text()
