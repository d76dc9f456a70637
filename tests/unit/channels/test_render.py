"""Rendering werkbot's real messages for WhatsApp and Telegram stays within every
platform limit (golden cases from ../shared/spec/channels.md §6.4)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from actions.greeting import QUICK_REPLIES
from actions.trade_question import group_buttons
from bot import texts
from bot.channels.base import BUTTON_PREFIX, Button
from bot.channels.settings import TelegramSettings, WhatsAppSettings
from bot.channels.telegram import TelegramAdapter
from bot.channels.text import short_titles, shorten, split_text, utf16_length
from bot.channels.whatsapp import WhatsAppAdapter
from bot.handoff import texts as handoff_texts

GUIDE_TITLES = [
    "E-Rechnung im Handwerk: Was ab 2025 und 2027 für Empfang und Versand von Rechnungen gilt",
    "Kassensicherungsverordnung: TSE, Belegausgabepflicht und Meldepflicht für Kassen",
]
ANSWER_BUTTONS = [
    {"title": "Hat geholfen", "payload": "#feedback:helpful"},
    {"title": "Hat nicht geholfen", "payload": "#feedback:not_helpful"},
    *({"title": title, "payload": title} for title in GUIDE_TITLES),
    texts.ADVISOR_BUTTON,
]


def as_buttons(buttons: list[dict[str, str]]) -> list[Button]:
    return [Button(b["title"], f"{BUTTON_PREFIX}tok{n:05d}") for n, b in enumerate(buttons)]


@pytest.fixture
async def adapters() -> Any:
    async with aiohttp.ClientSession() as session:
        telegram = TelegramAdapter(
            TelegramSettings(bot_token="123456:" + "a" * 30, secret_token="s" * 20), session
        )
        whatsapp = WhatsAppAdapter(
            WhatsAppSettings(
                token="t" * 30, app_secret="a" * 20, verify_token="v" * 20, phone_number_id="12345"
            ),
            session,
        )
        yield telegram, whatsapp


def check_whatsapp_limits(call: dict[str, Any]) -> None:
    """Meta's documented limits on one message body."""
    if call["type"] == "text":
        assert 1 <= len(call["text"]["body"]) <= 4096
        return
    interactive = call["interactive"]
    if interactive["type"] == "button":
        buttons = interactive["action"]["buttons"]
        titles = [b["reply"]["title"] for b in buttons]
        assert 1 <= len(buttons) <= 3
        assert all(1 <= len(t) <= 20 for t in titles)
        assert len(set(titles)) == len(titles)
        assert len(interactive["body"]["text"]) <= 1024
    else:
        rows = [row for s in interactive["action"]["sections"] for row in s["rows"]]
        assert 1 <= len(rows) <= 10
        assert len(interactive["action"]["button"]) <= 20
        assert all(1 <= len(r["title"]) <= 24 for r in rows)
        assert all(len(r.get("description", "")) <= 72 for r in rows)
        assert len({r["title"] for r in rows}) == len(rows)
        assert len(interactive["body"]["text"]) <= 4096


def check_telegram_limits(call: dict[str, Any]) -> None:
    assert 1 <= utf16_length(call["text"]) <= 4096
    assert "parse_mode" not in call
    for row in call.get("reply_markup", {}).get("inline_keyboard", []):
        for cell in row:
            assert 1 <= len(cell["callback_data"].encode()) <= 64
            assert len(cell["text"]) <= 64


async def test_answer_with_five_buttons(adapters: Any) -> None:
    telegram, whatsapp = adapters
    buttons = as_buttons(ANSWER_BUTTONS)
    [wa] = whatsapp.render("Die Antwort.", buttons)
    check_whatsapp_limits(wa.body)
    rows = wa.body["interactive"]["action"]["sections"][0]["rows"]
    assert wa.body["interactive"]["type"] == "list"
    assert [r["id"] for r in rows] == [b.button_id for b in buttons]
    # a shortened guide title is shown in full (as far as it fits) below
    assert rows[2]["title"].endswith("…")
    assert rows[2]["description"].startswith("E-Rechnung im Handwerk")
    [tg] = telegram.render("Die Antwort.", buttons)
    check_telegram_limits(tg.body)
    assert len(tg.body["reply_markup"]["inline_keyboard"]) == 5  # one per row: long titles


@pytest.mark.parametrize(
    "buttons",
    [
        QUICK_REPLIES,
        group_buttons(),
        handoff_texts.RATING_BUTTONS,
        handoff_texts.CONSENT_BUTTONS,
        [{"title": "Nein, weiter mit dem Assistenten", "payload": "#x"}],
    ],
    ids=["greeting", "trade-groups", "rating", "consent", "long-single"],
)
async def test_werkbots_button_sets_fit_both_platforms(
    adapters: Any, buttons: list[dict[str, str]]
) -> None:
    telegram, whatsapp = adapters
    for call in whatsapp.render("Wie kann ich helfen?", as_buttons(buttons)):
        check_whatsapp_limits(call.body)
    for call in telegram.render("Wie kann ich helfen?", as_buttons(buttons)):
        check_telegram_limits(call.body)


async def test_three_short_buttons_are_reply_buttons(adapters: Any) -> None:
    _, whatsapp = adapters
    [call] = whatsapp.render("Einverstanden?", as_buttons(handoff_texts.CONSENT_BUTTONS))
    assert call.body["interactive"]["type"] == "button"
    titles = [b["reply"]["title"] for b in call.body["interactive"]["action"]["buttons"]]
    assert titles == ["Einverstanden", "Abbrechen"]


async def test_trade_groups_are_a_list_on_whatsapp(adapters: Any) -> None:
    _, whatsapp = adapters
    [call] = whatsapp.render("Welches Gewerk?", as_buttons(group_buttons()))
    assert call.body["interactive"]["type"] == "list"


async def test_long_text_is_split_and_buttons_go_last(adapters: Any) -> None:
    telegram, whatsapp = adapters
    text = "\n\n".join(f"Absatz {n}. " + "Ein Satz mit Umlauten äöü. " * 40 for n in range(8))
    buttons = as_buttons(handoff_texts.CONSENT_BUTTONS)
    wa_calls = whatsapp.render(text, buttons)
    assert len(wa_calls) >= 3
    for call in wa_calls:
        check_whatsapp_limits(call.body)
    assert wa_calls[-1].body["type"] == "interactive"
    assert all(c.body["type"] == "text" for c in wa_calls[:-1])
    tg_calls = telegram.render(text, buttons)
    for call in tg_calls:
        check_telegram_limits(call.body)
    assert "reply_markup" in tg_calls[-1].body
    assert all("reply_markup" not in c.body for c in tg_calls[:-1])
    joined = " ".join(c.body["text"] for c in tg_calls)
    assert joined.split() == text.split()  # nothing lost, nothing doubled


def test_split_counts_utf16_and_cuts_at_sentences() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no spaces
    parts = split_text(text, 4096, utf16_length)
    assert all(utf16_length(p) <= 4096 for p in parts)
    assert "".join(parts) == text
    sentences = "Erster Satz. Zweiter Satz. Dritter Satz."
    assert split_text(sentences, 20) == ["Erster Satz.", "Zweiter Satz.", "Dritter Satz."]


def test_titles_are_shortened_at_words_and_made_unique() -> None:
    assert shorten("Gesundheit und Körperpflege", 24) == "Gesundheit und…"
    assert short_titles(["Mehr dazu zum Thema A", "Mehr dazu zum Thema B"], 20) == [
        "Mehr dazu zum…",
        "Mehr dazu zum… (2)",
    ]
