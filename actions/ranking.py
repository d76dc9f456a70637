"""Orderings of search hits before the best is chosen: a guide for the person's trade,
one that states a duty or the fact asked, one on prevention, the last answer's guide."""

from __future__ import annotations

import re

from actions.cues import facts_asked
from actions.emergency import EMERGENCY_GUIDE
from actions.kb_index import knowledge_index
from actions.sections import asks_in_own_words, is_core_question
from bot.folding import fold
from bot.kb.search import Hit

# A guide written for the person's trade on the same topic as the best hit is preferred
# while it scores at least this share of it ("TSE" for a baker: the bakery guide).
TAILORED_SHARE = 0.8
# how to prevent an incident (folded), answered by a guide on prevention if it scores
# this share of the emergency guide
PREVENTION = re.compile(
    r"\b(schuetz\w*|vorbeug\w*|verhinder\w*|vermeid\w*|erkenn\w*|absicher\w*|"
    r"sicher (machen|aufstellen))\b"
)
PREVENTION_SHARE = 0.7
# a "muss ich …" question is answered by a guide with a core answer that scores this
# share of a best hit without one
CORE_GUIDE_SHARE = 0.8
# a guide's subject is named with this many words of its title ("Google" and
# "Unternehmensprofil"; one word such as "Laser" or "Fotos" names none)
MIN_SUBJECT_TERMS = 2
# A follow-up stays at the last answer's guide while it scores this share of the best.
STAY_SHARE = 0.8


def stating_first(hits: list[Hit], question: str) -> list[Hit]:
    """`hits` with a guide that states a duty in a core answer first for a "muss ich …"
    question, if it scores CORE_GUIDE_SHARE of the best and the best has none ("Elektro-
    betrieb mit 6 Gesellen, muss ich die Arbeitszeit erfassen?": the duty, not the
    building site's travel times)."""
    if hits[0].guide.meta.answer or not is_core_question(question):
        return hits
    for hit in hits[1:]:
        if hit.guide.meta.answer and hit.score >= CORE_GUIDE_SHARE * hits[0].score:
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def stating_fact_first(hits: list[Hit], question: str) -> list[Hit]:
    """`hits` with a guide that states the deadline, date or amount the question asks
    first, if the best states none and it scores TAILORED_SHARE of the best ("bis wann
    muss ich die Kasse melden?" for a baker: the month after buying, not the bakery's
    till guide)."""
    facts = facts_asked(fold(question))

    def states(hit: Hit) -> bool:
        return any(fact.search(section.text) for fact in facts for section in hit.guide.sections)

    if not facts or states(hits[0]):
        return hits
    for hit in hits[1:]:
        if states(hit) and hit.score >= TAILORED_SHARE * hits[0].score:
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def prevention_first(hits: list[Hit], question: str) -> list[Hit]:
    """`hits` with the guide on prevention before the emergency guide when the question
    asks how to prevent ("wie schütz ich mich vor Phishing?"), if it scores
    PREVENTION_SHARE of the emergency guide."""
    if hits[0].guide.id != EMERGENCY_GUIDE or not PREVENTION.search(fold(question)):
        return hits
    for hit in hits[1:]:
        if hit.score >= PREVENTION_SHARE * hits[0].score:
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def staying_first(hits: list[Hit], last_guide: str | None) -> list[Hit]:
    """`hits` with the last answer's guide first while it scores at least STAY_SHARE of
    the best ("bis wann muss das passiert sein?" after registering a till)."""
    for hit in hits[1:]:
        if hit.guide.id == last_guide and hit.score >= STAY_SHARE * hits[0].score:
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def tailored_first(
    hits: list[Hit], trades: set[str], question: str = "", share: float = TAILORED_SHARE
) -> list[Hit]:
    """`hits` with a guide for the person's trade first if it is on the best hit's topic
    and scores at least `share` of it (the best hit stays if it is for the trade
    or if its section heading asks the `question` itself and the other's does not:
    "wie meld ich so ne Kasse beim Finanzamt an?" for a baker)."""
    best = hits[0]
    if trades & set(best.guide.meta.trades):
        return hits
    asked_here = bool(question) and asks_in_own_words(best.section.heading, question)
    for hit in hits[1:]:
        if asked_here and not asks_in_own_words(hit.section.heading, question):
            continue
        if (
            trades & set(hit.guide.meta.trades)
            and set(hit.guide.meta.topics) & set(best.guide.meta.topics)
            and hit.score >= share * best.score
        ):
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def title_terms_named(hit: Hit, text: str) -> int:
    """How many terms of the title of `hit`'s guide `text` names, or a synonym of
    ("schreiben" for "versenden")."""
    analyzer = knowledge_index().analyzer
    named = analyzer.terms(text)
    said = {*named, *analyzer.synonym_terms(named)}
    return len(said & set(analyzer.terms(hit.guide.meta.title)))


def subject_first(hits: list[Hit], question: str) -> list[Hit]:
    """`hits` with a guide whose title the question names first (MIN_SUBJECT_TERMS of
    its words), if the best's title has none of them and it scores TAILORED_SHARE of
    the best ("lohnt sich so n Google-Unternehmensprofil für nen Dachdecker": the
    profile's guide, not the one on being found online as a building trade)."""
    if title_terms_named(hits[0], question):
        return hits
    for hit in hits[1:]:
        close = hit.score >= TAILORED_SHARE * hits[0].score
        if close and title_terms_named(hit, question) >= MIN_SUBJECT_TERMS:
            return [hit, *(other for other in hits if other is not hit)]
    return hits
