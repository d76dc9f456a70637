from collections.abc import AsyncIterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import recommending
from actions.fallback import ActionHandleFallback
from actions.listed_events import EVENT_KEY, asks_about_listed
from actions.recommending import ActionRecommendBestPractices, ActionRecommendEvents
from actions.routing import ActionAnswerQuestion
from actions.topic_words import topic_named
from actions.trade import ActionHandleTrade
from bot import clock
from bot.db.engine import create_engine
from bot.events.recommend import EventQuery
from bot.events.schema import Event
from bot.events.store import UpcomingEventsCache, upsert_events
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker
from tests.unit.conftest import NOW


@pytest.fixture
async def action(
    sqlite_url: str,
    events: list[Event],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[ActionRecommendEvents]:
    engine = create_engine(sqlite_url)
    await upsert_events(engine, [(event, event.id) for event in events], "datei")
    cache = UpcomingEventsCache(engine)
    monkeypatch.setattr(recommending, "calendar", lambda: cache)
    chosen = ActionRecommendEvents()
    chosen.clock = lambda: NOW
    yield chosen
    await engine.dispose()


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {str(e["name"]): e["value"] for e in events if e.get("event") == "slot"}


async def test_events_are_filtered_and_paged(action: ActionRecommendEvents) -> None:
    dispatcher = CollectingDispatcher()
    result = await action.run(
        dispatcher, tracker("Was ist bei euch los?", "request_events"), EMPTY_DOMAIN
    )
    intro, *entries = dispatcher.messages
    assert intro["text"] == "Diese Termine passen:"
    assert [entry["text"].count("Anmeldung:") for entry in entries] == [1, 1, 1]
    assert entries[-1]["buttons"] == [recommending.more_button(3)]
    assert entries[0]["buttons"] == []
    more = tracker(
        "Weitere anzeigen",
        "request_events",
        entities=[{"entity": "event_offset", "value": "3"}],
        slots={"event_request": slots(result)["event_request"]},
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, more, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["text"] == "Weitere Termine:"
    assert len(dispatcher.messages) == 4


async def test_topic_trade_and_time(action: ActionRecommendEvents) -> None:
    dispatcher = CollectingDispatcher()
    message = tracker(
        "Gibt es im Januar Webinare zur E-Rechnung?",
        "request_events",
        entities=[{"entity": "topic", "value": "e_rechnung"}],
    )
    await action.run(dispatcher, message, EMPTY_DOMAIN)
    text = " ".join(m["text"] for m in dispatcher.messages)
    assert "Termin e-rechnung-jan" in text
    assert "e-rechnung-dez" not in text
    dispatcher = CollectingDispatcher()
    salon = tracker(
        "Workshops zur Kasse für Friseure?",
        "request_events",
        entities=[{"entity": "topic", "value": "kasse_tse"}],
    )
    await action.run(dispatcher, salon, EMPTY_DOMAIN)
    text = " ".join(m["text"] for m in dispatcher.messages)
    assert "kasse-friseur" in text
    assert "kasse-baecker" not in text


async def test_nothing_fits_offers_alternatives_and_the_advisor(
    action: ActionRecommendEvents,
) -> None:
    dispatcher = CollectingDispatcher()
    message = tracker(
        "Webinar zur E-Rechnung morgen?",
        "request_events",
        entities=[{"entity": "topic", "value": "e_rechnung"}],
    )
    await action.run(dispatcher, message, EMPTY_DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Dazu habe ich leider keinen passenden Termin gefunden.")
    assert "Zum selben Thema zu einer anderen Zeit:" in text
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_best_practices_ask_for_the_trade_once() -> None:
    result = await ActionRecommendBestPractices().run(
        CollectingDispatcher(),
        tracker("Praxisbeispiele bitte", "request_best_practices"),
        EMPTY_DOMAIN,
    )
    assert slots(result)["trade_asked"] is True
    assert slots(result)["pending_request"] == "best_practices"


async def test_best_practices_for_a_known_trade() -> None:
    dispatcher = CollectingDispatcher()
    result = await ActionRecommendBestPractices().run(
        dispatcher,
        tracker("Wie machen das andere Bäckereien?", "request_best_practices"),
        EMPTY_DOMAIN,
    )
    assert slots(result)["trade"] == "baecker"
    heading, *stories = (m["text"] for m in dispatcher.messages)
    assert heading == "So machen es andere Betriebe (Bäcker):"
    assert 1 <= len(stories) <= 3
    assert all("/praxis/" in story for story in stories)


async def test_how_others_of_the_trade_do_it_after_an_answer_asks_for_cases() -> None:
    """Not the smart-home guide again: the question is how others do it."""
    dispatcher = CollectingDispatcher()
    after_answer = {
        "trade": "elektrotechniker",
        "last_kind": "answer",
        "last_question": "elektrobetrieb hier, lohnt sich smart home überhaupt noch für uns",
        "last_topic": "smart_home_iot",
        "last_guide": "smart-home-elektrohandwerk",
        "trade_group": "elektro_metall",
    }
    said = tracker(
        "zeig mal wie andere elektriker das machen", "request_best_practices", slots=after_answer
    )
    await ActionRecommendBestPractices().run(dispatcher, said, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["text"] == "So machen es andere Betriebe (Elektrotechniker):"


async def test_trade_group_finishes_the_pending_best_practices() -> None:
    dispatcher = CollectingDispatcher()
    pending = tracker(
        '/inform_trade{"trade_group": "holz"}',
        "inform_trade",
        entities=[{"entity": "trade_group", "value": "holz"}],
        slots={"pending_request": "best_practices", "trade_group": "holz", "trade_asked": True},
    )
    await ActionHandleTrade().run(dispatcher, pending, EMPTY_DOMAIN)
    assert "/praxis/" in dispatcher.messages[1]["text"]


async def test_short_refinement_after_events_keeps_the_earlier_request(
    action: ActionRecommendEvents,
) -> None:
    dispatcher = CollectingDispatcher()
    refined = tracker(
        "und online?",
        "goodbye",
        slots={"last_kind": "events", "event_request": "Veranstaltungen in Magdeburg"},
    )
    result = await action.run(dispatcher, refined, EMPTY_DOMAIN)
    assert slots(result)["event_request"] == "Veranstaltungen in Magdeburg || und online?"
    assert all("online" in m["text"] for m in dispatcher.messages[1:])


async def refined(action: ActionRecommendEvents, text: str, earlier: str) -> list[dict[str, Any]]:
    """The messages for a short refinement `text` after the event list for `earlier`."""
    dispatcher = CollectingDispatcher()
    slots = {"last_kind": "events", "event_request": earlier}
    await action.run(dispatcher, tracker(text, "request_events", slots=slots), EMPTY_DOMAIN)
    return dispatcher.messages


async def test_a_place_asked_after_a_format_that_is_not_there_drops_the_format(
    action: ActionRecommendEvents,
) -> None:
    """ "und online?" after consultation days in Halle: there are none online, so the
    online events are listed and the format left out is said."""
    heading, *entries = await refined(action, "und online?", "Sprechtage in Halle?")
    assert heading["text"].startswith("Im Format „Sprechtag“ habe ich dazu nichts gefunden.")
    assert entries
    assert all("online" in m["text"] for m in entries)
    heading, first, *_ = await refined(action, "und in Halle?", "Sprechtage in Magdeburg?")
    assert heading["text"] == "Diese Termine passen:"
    assert "sprechtag-halle" in first["text"]


def test_events_elsewhere_in_the_region_are_not_passed_off_as_in_the_place_asked(
    events: list[Event],
) -> None:
    """ "in halle?": the chamber's region has Dessau and the fair in Leipzig too."""
    query = EventQuery(now=NOW, region="halle")
    [in_halle] = [event for event in events if event.id == "kasse-baecker"]
    elsewhere = in_halle.model_copy(update={"location": "Leipziger Messe, Leipzig"})
    heading = recommending.page_heading(query, [elsewhere], 0, frozenset())
    assert heading.startswith("In Halle selbst habe ich dazu keinen Termin gefunden.")
    assert recommending.page_heading(query, [elsewhere, in_halle], 0, frozenset()) == (
        "Diese Termine passen:"
    )
    # the one in Halle goes first, before those elsewhere that are sooner
    assert recommending.in_place_first([elsewhere, in_halle], query) == [in_halle, elsewhere]


def test_clock_can_be_fixed_for_demos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WERKBOT_NOW", "2027-02-01T09:30:00+01:00")
    assert clock.current_time().isoformat() == "2027-02-01T09:30:00+01:00"
    monkeypatch.delenv("WERKBOT_NOW")
    assert clock.current_time().tzinfo is not None


@pytest.mark.parametrize(
    "text",
    [
        "wann is eigentlich die mitteldeutsche handwerksmesse",
        # a guide names Leipzig: still a question for the fair's dates
        "wann is denn immer die mitteldeutsche handwerksmesse in leipzig",
    ],
)
async def test_an_event_question_the_knowledge_base_cannot_answer_lists_events(
    action: ActionRecommendEvents, text: str
) -> None:
    dispatcher = CollectingDispatcher()
    question = tracker(text)
    events = await ActionAnswerQuestion().run(dispatcher, question, EMPTY_DOMAIN)
    assert slots(events)["last_kind"] == "events"
    assert "keine verlässliche Antwort" not in dispatcher.messages[0]["text"]


async def test_when_the_fair_is_goes_to_the_events_whatever_the_nlu_thought(
    action: ActionRecommendEvents,
) -> None:
    dispatcher = CollectingDispatcher()
    text = "wann is denn immer die mitteldeutsche handwerksmesse in leipzig"
    question = tracker(text, intent="nlu_fallback", confidence=0.5)
    events = await ActionHandleFallback().run(dispatcher, question, EMPTY_DOMAIN)
    assert slots(events)["last_kind"] == "events"


async def test_a_duty_with_a_month_is_answered_an_event_time_is_not(
    action: ActionRecommendEvents,
) -> None:
    """ "im November" in a question for a duty tells when the till was bought; "vor
    Ostern" in "gibts … noch was" asks for events."""
    dispatcher = CollectingDispatcher()
    duty = "hab mir im november ne neue registrierkasse geholt, muss ich die irgendwo anmelden?"
    await action.run(dispatcher, tracker(duty, "request_events"), EMPTY_DOMAIN)
    assert "ELSTER" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    events = "wir sind dachdecker. gibts vor ostern noch was zu drohnen oder aufmaß?"
    await action.run(dispatcher, tracker(events, "request_events"), EMPTY_DOMAIN)
    assert "answer" not in (dispatcher.messages[0].get("custom") or {})


@pytest.mark.parametrize(
    ("question", "heading"),
    [("wat kostet dat", "Das kosten"), ("wie meld ich mich da an", "Anmelden können Sie")],
)
async def test_cost_and_registration_of_the_events_just_listed(
    action: ActionRecommendEvents, question: str, heading: str
) -> None:
    listing = CollectingDispatcher()
    result = await action.run(
        listing, tracker("Was ist bei euch los?", "request_events"), EMPTY_DOMAIN
    )
    listed = [m["custom"][EVENT_KEY] for m in listing.messages if m.get("custom")]
    assert len(listed) == 3
    history = [
        {"event": "user", "text": "Was ist bei euch los?"},
        *(
            {"event": "bot", "text": m["text"], "data": {"custom": m["custom"]}}
            for m in listing.messages
            if m.get("custom")
        ),
        {"event": "user", "text": question},
    ]
    follow = tracker(question, "out_of_scope", slots=slots(result), events=history)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, follow, EMPTY_DOMAIN)
    [reply] = dispatcher.messages
    assert reply["text"].startswith(heading)
    assert reply["text"].count("Anmeldung:") == 3
    assert "kostenfrei" in reply["text"] or "Euro" in reply["text"]
    # and the next question on them ("und wie meld ich mich an?") still knows them
    again = tracker(
        "und wie meld ich mich an?",
        "ask_digitalisation",
        slots=slots(result),
        events=[
            *history,
            {"event": "bot", "text": reply["text"], "data": {"custom": reply["custom"]}},
            {"event": "user", "text": "und wie meld ich mich an?"},
        ],
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, again, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Anmelden können Sie")
    assert dispatcher.messages[0]["text"].count("Anmeldung:") == 3


def test_a_topic_named_in_words_the_nlu_missed() -> None:
    assert topic_named("gibts bald mal n workshop zu ki?") == "kuenstliche_intelligenz"
    assert topic_named("seminar über instagram") == "social_media"
    assert topic_named("welche veranstaltungen gibts im märz") is None
    assert topic_named("was gibts zu datenschutz und ki") is None  # two: none chosen


def test_a_price_question_on_something_else_is_not_about_the_events() -> None:
    after_events = tracker("x", slots={"last_kind": "events"})
    assert asks_about_listed(after_events, "wat kostet dat")
    assert asks_about_listed(after_events, "muss man sich da anmelden?")
    assert not asks_about_listed(after_events, "was kostet ne website?")
    assert not asks_about_listed(tracker("x", slots={"last_kind": "answer"}), "wat kostet dat")
