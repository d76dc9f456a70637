"""Recommending events and best-practice cases to the person's trade."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import cache

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.answering import trades_for
from actions.knowledge import ActionAnswerQuestion, known_trade, latest_entity, trade_events
from bot.best_practices import recommend_cases, shipped_cases
from bot.config import Settings
from bot.db.engine import create_engine
from bot.events.recommend import (
    EventQuery,
    alternatives,
    describe,
    formats_in,
    regions_in,
    select,
)
from bot.events.store import UpcomingEventsCache
from bot.events.timeexpr import BERLIN, time_window
from bot.kb.labels import TRADE_LABELS
from bot.texts import ADVISOR_BUTTON

PAGE_SIZE = 3


def current_time() -> datetime:
    """Now in Berlin, or the fixed time of WERKBOT_NOW (ISO 8601) for demos and tests."""
    fixed = os.environ.get("WERKBOT_NOW")
    return datetime.fromisoformat(fixed).astimezone(BERLIN) if fixed else datetime.now(BERLIN)


@cache
def calendar() -> UpcomingEventsCache:
    """Upcoming events of DATABASE_URL, one cache per action-server process."""
    return UpcomingEventsCache(create_engine(Settings.from_env().database_url))


def more_button(offset: int) -> dict[str, str]:
    """Quick reply for the next page of events."""
    return {
        "title": "Weitere anzeigen",
        "payload": f'/request_events{{"event_offset": "{offset}"}}',
    }


class ActionRecommendEvents(Action):
    """Up to three future events that fit trade, topic, region, format and time."""

    clock: Callable[[], datetime] = staticmethod(current_time)

    def name(self) -> str:
        return "action_recommend_events"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        offset_value = latest_entity(tracker, "event_offset")
        request = tracker.get_slot("event_request") if offset_value else None
        text = request or (tracker.latest_message.get("text") or "")
        offset = int(float(offset_value)) if offset_value else 0
        trade = known_trade(tracker)
        now = self.clock()
        topic = latest_entity(tracker, "topic") if not request else tracker.get_slot("event_topic")
        query = EventQuery(
            now=now,
            trades=frozenset(trades_for(trade, tracker.get_slot("trade_group"))),
            topic=topic,
            region=regions_in(text),
            formats=formats_in(text),
            window=time_window(text, now) if not text.startswith("/") else None,
        )
        upcoming = await calendar().upcoming(now)
        found = select(upcoming, query)
        events: list[EventType] = [
            *trade_events(trade),
            SlotSet("event_request", text),
            SlotSet("event_topic", topic),
        ]
        page = found[offset : offset + PAGE_SIZE]
        if page:
            # one message per event: a bubble each on the phone; buttons on the last
            dispatcher.utter_message(
                text="Diese Termine passen:" if offset == 0 else "Weitere Termine:"
            )
            more = [more_button(offset + PAGE_SIZE)] if len(found) > offset + PAGE_SIZE else []
            for number, event in enumerate(page, 1):
                dispatcher.utter_message(
                    text=describe(event), buttons=more if number == len(page) else []
                )
            return events
        if offset:
            dispatcher.utter_message(text="Das waren alle passenden Termine.")
            return events
        others = alternatives(upcoming, query)
        lines = ["Dazu habe ich leider keinen passenden Termin gefunden."]
        if others.same_topic:
            lines += ["", "Zum selben Thema zu einer anderen Zeit:"]
            lines += [describe(event) for event in others.same_topic]
        if others.for_trade:
            lines += ["", "Andere Themen für Sie:"]
            lines += [describe(event) for event in others.for_trade]
        dispatcher.utter_message(text="\n".join(lines), buttons=[ADVISOR_BUTTON])
        return events


class ActionRecommendBestPractices(Action):
    """One to three cases of other businesses: by trade, then trade group, then topic."""

    def name(self) -> str:
        return "action_recommend_best_practices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trade = known_trade(tracker)
        group = tracker.get_slot("trade_group")
        topic = latest_entity(tracker, "topic") or tracker.get_slot("best_practice_topic")
        if trade is None and not group and not tracker.get_slot("trade_asked"):
            return [
                SlotSet("best_practice_topic", topic),
                SlotSet("pending_request", "best_practices"),
                SlotSet("trade_asked", True),
                SlotSet("trade_needed", True),
            ]
        chosen, level = recommend_cases(shipped_cases(), trade, group, topic)
        events: list[EventType] = [
            *trade_events(trade),
            SlotSet("trade_needed", False),
            SlotSet("pending_request", None),
        ]
        if not chosen:
            dispatcher.utter_message(
                text="Dazu kenne ich leider noch kein Praxisbeispiel. Unsere Beratung "
                "kennt weitere Betriebe und vermittelt gern Kontakte.",
                buttons=[ADVISOR_BUTTON],
            )
            return events
        public = Settings.from_env().public_url
        label = TRADE_LABELS.get(trade or "", "Ihr Gewerk")
        heading = {
            "trade": f"So machen es andere Betriebe ({label}):",
            "group": "Beispiele aus verwandten Gewerken:",
            "topic": "Beispiele aus anderen Gewerken zu diesem Thema:",
        }[level]
        dispatcher.utter_message(text=heading)
        for case in chosen:
            marker = " (Beispiel)" if case.illustrative and "(Beispiel)" not in case.title else ""
            dispatcher.utter_message(
                text=f"{case.title}{marker}\n{case.story()}\nMehr: {public}/praxis/{case.id}"
            )
        return events


class ActionContinueAfterTrade(Action):
    """After the trade form: finish what needed the trade (cases or the question)."""

    def name(self) -> str:
        return "action_continue_after_trade"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("pending_request") == "best_practices":
            return await ActionRecommendBestPractices().run(dispatcher, tracker, domain)
        return await ActionAnswerQuestion().run(dispatcher, tracker, domain)
