"""Clicks per channel: the action server lists its counted links (/r/, /praxis/ under
PUBLIC_URL), the gateway tags exactly those with the channel, in text and link list."""

from __future__ import annotations

from bot.db.store import StoredMessage
from bot.impact.links import COUNTED, channel_of, counted_links, tag, tag_message

BASE = "https://werkbot.example.de"
TEXT = (
    f"Anmeldung: {BASE}/r/webinar-1 · kostenlos\nDetails: {BASE}/veranstaltungen/webinar-1\n"
    f"Mehr: {BASE}/praxis/baeckerei-app.\nQuelle: https://www.reddit.com/r/handwerk"
)


def test_the_action_server_finds_only_its_counted_links() -> None:
    assert counted_links(TEXT, BASE) == [f"{BASE}/r/webinar-1", f"{BASE}/praxis/baeckerei-app"]
    assert counted_links(TEXT, BASE + "/") == counted_links(TEXT, BASE)
    assert counted_links(f"{BASE}.evil.example/r/x {BASE}/r/x/y {BASE}/r/x?via=web", BASE) == []


def test_the_gateway_tags_exactly_the_listed_links() -> None:
    links = counted_links(TEXT, BASE)
    assert tag(TEXT, "telegram", links) == (
        f"Anmeldung: {BASE}/r/webinar-1?via=telegram · kostenlos\n"
        f"Details: {BASE}/veranstaltungen/webinar-1\n"
        f"Mehr: {BASE}/praxis/baeckerei-app?via=telegram.\n"
        "Quelle: https://www.reddit.com/r/handwerk"
    )
    assert tag(TEXT, "fax", links) == TEXT
    assert tag(tag(TEXT, "web", links), "web", links) == tag(TEXT, "web", links)


def test_a_message_is_tagged_in_its_text_and_links_and_loses_the_list() -> None:
    page = f"{BASE}/praxis/x"
    message = StoredMessage(
        "bot",
        f"Mehr: {page}",
        custom={"links": [{"url": page, "title": "X"}, "kaputt"], COUNTED: [page, 3]},
    )
    tagged = tag_message(message, "whatsapp")
    assert tagged.text == f"Mehr: {page}?via=whatsapp"
    assert tagged.custom == {"links": [{"url": f"{page}?via=whatsapp", "title": "X"}, "kaputt"]}
    assert message.text == f"Mehr: {page}"  # the original is left alone
    assert tag_message(StoredMessage("bot", "x", custom={COUNTED: []}), "web").custom is None
    assert tag_message(StoredMessage("bot", "x", custom={COUNTED: "?"}), "web").text == "x"
    plain = StoredMessage("bot", f"Mehr: {page}")
    assert tag_message(plain, "web") is plain


def test_the_channel_of_a_click() -> None:
    assert [channel_of(v) for v in ("web", "telegram", "whatsapp")] == [
        "web",
        "telegram",
        "whatsapp",
    ]
    assert channel_of(None) == channel_of("") == channel_of("<script>") == ""
