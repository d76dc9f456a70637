"""WhatsApp Business Cloud API: verify and parse webhooks, render interactive
messages within Meta's limits, send and classify errors."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from bot.channels import WHATSAPP
from bot.channels.base import ApiCall, Button, Incoming, Kind, Outcome, SendResult, StatusReport
from bot.channels.identities import Address
from bot.channels.settings import WhatsAppSettings
from bot.channels.text import short_titles, shorten, split_text

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_BUTTON_BODY = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
LIST_BUTTON = "Auswahl"
BUTTONS_AFTER_TEXT = "Wie möchten Sie weitermachen?"
# the customer-service window, with a margin so that a send never just misses it
WINDOW = timedelta(hours=24) - timedelta(minutes=15)
TIMEOUT = aiohttp.ClientTimeout(total=10)
RETRY_CODES = {1: 5.0, 2: 5.0, 130429: 2.0, 131056: 6.0}  # code → seconds to wait
UNREACHABLE_CODES = {131026}
WINDOW_CODES = {131047}
EXPIRED_TOKEN = 190


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Meta's X-Hub-Signature-256: HMAC-SHA256 over the raw body (never re-serialized:
    Meta signs its ASCII-escaped JSON), compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


class WhatsAppAdapter:
    """The WhatsApp channel."""

    channel = WHATSAPP
    min_spacing = 1.0  # Meta's pair rate tolerates short bursts; 131056 backs off more
    rate_per_second = 60.0  # below the default 80 messages/s per number

    def __init__(self, settings: WhatsAppSettings, session: aiohttp.ClientSession) -> None:
        self.settings = settings
        self._session = session
        self._url = f"{settings.api_url.rstrip('/')}/{settings.phone_number_id}"

    # ----- inbound -----------------------------------------------------------------

    def parse(self, body: dict[str, Any]) -> list[Incoming | StatusReport]:
        """Every message and status of every entry and change for our number."""
        events: list[Incoming | StatusReport] = []
        for entry in _dicts(body.get("entry")):
            for change in _dicts(entry.get("changes")):
                value = change.get("value")
                if not isinstance(value, dict):
                    continue
                number = (value.get("metadata") or {}).get("phone_number_id")
                if str(number) != self.settings.phone_number_id:
                    log.warning("whatsapp webhook for another number ignored")
                    continue
                contacts = _dicts(value.get("contacts"))
                events += [
                    message
                    for raw in _dicts(value.get("messages"))
                    if (message := _message(raw, contacts)) is not None
                ]
                events += [_status(raw) for raw in _dicts(value.get("statuses")) if raw.get("id")]
        return events

    # ----- outbound ----------------------------------------------------------------

    def render(self, text: str, buttons: list[Button]) -> list[ApiCall]:
        """Plain text in parts of 4096; up to three short buttons as reply buttons,
        more (or longer titles) as a list of at most ten rows."""
        parts = split_text(text, MAX_TEXT) or ["…"]
        if not buttons:
            return [_text(part) for part in parts]
        shown = buttons[:MAX_ROWS]
        if len(buttons) > MAX_ROWS:
            log.warning("whatsapp: %d buttons, only %d shown", len(buttons), MAX_ROWS)
        fits = len(shown) <= MAX_REPLY_BUTTONS and all(
            len(b.title) <= MAX_BUTTON_TITLE for b in shown
        )
        body_limit = MAX_BUTTON_BODY if fits else MAX_TEXT
        calls = [_text(part) for part in parts[:-1]]
        body = parts[-1]
        if len(body) > body_limit:
            calls.append(_text(body))
            body = BUTTONS_AFTER_TEXT
        if fits:
            titles = short_titles([b.title for b in shown], MAX_BUTTON_TITLE)
            action: dict[str, Any] = {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.button_id, "title": title}}
                    for b, title in zip(shown, titles, strict=True)
                ]
            }
            kind = "button"
        else:
            action = {"button": LIST_BUTTON, "sections": [{"rows": _rows(shown)}]}
            kind = "list"
        interactive = {"type": kind, "body": {"text": body}, "action": action}
        calls.append(ApiCall("messages", {"type": "interactive", "interactive": interactive}))
        return calls

    async def send(self, call: ApiCall, to: Address, reference: str) -> SendResult:
        """POST /{phone_number_id}/messages; a BSUID goes in `recipient` (Meta drops
        it silently in `to`)."""
        target = {"recipient": to.value} if to.kind == "bsuid" else {"to": to.value}
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            **target,
            **call.body,
            "biz_opaque_callback_data": reference,
        }
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        try:
            async with self._session.post(
                f"{self._url}/messages", json=body, headers=headers, timeout=TIMEOUT
            ) as response:
                answer = await _json(response)
                return classify(response.status, answer)
        except (TimeoutError, aiohttp.ClientError) as error:
            return SendResult(Outcome.RETRY, error=f"Netzwerk: {type(error).__name__}")

    def window_open(self, last_inbound_at: datetime | None, now: datetime) -> bool:
        """Inside 24 hours (less a margin) of the person's last message."""
        return last_inbound_at is not None and now - last_inbound_at < WINDOW

    def template(self, ticket: str) -> ApiCall | None:
        """WHATSAPP_TEMPLATE_REPLY with the ticket as its one parameter, if configured."""
        if not self.settings.template_reply:
            return None
        template = {
            "name": self.settings.template_reply,
            "language": {"code": self.settings.template_language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": ticket}]}],
        }
        return ApiCall("messages", {"type": "template", "template": template})

    async def number_info(self) -> tuple[int, dict[str, Any]]:
        """What Meta reports on our number (for `channels whatsapp check`)."""
        fields = "display_phone_number,verified_name,quality_rating,code_verification_status"
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        async with self._session.get(
            self._url, params={"fields": fields}, headers=headers, timeout=TIMEOUT
        ) as response:
            return response.status, await _json(response)


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        answer = await response.json(content_type=None)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _addresses(raw: dict[str, Any], contacts: list[dict[str, Any]]) -> list[Address]:
    """The sender's phone number and BSUID, as far as Meta gives them."""
    phone = raw.get("from")
    bsuid = raw.get("from_user_id")
    for contact in contacts:
        if (phone and contact.get("wa_id") == phone) or len(contacts) == 1:
            bsuid = bsuid or contact.get("user_id")
            phone = phone or contact.get("wa_id")
    found = [Address("bsuid", str(bsuid))] if bsuid else []
    return found + ([Address("wa_id", str(phone))] if phone else [])


def _message(raw: dict[str, Any], contacts: list[dict[str, Any]]) -> Incoming | None:
    addresses = _addresses(raw, contacts)
    if not raw.get("id") or not addresses:
        return None
    key = f"wa:{raw['id']}"
    kind = raw.get("type")
    if kind == "text":
        return Incoming(key, addresses, Kind.TEXT, text=str((raw.get("text") or {}).get("body")))
    if kind == "interactive":
        interactive = raw.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return Incoming(key, addresses, Kind.BUTTON, button_id=str(reply.get("id") or ""))
    if kind == "button":  # a template's quick reply: the person is back
        return Incoming(key, addresses, Kind.TEXT, text=str((raw.get("button") or {}).get("text")))
    if kind == "reaction":
        return None  # an emoji on a message needs no answer
    return Incoming(key, addresses, Kind.UNSUPPORTED)


def _status(raw: dict[str, Any]) -> StatusReport:
    errors = _dicts(raw.get("errors"))
    code = errors[0].get("code") if errors else None
    title = errors[0].get("title") or errors[0].get("message") if errors else None
    status = str(raw.get("status"))
    return StatusReport(
        f"wa:st:{raw['id']}:{status}",
        str(raw["id"]),
        status,
        code if isinstance(code, int) else None,
        str(title)[:300] if title else None,
    )


def _text(part: str) -> ApiCall:
    return ApiCall("messages", {"type": "text", "text": {"body": part, "preview_url": False}})


def _rows(buttons: list[Button]) -> list[dict[str, str]]:
    titles = short_titles([b.title for b in buttons], MAX_ROW_TITLE)
    rows = []
    for button, title in zip(buttons, titles, strict=True):
        row = {"id": button.button_id, "title": title}
        if title != button.title:  # the whole title, as far as it fits, below
            row["description"] = shorten(button.title, MAX_ROW_DESCRIPTION)
        rows.append(row)
    return rows


def classify(status: int, body: dict[str, Any]) -> SendResult:
    """Map a Graph API answer to what the outbox does next."""
    if status == 200:
        messages = _dicts(body.get("messages"))
        return SendResult(
            Outcome.SENT, provider_id=str(messages[0].get("id")) if messages else None
        )
    raw_error = body.get("error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    code = error.get("code")
    text = f"{code}: {error.get('message') or status}"[:300]
    if code in WINDOW_CODES:
        return SendResult(Outcome.WINDOW_CLOSED, error=text)
    if code in UNREACHABLE_CODES:
        return SendResult(Outcome.UNREACHABLE, error=text)
    if code in RETRY_CODES:
        return SendResult(Outcome.RETRY, retry_after=RETRY_CODES[code], error=text)
    if status >= 500 or status == 429 or code == EXPIRED_TOKEN:
        return SendResult(Outcome.RETRY, error=text)
    return SendResult(Outcome.DEAD, error=text)
