"""Answers from the knowledge base: the best section, its source and a link to read on."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from actions.amounts import names_limit, threshold_sentence
from actions.config import settings
from actions.context import asks_like_before, renews_condition, search_query
from actions.kb_index import knowledge_index
from actions.ranking import (
    TAILORED_SHARE,
    prevention_first,
    stating_fact_first,
    stating_first,
    staying_first,
    subject_first,
    tailored_first,
)
from actions.sections import (
    SENTENCE_BREAK,
    asks_in_own_words,
    best_section,
    fitting_in_context,
    is_core_question,
    key_section_for,
    terms_in_heading,
    with_best_section,
)
from bot.folding import fold
from bot.kb.audit import source_name
from bot.kb.ended import ended_notices
from bot.kb.search import Hit, is_confident
from bot.kb.taxonomy import load_taxonomy
from bot.kb.validity import resolve
from bot.texts import ADVISOR_BUTTON
from bot.urls import host_of

MAX_ANSWER_CHARS = 600
# The trade is asked after a general answer that a guide for some trade group on the
# same topic scores this share of.
ASK_TRADE_SHARE = 0.6
# a hit this close to the best whose heading has more of the question's words goes first
HEADING_SHARE = 0.95
# A follow-up moves to a guide that scores this share of the best if a section of it
# fits the follow-up's own words FOCUS_GAIN times better than the first guide's.
FOCUS_SHARE = 0.6
FOCUS_GAIN = 2.0
# … or if it fits them better at all, when the first guide would repeat the section the
# last answer gave ("dat Darlehen von der Investitionsbank, wie viel kriegt man da?"
# after the overview of grants: the loan's amounts, not the overview again)
REPEAT_GAIN = 1.0
MIN_FOCUS_FIT = 1.0
BARE_YES_NO = re.compile(r"^(Ja|Nein)\.\s+")
YES_NO_OPENING = re.compile(r"^(?:Ja|Nein)[,.:]?\s+(\S)")
# a question that asks what, how, where … (folded), not whether, at its start or
# after a comma ("brauch ne neue Kasse, worauf muss ich achten?")
OPEN_QUESTION = re.compile(
    r"(^|[,.;!?] ?)((und|aber|un) )?((ab|seit|bis) wann|was|wie|wo|worauf|worum|woran|"
    r"wofuer|womit|wozu|welch\w*|wer|wen|wem|warum|wieso|weshalb)\b"
)
# a sentence of the section is left out if this share of its words is in the opening
REPEAT_SHARE = 0.7
FEEDBACK_BUTTONS = [
    {"title": "Hat geholfen", "payload": "#feedback:helpful"},
    {"title": "Hat nicht geholfen", "payload": "#feedback:not_helpful"},
]
NO_ANSWER = (
    "Dazu habe ich in unserer Wissensbasis leider keine verlässliche Antwort. "
    "Möchten Sie die Frage anders stellen oder mit unserer Beratung sprechen?"
)


def shorten(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """`text` cut after the last whole sentence that fits into `limit` characters."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_BREAK.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def trades_for(trade: str | None, trade_group: str | None) -> list[str]:
    """The trade, or all trades of the group, for boosting the search."""
    if trade:
        return [trade]
    if trade_group:
        return list(load_taxonomy().trade_groups.get(trade_group, ()))
    return []


def answer_text(
    hit: Hit, question: str, today: date, core: bool = True, context: str = ""
) -> tuple[Hit, str]:
    """The hit to show (its key section for a core question, unless not `core`) and the
    text: notices of ended programmes, the core answer (the sentence that fits the
    question and a follow-up's `context` first), then the section."""
    lead: list[str] = []
    guide_answer = hit.guide.meta.answer
    # an amount the person names is new even after the core answer was given
    stated = threshold_sentence(guide_answer, question, context) if guide_answer else None
    key_answer = guide_answer if core else None
    # "und wenn der Kunde ne Firma is?" after an exception got the rule (find_answer)
    # "und empfangen?" after "muss ich E-Rechnungen verschicken?" asks "muss ich" too
    renewed = (renews_condition(question) or asks_like_before(question)) and is_core_question(
        context
    )
    wants_key = (key_answer is not None and (renewed or is_core_question(question))) or bool(stated)
    # the key section only where it fits the question (an amount named in a question
    # on the processing contract does not make it one on the data protection officer)
    key = key_section_for(question, hit) if wants_key else None
    if key is not None:
        hit = replace(hit, section=key)
        if stated:  # the answer for the amount the person named, instead of the rule
            lead.append(stated)
        elif key_answer is not None:
            lead.append(fitting_in_context(key_answer.text, question, context))
    elif stated and guide_answer and names_limit(hit.section.text, guide_answer.threshold):
        # the section that fits better names the same limit ("ab 250 Gramm" for the
        # drone licence): the answer for the amount goes first all the same
        lead.append(stated)
    open_question = OPEN_QUESTION.search(fold(question).strip()) is not None
    if lead and open_question and not stated:
        lead = [without_yes_or_no(lead[0])]
    lead = [*ended_notices(question, " ".join([*lead, hit.section.text]), today), *lead]
    opening = " ".join(lead)
    if not opening:
        section = hit.section.text
        # a follow-up that does not ask the section's heading gets no "Ja."/"Nein." that
        # answers the heading ("hab aber kein Laden, geht dat trotzdem?" is not "Muss
        # meine Adresse sichtbar sein? Nein.")
        other = bool(context) and not asks_in_own_words(hit.section.heading, question)
        return hit, shorten(without_yes_or_no(section) if open_question or other else section)
    # the section's "Ja." or "Nein." answers its heading, not the question: after the
    # core answer it would contradict it ("Ja, wenn …" then "Nein. Eine Befreiung …")
    body = without_repeats(BARE_YES_NO.sub("", hit.section.text), opening)
    rest = MAX_ANSWER_CHARS - len(opening) - 2
    return hit, f"{opening}\n\n{shorten(body, max(rest, 150))}" if body else opening


