"""The desk's pure logic and queries: canned-response validation, the plain-text
transcript, the closed-conversation filter and its search on SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.desk_models import TranscriptMail
from bot.db.models import Advisor, Handoff, Message, utcnow
from bot.db.store import MessageStore, StoredMessage
from bot.handoff.accounts import AdvisorStore
from bot.handoff.canned import MAX_TEXT, MAX_TITLE, validated
from bot.handoff.closed_search import RESULT_LIMIT, ClosedFilter, ClosedSearch, parse_filter
from bot.handoff.core import HandoffError
from bot.handoff.states import Status
from bot.handoff.store import HandoffStore
from bot.handoff.transcript import transcript_text
from bot.handoff.transcript_mail import mail_state, person_email


def test_canned_responses_are_validated_with_german_messages() -> None:
    assert validated({"title": "  Gruß ", "text": " Viele Grüße \n"}) == ("Gruß", "Viele Grüße")
    for body, message in (
        ({"text": "x"}, "Bitte geben Sie einen Titel ein."),
        ({"title": "x" * (MAX_TITLE + 1), "text": "x"}, "höchstens 60 Zeichen"),
        ({"title": "T", "text": "   "}, "Bitte geben Sie einen Text ein."),
        ({"title": "T", "text": "x" * (MAX_TEXT + 1)}, "höchstens 2000 Zeichen"),
        ({"title": 5, "text": ["x"]}, "Bitte geben Sie einen Titel ein."),
    ):
        with pytest.raises(HandoffError) as raised:
            validated(body)
        assert message in raised.value.message
        assert raised.value.status == 400


def _message(sender: str, text: str, minute: int, advisor: str | None = None) -> Message:
    return Message(
        sender=sender,
        text=text,
        created_at=datetime(2026, 12, 1, 9, minute, tzinfo=UTC),
        custom={"advisor": advisor} if advisor else None,
    )


def test_the_transcript_is_plain_text_in_local_time() -> None:
    handoff = Handoff(ticket="HK-ABC123")
    text = transcript_text(
        handoff,
        [
            _message("user", "Brauche ich eine TSE?\nFür die Bäckerei", 0),
            _message("bot", "Ja, meist.", 1),
            _message("advisor", "Guten Tag!", 2, advisor="Frau Lange"),
            _message("system", "<b>Ende</b>", 3),
        ],
        "Europe/Berlin",
        person="Sie",
    )
    assert text.splitlines()[0] == "Chatverlauf – Handwerkskammer, Vorgang HK-ABC123"
    assert "[01.12.2026 10:00] Sie:\n  Brauche ich eine TSE?\n  Für die Bäckerei\n" in text
    assert "[01.12.2026 10:01] Digitaler Assistent:\n  Ja, meist." in text
    assert "[01.12.2026 10:02] Frau Lange:\n  Guten Tag!" in text
    assert "Hinweis:\n  <b>Ende</b>" in text  # text stays text


def test_only_an_email_address_gets_the_transcript() -> None:
    assert person_email(Handoff(contact="Petra@Werkstatt.example")) == "petra@werkstatt.example"
    assert person_email(Handoff(contact="0345 1234567")) is None
    assert person_email(Handoff(contact=None)) is None
    assert mail_state(None) is None
    assert mail_state(TranscriptMail(consent=None)) == "asked"
    assert mail_state(TranscriptMail(consent=False)) == "declined"
    assert mail_state(TranscriptMail(consent=True, attempts=0)) == "sending"
    assert mail_state(TranscriptMail(consent=True, attempts=8)) == "failed"
    assert mail_state(TranscriptMail(consent=True, attempts=0, sent_at=utcnow())) == "sent"


def test_the_closed_filter_is_parsed_or_refused_in_german() -> None:
    wanted = parse_filter(
        {
            "scope": "all",
            "from": "2026-12-01",
            "to": "2026-12-02",
            "topic": "kasse_tse",
            "q": " TSE  Kasse ",
        }
    )
    assert wanted == ClosedFilter(
        False, date(2026, 12, 1), date(2026, 12, 2), "kasse_tse", "TSE Kasse"
    )
    assert parse_filter({}) == ClosedFilter()
    for query, message in (
        ({"scope": "alle"}, "„Meine“ oder „Alle“"),
        ({"topic": "unbekannt"}, "Dieses Thema gibt es nicht."),
        ({"from": "1.12.2026"}, "gültiges Datum für „von“"),
        ({"from": "2026-12-03", "to": "2026-12-01"}, "„Von“ liegt nach „bis“."),
        ({"q": "x" * 101}, "höchstens 100 Zeichen"),
    ):
        with pytest.raises(HandoffError, match=message):
            parse_filter(query)


async def _ended(
    handoffs: HandoffStore,
    store: MessageStore,
    advisor_id: int,
    text: str,
    closed_at: datetime,
    topic: str | None = None,
) -> Handoff:
    conversation_id = uuid.uuid4().hex
    await store.add(conversation_id, StoredMessage("user", text))
    handoff = await handoffs.create(conversation_id, "web", reason="request_human", topic=topic)
    ended = await handoffs.transition(
        handoff.id,
        (Status.CONSENT,),
        status=Status.CLOSED,
        advisor_id=advisor_id,
        closed_at=closed_at,
    )
    assert ended is not None
    return ended


async def test_closed_search_filters_by_owner_date_topic_and_text(
    sessions: async_sessionmaker[AsyncSession], store: MessageStore
) -> None:
    advisors = AdvisorStore(sessions)
    lange = await advisors.add("lange", "richtig-geheim-123", "Heike Lange")
    boss = await advisors.add("boss", "richtig-geheim-123", "Chefin", admin=True)
    handoffs = HandoffStore(sessions)
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    mine = await _ended(handoffs, store, lange.id, "Meine Kasse braucht eine TSE", now, "kasse_tse")
    old = await _ended(handoffs, store, lange.id, "100% Rabatt_aktion", now - timedelta(days=3))
    theirs = await _ended(handoffs, store, boss.id, "Die KASSE streikt", now)
    search = ClosedSearch(sessions, "Europe/Berlin")

    async def ids(wanted: ClosedFilter, advisor: Advisor) -> list[int]:
        found, more = await search.run(wanted, advisor)
        assert more is False
        return [h.id for h in found]

    assert await ids(ClosedFilter(), lange) == [mine.id, old.id]
    assert await ids(ClosedFilter(mine=False), lange) == [mine.id, old.id]  # not an admin
    assert set(await ids(ClosedFilter(mine=False), boss)) == {mine.id, old.id, theirs.id}
    assert await ids(ClosedFilter(mine=False, text="kasse"), boss) == [theirs.id, mine.id]
    assert await ids(ClosedFilter(text="%"), lange) == [old.id]  # wildcards are text
    assert await ids(ClosedFilter(text="_a"), lange) == [old.id]
    assert await ids(ClosedFilter(topic="kasse_tse"), lange) == [mine.id]
    assert await ids(ClosedFilter(since=date(2026, 12, 5)), lange) == [mine.id]
    assert await ids(ClosedFilter(until=date(2026, 12, 2)), lange) == [old.id]
    assert await ids(ClosedFilter(since=date(2026, 12, 6)), lange) == []


async def test_closed_search_is_limited(
    sessions: async_sessionmaker[AsyncSession], store: MessageStore
) -> None:
    lange = await AdvisorStore(sessions).add("lange", "richtig-geheim-123", "Heike Lange")
    handoffs = HandoffStore(sessions)
    for _ in range(RESULT_LIMIT + 1):
        await _ended(handoffs, store, lange.id, "Frage", utcnow())
    found, more = await ClosedSearch(sessions, "Europe/Berlin").run(ClosedFilter(), lange)
    assert (len(found), more) == (RESULT_LIMIT, True)
