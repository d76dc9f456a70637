"""The greeting: time of day in Germany, a short introduction and quick replies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.context import is_substantial_question
from actions.knowledge import latest_text
from actions.routing import reroute
from bot.texts import STARTERS

BERLIN = ZoneInfo("Europe/Berlin")

INTRODUCTION = (
    "Ich bin werkbot, der digitale Assistent der Handwerkskammer. "
    "Ich beantworte Ihre Fragen zur Digitalisierung im Betrieb – mit Quelle."
)
# the main paths; the widget shows the same as starters before anything is typed
QUICK_REPLIES = STARTERS


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
