"""The greeting: time of day in Germany, a short introduction and quick replies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.context import is_substantial_question
from actions.fallback import ActionHandleFallback
from actions.knowledge import latest_text
from actions.routing import reroute
from bot.folding import fold
from bot.texts import STARTERS

BERLIN = ZoneInfo("Europe/Berlin")

INTRODUCTION = (
    "Ich bin werkbot, der digitale Assistent der Handwerkskammer. "
    "Ich beantworte Ihre Fragen zur Digitalisierung im Betrieb – mit Quelle."
)
# the main paths; the widget shows the same as starters before anything is typed
QUICK_REPLIES = STARTERS
# what makes a message a greeting (folded): a salutation or "wie geht's" ("na dings da
# mit dem zeug" is no greeting, however sure the NLU is)
GREETING_WORDS = re.compile(
    r"\b(hal+o\w*|hal+oe\w*|hal+i\w*|hi|hey\w*|hello|gu\w*|moin\w*|servus|gr(ue|ia|u)e?s+\w*|"
    r"grue?ezi|tach\w*|tag\w*|morgen\w*|morj\w*|abend|nachmittag|mahlzeit|ahoi|huhu|glueck auf|"
    r"geehrte\w*|wie (gehts|geht es|laeufts|laeuft es|isses|ist es)|alles (klar|fit)|jemand|"
    r"wieder da|neu hier|erstes mal)\b"
)
# "na du", "na?": a greeting without one of the words above
GREETING_MAX_WORDS = 2


def greets(text: str) -> bool:
    """True if `text` greets (a salutation, "wie geht's", or two words at most)."""
    folded = fold(text.lower())
    return len(folded.split()) <= GREETING_MAX_WORDS or GREETING_WORDS.search(folded) is not None


def salutation(now: datetime) -> str:
    """ "Guten Morgen" before 11, "Guten Abend" from 18 o'clock, else "Guten Tag"."""
    hour = now.astimezone(BERLIN).hour
    if 4 <= hour < 11:
        return "Guten Morgen"
    if 11 <= hour < 18:
        return "Guten Tag"
    return "Guten Abend"


class ActionGreet(Action):
    """Greets with the time of day and offers the main paths."""

    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(BERLIN))

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if not greets(text):
            return await ActionHandleFallback().run(dispatcher, tracker, domain)
        if is_substantial_question(text):
            # "moin moin, wie lang muss ich die Rechnungen aufheben?": greet and answer
            answered = CollectingDispatcher()
            rerouted = await reroute(answered, tracker, domain)
            if rerouted is not None:
                dispatcher.utter_message(text=f"{salutation(self.clock())}!")
                dispatcher.messages.extend(answered.messages)
                return rerouted
        dispatcher.utter_message(
            text=f"{salutation(self.clock())}! {INTRODUCTION}", buttons=QUICK_REPLIES
        )
        return []
