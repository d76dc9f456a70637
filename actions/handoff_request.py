"""What a request for an advisor looks like, and what it tells the gateway (used by the
handoff, fallback and question actions)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.interfaces import Tracker

from actions.answering import find_answer
from actions.context import words
from actions.knowledge import known_trade, last_bot_custom, latest_topic

# a request for an advisor names people or a call; a follow-up question does not
ASKS_FOR_PEOPLE = re.compile(
    r"\b(berater\w*|beratung|mensch\w*|mitarbeiter\w*|person\w*|persoenlich|jemand\w*|"
    r"anruf\w*|anrufen|rueckruf\w*|zurueckrufen|telefon\w*|sprechen|reden|kontakt)\b"
)
# a request to be called back, however the NLU took it ("bitte um Rückruf zum Thema
# Zeiterfassung" asks for the advisor, not for the answer; folded words)
ASKS_FOR_CALLBACK = re.compile(
    r"\b(rueckruf\w*|zurueckruf\w*|ruf\w* (sie |ihr )?mich (\w+ )?(an|zurueck)|"
    r"mich (\w+ ){0,2}(an|zurueck)rufen|(mit|einen?|einer|nem|ner|n) "
    r"(berater\w*|menschen|mitarbeiter\w*) (sprechen|reden|verbinden)|"
    # "kann dat jemand mit mir am telefon machen", "lieber telefonisch besprechen"
    r"mit mir (\w+ ){0,3}(am |per |uebers )?telefon\w*|"
    r"(am|per|uebers) telefon (\w+ ){0,2}(machen|besprechen|klaeren|durchgehen|erklaeren)|"
    r"telefonisch (\w+ ){0,2}(machen|besprechen|klaeren|durchgehen|erklaeren|beraten))\b"
)
# "wen muss ich anrufen?" asks whom to call, not to be called
ASKS_WHOM_TO_CALL = re.compile(
    r"^(wen|wo|wer|welche\w*|bei wem)\b.*\b(anruf\w*|anrufen|telefonier\w*|melden|kontaktier\w*)"
)
# a person and a way to reach them ("wie erreiche ich einen Berater?")
PEOPLE = re.compile(
    r"\b(berater\w*|beratung|mensch\w*|mitarbeiter\w*|jemand\w*|person\w*|persoenlich|wem)\b"
)
REACHING = re.compile(
    r"\b(sprech\w*|rede\w*|telefonier\w*|anruf\w*|anrufen|erreich\w*|kontakt\w*|helf\w*|hilft|"
    r"verbind\w*)\b"
)
# "kann mich da ma einer anrufen?": being called, whoever calls
CALLED = re.compile(r"\bmich\b.*\b(anruf\w*|anrufen|zurueckruf\w*|kontaktier\w*)\b")
CONCERN_MIN_WORDS = 7
# words of a request for an advisor (folded), not of what it is about
REQUEST_WORD = re.compile(
    rf"{ASKS_FOR_PEOPLE.pattern}|{REACHING.pattern}|\b(handwerkskammer|kammer|hwk|euch|ihnen)\b"
)


def asks_for_callback(text: str) -> bool:
    """True if the message asks to be called back or to talk to an advisor."""
    folded = " ".join(words(text))
    if ASKS_FOR_CALLBACK.search(folded) or CALLED.search(folded):
        return True
    return PEOPLE.search(folded) is not None and REACHING.search(folded) is not None


def asks_for_people(text: str) -> bool:
    """True if the message names people or a call (and does not ask whom to call)."""
    if asks_for_callback(text):
        return True
    folded = " ".join(words(text))
    return ASKS_FOR_PEOPLE.search(folded) is not None and not ASKS_WHOM_TO_CALL.search(folded)


def handoff_payload(tracker: Tracker, reason: str, question: str | None) -> dict[str, Any]:
    """What the gateway needs to prefill the summary: reason, question, trade, topic."""
    answer = last_bot_custom(tracker, "answer").get("answer") or {}
    topics = answer.get("topics") or []
    return {
        "handoff": {
            "reason": reason,
            "question": question or "",
            "trade": known_trade(tracker),
            "topic": latest_topic(tracker) or (topics[0] if topics else None),
        }
    }


def concern(tracker: Tracker, text: str) -> str | None:
    """What the advisor should know: the request itself if it says what it is about
    ("Rückruf wegen Förderung für unsere Website": the knowledge base finds the
    subject), else the last question ("kann mich da mal einer von euch anrufen?")."""
    # the words beyond the request say what it is about ("möcht mit jemand von der
    # Kammer sprechen" says nothing)
    beyond = " ".join(w for w in words(text) if not REQUEST_WORD.fullmatch(w))
    said_what = latest_topic(tracker) or (
        len(text.split()) >= CONCERN_MIN_WORDS and find_answer(beyond, None, None, None) is not None
    )
    if said_what and not text.startswith("/"):
        return text
    return tracker.get_slot("last_question") or None