def without_yes_or_no(text: str) -> str:
    """`text` without an opening "Ja," or "Nein." ("worauf muss ich achten?" is no
    yes-or-no question)."""
    return YES_NO_OPENING.sub(lambda m: m.group(1).upper(), text, count=1)


def without_repeats(text: str, opening: str) -> str:
    """`text` without its sentences that the opening already says (most of their
    words are in it)."""
    said = set(re.findall(r"\w+", opening.lower()))
    kept = []
    for sentence in SENTENCE_BREAK.split(text):
        words = set(re.findall(r"\w+", sentence.lower()))
        if not words or len(words & said) < REPEAT_SHARE * len(words):
            kept.append(sentence)
    return " ".join(kept)


def source_lines(hit: Hit) -> str:
    """ "Quelle: authority or host (Stand …)" and the link to the guide's section."""
    meta = hit.guide.meta
    first = str(meta.sources[0])
    hosts = list(dict.fromkeys(host_of(str(url)) for url in meta.sources))
    source = (source_name(first) or hosts[0]) + (" u. a." if len(hosts) > 1 else "")
    return f"Quelle: {source} (Stand {meta.checked:%d.%m.%Y})\nMehr lesen: {guide_link(hit)}"


def guide_link(hit: Hit) -> str:
    """The address of the answer's section on the guide's page."""
    meta = hit.guide.meta
    return f"{settings().public_url}/wissen/{meta.id}#abschnitt-{hit.section.number}"


def answer_message(
    hit: Hit,
    related: list[Hit],
    question: str = "",
    today: date | None = None,
    core: bool = True,
    context: str = "",
) -> dict[str, Any]:
    """Text, buttons and custom payload of one answer (`core`: the core answer may
    come first; `context`: the conversation so far of a follow-up)."""
    day = today or date.today()
    hit, text = answer_text(hit, question, day, core, context)
    meta = hit.guide.meta
    text = f"{text}\n\n{source_lines(hit)}"
    buttons = [
        *FEEDBACK_BUTTONS,
        *(
            {
                "title": other.guide.meta.title,
                "payload": other.guide.meta.title,
                # what a messenger shows where the whole title does not fit
                "short_title": other.guide.meta.button_title,
            }
            for other in related
        ),
        ADVISOR_BUTTON,
    ]
    custom = {
        "answer": {
            "guide_id": meta.id,
            "section": hit.section.number,
            "score": round(hit.score, 2),
            "topics": list(meta.topics),
        },
        # the widget shows the guide's title as the text of its link
        "links": [{"url": guide_link(hit), "title": resolve(meta.title, day)}],
    }
    return {"text": text, "buttons": buttons, "json_message": custom}


