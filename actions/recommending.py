"""Recommending events and best-practice cases to the person's trade."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.answering import find_answer, trades_for
from actions.config import settings
from actions.context import (
    ANSWER,
    BEST_PRACTICES,
    EVENTS,
    asks_for_events,
    for_all_trades,
    is_elliptical,
    is_substantial_question,
    names_events,
    refines_events,
)
from actions.knowledge import (
    Query,
    answer,
    answer_emergency,
    contextual_question,
    known_trade,
    latest_entity,
    latest_text,
    latest_topic,
    trade_events,
)
from actions.listed_events import EVENT_KEY, answer_about_listed, asks_about_listed
from actions.sections import is_core_question
from actions.topic_words import topic_named
from actions.trade_question import ask_trade
from bot.best_practices import recommend_cases, shipped_cases
from bot.clock import current_time
from bot.db.engine import create_engine
from bot.events.recommend import (
    EventQuery,
    alternatives,
    describe,
    formats_in,
    regions_in,
    select,
)
from bot.events.schema import FORMAT_LABELS, Event, EventFormat
from bot.events.store import UpcomingEventsCache
from bot.events.timeexpr import time_window
from bot.folding import fold
from bot.impact.links import COUNTED, counted_links
from bot.kb.labels import TRADE_GROUP_LABELS, TRADE_LABELS
from bot.texts import ADVISOR_BUTTON

# words of someone who asks for other businesses' examples (folded)
# "muss ich die anmelden?" asks for a duty, "gibts vor Ostern noch was?" for events
ASKS_FOR_DUTY = re.compile(r"\b(muss|muessen|brauch\w*|pflicht\w*|verpflichtet|vorgeschrieben)\b")
ASKS_FOR_CASES = re.compile(
    r"beispiel|praxis|andere[nr]? (betrieb|kolleg|baecker|handwerk|firm|werkst)|wie machen|"
    r"wie (es |das |dat )?andere\b"
)

PAGE_SIZE = 3
REQUEST_SEPARATOR = " || "
REGION_LABELS = {"halle": "Halle", "magdeburg": "Magdeburg"}
MAX_REQUESTS = 4
_T = TypeVar("_T")


@cache
def calendar() -> UpcomingEventsCache:
    """Upcoming events of DATABASE_URL, one cache per action-server process."""
    return UpcomingEventsCache(create_engine(settings().database_url))


async def answer_listed(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, now: datetime
) -> list[EventType] | None:
    """Cost or registration of the events just listed ("was kostet dat?"), else None."""
    if not asks_about_listed(tracker, text):
        return None
    upcoming = await calendar().upcoming(now)
    return answer_about_listed(dispatcher, tracker, text, upcoming)


def more_button(offset: int) -> dict[str, str]:
    """Quick reply for the next page of events."""
    return {
        "title": "Weitere anzeigen",
        "payload": f'/request_events{{"event_offset": "{offset}"}}',
    }


def event_requests(tracker: Tracker, next_page: bool) -> list[str]:
    """The person's event requests that apply: the earlier ones for "Weitere anzeigen"
    and for a short refinement after a list of events ("und online?", "im April?"),
    else the latest message alone."""
    earlier = [r for r in (tracker.get_slot("event_request") or "").split(REQUEST_SEPARATOR) if r]
    if next_page:
        return earlier
    text = latest_text(tracker)
    names_trade = latest_entity(tracker, "trade") or latest_entity(tracker, "trade_group")
    if (
        earlier
        and tracker.get_slot("last_kind") == EVENTS
        and (
            refines_events(text) or names_trade  # "und online?", "und für Zimmerer?"
        )
    ):
        return [*earlier, text][-MAX_REQUESTS:]
    return [text]


def latest_of(requests: list[str], parse: Callable[[str], _T]) -> _T | None:
    """What the latest request that says anything about it says (a refinement
    overrides what came before, and keeps what it does not mention)."""
    for text in reversed(requests):
        if text.startswith("/"):
            continue
        if found := parse(text):
            return found
    return None


def without_earlier_format(
    query: EventQuery, requests: list[str], events: list[Event]
) -> tuple[EventQuery, list[Event]] | None:
    """For a refinement that finds nothing in the format asked for before ("und
    online?" after fairs), the query without that format and what it finds; None if
    the refinement names a format itself or nothing is found without it either."""
    if len(requests) < 2 or not query.formats or formats_in(requests[-1]):
        return None
    relaxed = replace(query, formats=frozenset())
    found = select(events, relaxed)
    return (relaxed, found) if found else None


def in_place_first(found: list[Event], query: EventQuery) -> list[Event]:
    """`found` with the events in the place asked for first ("in halle?": the workshop
    in Halle before the webinars and the fair in Leipzig), each part soonest first."""
    place = REGION_LABELS.get(query.region or "")
    return sorted(found, key=lambda event: place not in event.location) if place else found


def page_heading(
    query: EventQuery, found: list[Event], offset: int, left_out: frozenset[EventFormat]
) -> str:
    """ "Diese Termine passen:", or that only online events (or ones elsewhere in the
    region: the fair in Leipzig, a workshop in Dessau) fit the place asked for, or that
    none fit in the format `left_out`."""
    if offset:
        return "Weitere Termine:"
    place = REGION_LABELS.get(query.region or "")
    if place and all(event.region == "online" for event in found):
        return f"In {place} habe ich dazu keinen Termin vor Ort gefunden. Online passen diese:"
    if place and not any(place in event.location for event in found):
        return (
            f"In {place} selbst habe ich dazu keinen Termin gefunden. "
            "Online oder in der Region passen diese:"
        )
    if left_out:
        labels = " oder ".join(sorted(f"„{FORMAT_LABELS[fmt]}“" for fmt in left_out))
        return f"Im Format {labels} habe ich dazu nichts gefunden. Diese Termine passen:"
    return "Diese Termine passen:"


class ActionRecommendEvents(Action):
    """Up to three future events that fit trade, topic, region, format and time."""

    clock: Callable[[], datetime] = staticmethod(current_time)

    def name(self) -> str:
        return "action_recommend_events"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        offset_value = latest_entity(tracker, "event_offset")
        text = latest_text(tracker)
        emergency = None if offset_value else answer_emergency(dispatcher, tracker, text)
        if emergency is not None:  # "dat war dat Passwort vom Online-Banking"
            return emergency
        now = self.clock()
        listed = None if offset_value else await answer_listed(dispatcher, tracker, text, now)
        if listed is not None:
            return listed
        after_answer = tracker.get_slot("last_kind") == ANSWER
        asks = names_events(text) or asks_for_events(text, False)
        if after_answer and not offset_value and not asks:
            # "muss ich die irgendwo anmelden?" after an answer on drones is no event
            follow_up = contextual_question(tracker, text)
            if follow_up is not None:
                return answer(dispatcher, tracker, follow_up, known_trade(tracker))
        trade = known_trade(tracker)
        if not offset_value and self.is_question(tracker, text, trade):
            # "müssen meine Leute ne Schulung machen, wenn wir ChatGPT nutzen?"
            return answer(dispatcher, tracker, Query(text), trade)
        offset = int(float(offset_value)) if offset_value else 0
        requests = event_requests(tracker, bool(offset_value))
        topic = (
            latest_topic(tracker)
            or topic_named(text)  # "n workshop zu KI" where the NLU found no topic
            or (tracker.get_slot("event_topic") if len(requests) > 1 or offset_value else None)
            # "gibt es dazu auch eine Veranstaltung?" after an answer: on its topic
            or (tracker.get_slot("last_topic") if after_answer and is_elliptical(text) else None)
        )
        everyone = latest_of(requests, for_all_trades)
        query = EventQuery(
            now=now,
            trades=frozenset(
                () if everyone else trades_for(trade, tracker.get_slot("trade_group"))
            ),
            topic=topic,
            region=latest_of(requests, regions_in),
            formats=latest_of(requests, formats_in) or frozenset(),
            window=latest_of(requests, lambda text: time_window(text, now)),
        )
        upcoming = await calendar().upcoming(now)
        found = in_place_first(select(upcoming, query), query)
        left_out: frozenset[EventFormat] = frozenset()
        if not found and (relaxed := without_earlier_format(query, requests, upcoming)):
            left_out = query.formats
            query, found = relaxed
        events: list[EventType] = [
            *trade_events(trade),
            SlotSet("event_request", REQUEST_SEPARATOR.join(requests)),
            SlotSet("event_topic", topic),
            SlotSet("last_kind", EVENTS),
        ]
        page = found[offset : offset + PAGE_SIZE]
        if page:
            # one message per event: a bubble each on the phone; buttons on the last
            dispatcher.utter_message(text=page_heading(query, found, offset, left_out))
            more = [more_button(offset + PAGE_SIZE)] if len(found) > offset + PAGE_SIZE else []
            for number, event in enumerate(page, 1):
                dispatcher.utter_message(
                    **event_message(event), buttons=more if number == len(page) else []
                )
            return events
        if offset:
            dispatcher.utter_message(text="Das waren alle passenden Termine.")
            return events
        others = alternatives(upcoming, query)
        public = settings().public_url
        lines = ["Dazu habe ich leider keinen passenden Termin gefunden."]
        if others.same_topic:
            lines += ["", "Zum selben Thema zu einer anderen Zeit:"]
            lines += [describe(event, public) for event in others.same_topic]
        if others.for_trade:
            lines += ["", "Andere Themen für Sie:"]
            lines += [describe(event, public) for event in others.for_trade]
        lines += ["", "Passt nichts davon? Unsere Beratung hilft Ihnen gern persönlich weiter."]
        text = "\n".join(lines)
        dispatcher.utter_message(
            text=text,
            buttons=[ADVISOR_BUTTON],
            json_message={COUNTED: counted_links(text, public)},
        )
        return events

    def is_question(self, tracker: Tracker, text: str, trade: str | None) -> bool:
        """A question the NLU took for an event request that names no events (nor a
        place or time, unless it asks for a duty) and that the knowledge base answers
        ("brauchen meine Leute eine Schulung für ChatGPT?", "buchen Kunden so etwas
        heute online?")."""
        core = is_core_question(text)
        if not (core or is_substantial_question(text)):
            return False  # cheap checks first: most event requests end here
        if asks_for_events(text, core):
            return False
        # a place or time is an event request's, unless a question that names no events
        # asks for a duty ("hab mir im November ne neue Kasse geholt, muss ich die
        # anmelden?"); after an event list it is about the events
        duty = ASKS_FOR_DUTY.search(fold(text)) is not None
        after_events = tracker.get_slot("last_kind") == EVENTS
        if (not duty or after_events) and (regions_in(text) or time_window(text, self.clock())):
            return False
        group = tracker.get_slot("trade_group")
        return find_answer(text, trade, group, latest_topic(tracker)) is not None


def event_message(event: Event) -> dict[str, Any]:
    """One event with the link to its page (details and "In Kalender eintragen"); the
    widget shows the link with a title, messengers the address. The registration link
    goes through the gateway's counting redirect."""
    public = settings().public_url
    page = f"{public}/veranstaltungen/{event.id}"
    text = f"{describe(event, public)}\nDetails und Kalender: {page}"
    return {
        "text": text,
        "json_message": {
            "links": [{"url": page, "title": f"{event.title}: Details"}],
            COUNTED: counted_links(text, public),
            EVENT_KEY: event.id,  # what "was kostet dat?" afterwards is about
        },
    }


class ActionRecommendBestPractices(Action):
    """One to three cases of other businesses: by trade, then trade group, then topic."""

    def name(self) -> str:
        return "action_recommend_best_practices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        trade = known_trade(tracker)
        group = tracker.get_slot("trade_group")
        if not ASKS_FOR_CASES.search(fold(text)):
            # "und wie verhindere ich das in Zukunft?" after a hacked account
            emergency = answer_emergency(dispatcher, tracker, text)
            if emergency is not None:
                return emergency
            # "und berufsrechtliche Regelungen, was ist damit gemeint?" after an answer,
            # or a question of its own ("kann ich dat Häkchen schon vorher setzen …")
            query = contextual_question(tracker, text)
            if query is None and is_substantial_question(text):
                query = Query(text) if find_answer(text, trade, group, None) else None
            if query is not None:
                return [*trade_events(trade), *answer(dispatcher, tracker, query, trade)]
        topic = latest_topic(tracker) or tracker.get_slot("best_practice_topic")
        events: list[EventType] = [
            *trade_events(trade),
            SlotSet("best_practice_topic", topic),
            SlotSet("last_kind", BEST_PRACTICES),
        ]
        if trade is None and not group and not tracker.get_slot("trade_asked"):
            return [*events, *ask_trade(dispatcher, "best_practices")]
        chosen, level = recommend_cases(shipped_cases(), trade, group, topic)
        events.append(SlotSet("pending_request", None))
        if not chosen:
            dispatcher.utter_message(
                text="Dazu kenne ich leider noch kein Praxisbeispiel. Unsere Beratung "
                "kennt weitere Betriebe und vermittelt gern Kontakte.",
                buttons=[ADVISOR_BUTTON],
            )
            return events
        public = settings().public_url
        label = TRADE_LABELS.get(trade or "") or TRADE_GROUP_LABELS.get(group or "", "Ihr Gewerk")
        heading = {
            "trade": f"So machen es andere Betriebe ({label}):",
            "group": "Beispiele aus verwandten Gewerken:",
            "topic": "Beispiele aus anderen Gewerken zu diesem Thema:",
        }[level]
        dispatcher.utter_message(text=heading)
        for case in chosen:
            marker = " (Beispiel)" if case.illustrative and "(Beispiel)" not in case.title else ""
            page = f"{public}/praxis/{case.id}"
            dispatcher.utter_message(
                text=f"{case.title}{marker}\n{case.story()}\nMehr: {page}",
                json_message={"links": [{"url": page, "title": case.title}], COUNTED: [page]},
            )
        return events
