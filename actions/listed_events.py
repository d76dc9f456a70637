"""Questions about the events just listed ("was kostet dat?", "wie meld ich mich da
an?"): answered for those events, from the tracker's last bot messages."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions.config import settings
from actions.context import EVENTS, MAX_FOLLOW_UP_WORDS, names_events, words
from bot.events.recommend import registration_link
from bot.events.schema import Event
from bot.folding import fold
from bot.impact.links import COUNTED, counted_links

# the custom payload keys of an event message that names the event, and of an answer
# about the events just listed (the next question may be about them too)
EVENT_KEY = "event_id"
EVENTS_KEY = "event_ids"
ASKS_COST = re.compile(
    r"\b(kost\w*|preis\w*|gebuehr\w*|umsonst|gratis|kostenlos|kostenfrei|bezahl\w*|zahl\w*)\b"
)
# words of a question on the events just listed besides cost and registration
FILLERS = frozenset(
    [
        "was",
        "wat",
        "wie",
        "viel",
        "ich",
        "mich",
        "man",
        "wir",
        "uns",
        "sie",
        "da",
        "dat",
        "das",
        "des",
        "die",
        "der",
        "den",
        "dem",
        "es",
        "denn",
        "eigentlich",
        "und",
        "un",
        "so",
        "n",
        "ne",
        "nen",
        "ein",
        "eine",
        "einen",
        "jeweils",
        "alles",
        "zusammen",
        "ueberhaupt",
        "mal",
        "bitte",
        "dafuer",
        "dazu",
        "hin",
        "an",
        "muss",
        "muessen",
        "kann",
        "koennen",
        "wo",
        "wann",
        "teilnahme",
        "eintritt",
        "gebuehr",
        "dort",
        "beiden",
        "alle",
        "sich",
        "in",
        "im",
        "am",
        "fuer",
        "pro",
        "person",
    ]
)
ASKS_SIGN_UP = re.compile(
    r"\b(anmeld\w*|meld\w* (ich|man|wir) (mich|uns|sich)|registrier\w*|teilnehm\w*|"
    r"buch(en|e)|mitmachen|dabei sein|platz)\b"
)


def listed_event_ids(tracker: Tracker) -> list[str]:
    """The events the bot listed in reply to the message before the latest one."""
    ids: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            custom = (event.get("data") or {}).get("custom")
            if not isinstance(custom, dict):
                continue
            if custom.get(EVENT_KEY):
                ids.append(str(custom[EVENT_KEY]))
            ids += reversed([str(i) for i in custom.get(EVENTS_KEY) or []])
    return list(reversed(ids))


def asks_about_listed(tracker: Tracker, text: str) -> bool:
    """A short question on the cost or registration of the events just listed, that
    names nothing else ("was kostet dat?", not "was kostet ne Website?")."""
    said = words(text)
    folded = " ".join(said)
    short = 0 < len(said) <= MAX_FOLLOW_UP_WORDS
    asks = ASKS_COST.search(folded) or ASKS_SIGN_UP.search(folded)
    rest = ASKS_SIGN_UP.sub(" ", ASKS_COST.sub(" ", folded)).split()
    about_them = all(word in FILLERS or names_events(word) for word in rest)
    return bool(short and asks and about_them and tracker.get_slot("last_kind") == EVENTS)


def answer_about_listed(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, upcoming: list[Event]
) -> list[EventType] | None:
    """Cost and registration link of each event just listed; None if none was."""
    ids = listed_event_ids(tracker)
    by_id = {event.id: event for event in upcoming}
    listed = [by_id[i] for i in ids if i in by_id]
    if not listed:
        return None
    public = settings().public_url
    cost = ASKS_COST.search(fold(text)) is not None
    heading = (
        "Das kosten die eben genannten Termine:"
        if cost
        else "Anmelden können Sie sich über den Link beim Termin:"
    )
    lines = [heading]
    for event in listed:
        lines.append(
            f"• {event.title}: {event.cost}, Anmeldung: {registration_link(event, public)}"
        )
    text_out = "\n".join(lines)
    payload: dict[str, Any] = {
        COUNTED: counted_links(text_out, public),
        EVENTS_KEY: [event.id for event in listed],
    }
    dispatcher.utter_message(text=text_out, json_message=payload)
    return []