def find_answer(
    question: str,
    trade: str | None,
    trade_group: str | None,
    topic: str | None,
    focus: str | None = None,
    last_guide: str | None = None,
    tailored_share: float = TAILORED_SHARE,
    last_section: int | None = None,
) -> tuple[Hit, list[Hit]] | None:
    """The best hit and up to two related guides, or None below the confidence threshold.

    `focus` is a follow-up's own text when `question` is rewritten with its context:
    the context finds the guide, the follow-up chooses the section within it. The
    follow-up stays at the `last_guide` while it scores STAY_SHARE of the best hit,
    unless another guide fits its words better than the `last_section` it would repeat.
    A guide for the trade goes first at `tailored_share` of the best hit's score.
    """
    trades = trades_for(trade, trade_group)
    hits = knowledge_index().search(search_query(question, focus), trades, topic, limit=5)
    if not is_confident(hits):
        return None
    ordered = hits if focus else heading_first(hits, question)
    tailored = tailored_first(ordered, set(trades), focus or question, tailored_share)
    named = tailored if focus else subject_first(tailored, question)
    stating = stating_fact_first(stating_first(named, focus or question), focus or question)
    ranked = staying_first(prevention_first(stating, question), last_guide)
    repeated = (last_guide, last_section)
    best, *others = focus_first(ranked, focus, set(trades), repeated) if focus else ranked
    if best.fixed_section:  # a known question, answered by the section named for it
        return best, others[:2]
    last = last_section if best.guide.id == last_guide else None
    chosen = with_best_section(best, focus or question, last)
    core = chosen.guide.meta.answer
    if focus and core and chosen.section.number == last and renews_condition(focus):
        # "und wenn der Kunde ne Firma is?" after the exception for private customers:
        # the rule, not the same section again
        key = chosen.guide.section_titled(core.section)
        chosen = replace(chosen, section=key or chosen.section)
    return chosen, others[:2]


def focus_first(
    hits: list[Hit], focus: str, trades: set[str], last: tuple[str | None, int | None]
) -> list[Hit]:
    """`hits` with the guide whose section fits a follow-up's own words far better
    first, among those the context keeps close to the best ("und mit meinem
    Webhoster, brauch ich da n Vertrag?" after the website: the processing contract),
    or better at all if the first would repeat the `last` answer's guide and section.
    A general guide's follow-up does not move to a guide for another trade ("gilt dat
    auch bei Maßanfertigungen?" after the withdrawal button is no question on rings)."""
    top = max(hit.score for hit in hits)
    chosen_sections = [best_section(hit, focus) for hit in hits]
    fits = [fit for _, fit in chosen_sections]
    first = hits[0].guide.section_titled(chosen_sections[0][0] or "") or hits[0].section
    repeats = (hits[0].guide.id, first.number) == last

    def other_trade(hit: Hit) -> bool:
        written_for = set(hit.guide.meta.trades)
        return bool(written_for) and not written_for & trades

    # among close guides, how well the context fits each weighs in too ("wie viel
    # kriegt man da?" after a grant for consulting: the consulting grant's amounts,
    # not the loan's)
    close = [i for i, hit in enumerate(hits) if hit.score >= FOCUS_SHARE * top]
    if not other_trade(hits[0]):
        close = [i for i in close if not other_trade(hits[i])] or [0]
    chosen = max(close, key=lambda i: fits[i] * (hits[i].score / top) ** 2)
    gain = REPEAT_GAIN if repeats else FOCUS_GAIN
    if chosen == 0 or fits[chosen] < gain * max(fits[0], MIN_FOCUS_FIT):
        return hits
    return [hits[chosen], *(hit for i, hit in enumerate(hits) if i != chosen)]


def heading_first(hits: list[Hit], question: str) -> list[Hit]:
    """`hits` with one scoring HEADING_SHARE of the best first if its section heading has
    more of the question's own words and asks it ("Wie lange muss ich Rechnungen
    aufbewahren?": that section, not "Wie lange muss ich E-Mails aufbewahren?")."""
    whole = set(knowledge_index().analyzer.query_terms(question)[0])
    near = [hit for hit in hits if hit.score >= HEADING_SHARE * hits[0].score]
    if len(near) < 2:
        return hits
    shared = [len(terms_in_heading(question, hit.section.heading) & whole) for hit in near]
    chosen = near[shared.index(max(shared))]
    if max(shared) <= shared[0] or not asks_in_own_words(chosen.section.heading, question):
        return hits
    return [chosen, *(other for other in hits if other is not chosen)]


def trade_changes_answer(question: str, topic: str | None) -> bool:
    """True if the general guide for `question` says its answer differs by trade
    (`ask_trade`) and a guide written for some trade group would answer instead or
    fits nearly as well."""
    general = knowledge_index().search(question, (), topic, limit=3)
    if not is_confident(general) or not general[0].guide.meta.ask_trade:
        return False
    best = general[0]
    for trades in load_taxonomy().trade_groups.values():
        hits = knowledge_index().search(question, trades, topic, limit=5)
        if not is_confident(hits):
            continue
        if tailored_first(hits, set(trades))[0].guide.id != best.guide.id:
            return True
        # a guide for the group on the same topic that fits nearly as well ("neue
        # Registrierkasse, worauf achten?": the bakery's and the salon's till guides)
        if any(
            set(hit.guide.meta.trades) & set(trades)
            and set(hit.guide.meta.topics) & set(best.guide.meta.topics)
            and hit.score >= ASK_TRADE_SHARE * best.score
            for hit in hits
        ):
            return True
    return False


knowledge_index()  # build the index when the action server starts, not on the first question
