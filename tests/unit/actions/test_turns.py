"""Turns found on the development set dev4: callbacks asked for in a question, whom to
call in an emergency, corrections, thanks that are none, questions taken for examples."""

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionAffirm, ActionOfferHandoff
from actions.handoff_request import asks_for_callback, asks_for_people
from actions.knowledge import contextual_question, named_trade
from actions.recommending import ActionRecommendBestPractices
from actions.routing import (
    ActionAnswerQuestion,
    ActionDeny,
    ActionGoodbye,
    ActionOutOfScope,
    ActionThank,
)
from actions.trade import ActionHandleTrade
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker

RANSOMWARE = {
    "last_question": "HILFE unser server is verschlüsselt, die wollen bitcoin",
    "last_kind": "answer",
    "last_guide": "it-notfall-sofortmassnahmen",
    "last_topic": "it_sicherheit",
}


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {str(e["name"]): e["value"] for e in events if e.get("event") == "slot"}


def answered_guide(dispatcher: CollectingDispatcher) -> str:
    return str(dispatcher.messages[0]["custom"]["answer"]["guide_id"])


def trades_named(text: str, **trades: str) -> list[dict[str, Any]]:
    """Trade entities as the NLU extracts them: word in `text` → trade id."""
    return [
        {"entity": "trade", "value": trade, "start": text.index(word)}
        for word, trade in trades.items()
    ]


async def reply_to(text: str, **slots: Any) -> CollectingDispatcher:
    """What the bot answers to `text` with `slots` set."""
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, tracker(text, slots=slots), EMPTY_DOMAIN)
    return dispatcher


def after(question: str, guide: str, topic: str) -> dict[str, str]:
    """The slots after `question` was answered from `guide`."""
    return {
        "last_question": question,
        "last_kind": "answer",
        "last_guide": guide,
        "last_topic": topic,
    }


@pytest.mark.parametrize(
    ("text", "callback", "people"),
    [
        ("bitte um rückruf zum thema zeiterfassung per app", True, True),
        ("kann mich wer zurückrufen", True, True),
        ("rufen sie mich bitte an", True, True),
        ("ich will mit nem berater sprechen", True, True),
        ("Mit Berater sprechen", True, True),
        ("gibt es hier auch menschen?", False, True),
        ("wen muss ich da anrufen, polizei?", False, False),
        ("wo muss ich das melden", False, False),
        ("wie erreiche ich einen berater", True, True),
        ("kann mich da ma einer anrufen, blick da nich durch", True, True),
        ("kann mir da jemand persönlich helfen", True, True),
        ("kann ich da jeden berater nehmen", False, True),
        ("können sie mich mit nem berater verbinden? es geht um förderung", True, True),
        ("wie verbinde ich die kasse mit der software", False, False),
        ("kann dat jemand mit mir am telefon machen", True, True),
        ("können wir das lieber telefonisch klären", True, True),
        ("wenn jemand am telefon nach meinem passwort fragt", False, True),
    ],
)
def test_callback_requests_and_whom_to_call(text: str, callback: bool, people: bool) -> None:
    assert asks_for_callback(text) is callback
    assert asks_for_people(text) is people


async def test_a_question_that_asks_for_a_callback_starts_the_handoff() -> None:
    dispatcher = CollectingDispatcher()
    request = tracker("bitte um rückruf zum thema zeiterfassung per app")
    await ActionAnswerQuestion().run(dispatcher, request, EMPTY_DOMAIN)
    [message] = dispatcher.messages
    assert message["custom"]["handoff"]["question"] == request.latest_message["text"]
    # a request that names no subject: the last question is the concern
    dispatcher = CollectingDispatcher()
    last = "bin fliesenleger, wie lang muss ich rechnungen aufheben"
    slots = {"last_question": last, "last_kind": "answer"}
    request = tracker("kann mich da mal einer von euch anrufen?", slots=slots)
    await ActionAnswerQuestion().run(dispatcher, request, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["custom"]["handoff"]["question"] == last


async def test_a_request_that_only_asks_for_people_carries_the_last_question() -> None:
    dispatcher = CollectingDispatcher()
    last = "hallo. brauchen wir für unseren webshop so nen cookie banner"
    slots = {"last_question": last, "last_kind": "answer"}
    request = tracker("möcht mit jemand von der kammer sprechen", "request_human", slots=slots)
    await ActionOfferHandoff().run(dispatcher, request, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["custom"]["handoff"]["question"] == last


async def test_an_emergency_that_asks_for_a_call_gets_the_first_steps_first() -> None:
    dispatcher = CollectingDispatcher()
    emergency = tracker("HILFE alles verschlüsselt und die wollen bitcoin, kann mich wer anrufen")
    await ActionAnswerQuestion().run(dispatcher, emergency, EMPTY_DOMAIN)
    assert "Lösegeld" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["title"] == "Sofort mit Berater sprechen"


async def test_whom_to_call_in_an_emergency_is_answered_not_handed_over() -> None:
    dispatcher = CollectingDispatcher()
    whom = tracker("wen muss ich da anrufen, polizei?", intent="request_human", slots=RANSOMWARE)
    await ActionOfferHandoff().run(dispatcher, whom, EMPTY_DOMAIN)
    assert "Cybercrime" in dispatcher.messages[0]["text"]


async def test_customer_data_in_an_emergency_bring_the_72_hours() -> None:
    dispatcher = CollectingDispatcher()
    data = tracker("da sind auch kundendaten drauf", slots=RANSOMWARE)
    await ActionAnswerQuestion().run(dispatcher, data, EMPTY_DOMAIN)
    assert "72 Stunden" in dispatcher.messages[0]["text"]


async def test_a_corrected_trade_answers_the_last_question_again() -> None:
    dispatcher = CollectingDispatcher()
    text = "nee sorry, ich meinte bäckerei nicht fleischerei"
    correction = tracker(
        text,
        intent="deny",
        entities=trades_named(text, bäckerei="baecker", fleischerei="fleischer"),
        slots={
            "last_question": "wir sind ne fleischerei, müssen wir bons ausdrucken?",
            "last_kind": "answer",
            "trade": "fleischer",
        },
    )
    events = await ActionDeny().run(dispatcher, correction, EMPTY_DOMAIN)
    assert slots(events)["trade"] == "baecker"
    assert "Quelle:" in dispatcher.messages[0]["text"]


async def test_a_correction_naming_two_trades_takes_the_new_one() -> None:
    dispatcher = CollectingDispatcher()
    text = "ach quatsch, zimmerer mein ich, dachdecker is mein kollege"
    entities = trades_named(text, zimmerer="zimmerer", dachdecker="dachdecker")
    correction = tracker(
        text, intent="inform_trade", entities=entities, slots={"trade": "dachdecker"}
    )
    events = await ActionHandleTrade().run(dispatcher, correction, EMPTY_DOMAIN)
    assert slots(events)["trade"] == "zimmerer"
    assert "Zimmerer" in dispatcher.messages[0]["text"]


async def test_a_corrected_number_answers_the_last_question_again() -> None:
    dispatcher = CollectingDispatcher()
    correction = tracker(
        "ne warte, hab mich vertan, warn 950.000",
        intent="out_of_scope",
        slots={
            "last_question": "ab wann muss ich e-rechnungen verschicken? umsatz so 600.000",
            "last_kind": "answer",
        },
    )
    await ActionOutOfScope().run(dispatcher, correction, EMPTY_DOMAIN)
    assert "800.000" in dispatcher.messages[0]["text"]


async def test_thanks_stay_thanks_a_follow_up_taken_for_thanks_is_answered() -> None:
    state = {
        "last_question": "was is dieser cyberrisikocheck",
        "last_kind": "answer",
        "last_guide": "it-sicherheit-einstieg",
        "last_topic": "it_sicherheit",
    }
    dispatcher = CollectingDispatcher()
    await ActionThank().run(dispatcher, tracker("super, danke dir", slots=state), EMPTY_DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_thank"]
    dispatcher = CollectingDispatcher()
    follow_up = tracker("für wen is der gedacht", intent="thank", slots=state)
    await ActionThank().run(dispatcher, follow_up, EMPTY_DOMAIN)
    assert "50 Beschäftigten" in dispatcher.messages[0]["text"]


async def test_a_question_taken_for_examples_is_answered() -> None:
    dispatcher = CollectingDispatcher()
    question = tracker(
        "kann ich dat häkchen schon vorher setzen damit die leute nur ok klicken",
        intent="request_best_practices",
    )
    events = await ActionRecommendBestPractices().run(dispatcher, question, EMPTY_DOMAIN)
    assert slots(events)["last_kind"] == "answer"
    assert "Häkchen" in dispatcher.messages[0]["text"]


def test_a_complete_question_on_another_guide_is_no_follow_up() -> None:
    after_ki = tracker(
        "muss ich kunden sagen dass die mit nem chatbot schreiben?",
        slots={
            "last_question": "ab wann müssen meine leute ne ki schulung haben",
            "last_kind": "answer",
            "last_guide": "ki-im-handwerksbetrieb",
            "last_topic": "kuenstliche_intelligenz",
        },
    )
    query = contextual_question(after_ki, after_ki.latest_message["text"])
    assert query is not None
    assert (query.focus, query.topic) == (None, None)  # a question of its own


async def test_a_follow_up_stays_at_the_guide_that_answers_it() -> None:
    invoices = "wie lange muss ich eigentlich rechnungen aufheben"
    dispatcher = await reply_to(
        "und normale geschäftsbriefe?",
        **after(invoices, "aufbewahrungsfristen", "gobd_archivierung"),
    )
    assert answered_guide(dispatcher) == "aufbewahrungsfristen"
    assert "sechs Jahre" in dispatcher.messages[0]["text"]


async def test_a_question_about_advisors_of_a_grant_is_no_handoff() -> None:
    dispatcher = CollectingDispatcher()
    question = tracker(
        "kann ich da jeden berater nehmen",
        intent="request_human",
        slots={
            "last_question": "gibts die bafa förderung für unternehmensberatung noch?",
            "last_kind": "answer",
            "last_guide": "bafa-beratungsfoerderung-kmu",
            "last_topic": "foerderung",
        },
    )
    await ActionOfferHandoff().run(dispatcher, question, EMPTY_DOMAIN)
    assert "registriert" in dispatcher.messages[0]["text"]


async def test_what_is_questions_are_answered_even_if_taken_for_out_of_scope() -> None:
    dispatcher = CollectingDispatcher()
    question = tracker("was is dieser cyberrisikocheck von dem alle reden", intent="out_of_scope")
    await ActionOutOfScope().run(dispatcher, question, EMPTY_DOMAIN)
    assert "DIN SPEC 27076" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("last_question", "guide", "topic", "follow_up", "expected"),
    [
        (
            "ich will auf meine webseite so n ki-chatbot packen, was muss ich da beachten",
            "chat-chatbot-website",
            "kundenkommunikation",
            "ab wann gilt dat",
            "2. August 2026",
        ),
        (
            "bin elektriker mit 15 leuten, betrifft mich dieses nis2?",
            "nis2-lieferanten-handwerk",
            "it_sicherheit",
            "seit wann gilt dat",
            "2025",
        ),
        (
            "gibt's zuschuss wenn ich mich zur digitalisierung beraten lass",
            "foerderung-digitalisierung-ueberblick",
            "foerderung",
            "wie viel kriegt man da",
            "3.500 Euro",
        ),
        (
            "wir verkaufen auch online im shop, was is dieser widerrufsbutton",
            "onlineshop-handwerk",
            "onlinehandel",
            "gilt dat auch bei maßanfertigungen",
            "kein Widerrufsrecht",
        ),
        (
            # the section stating 2020, not the salon's core answer again
            "bin friseurin, brauch ich für die kasse ne tse",
            "kasse-friseur-kosmetik",
            "kasse_tse",
            "oh und seit wann is dat so, hab ich verpennt",
            "seit dem 1. Januar 2020",
        ),
        (
            "was is der unterschied zwischen xrechnung und zugferd",
            "e-rechnung-formate",
            "e_rechnung",
            "und wie lange muss ich die aufheben",
            "acht Jahre",
        ),
        (
            "muss ich als maurer ein bautagebuch führen?",
            "digitales-bautagebuch",
            "mobile_baustelle",
            "wozu dann der aufwand",
            "Belege",
        ),
    ],
)
async def test_short_follow_ups_find_the_fact_they_ask_for(
    last_question: str, guide: str, topic: str, follow_up: str, expected: str
) -> None:
    dispatcher = await reply_to(follow_up, **after(last_question, guide, topic))
    assert expected in dispatcher.messages[0]["text"]


async def test_what_software_brings_is_answered_with_its_tasks_not_its_price() -> None:
    dispatcher = await reply_to("was bringt mir eigentlich ne handwerkersoftware")
    assert "spart Büroarbeit" in dispatcher.messages[0]["text"]


async def test_a_follow_up_in_an_emergency_gets_the_step_it_asks_about_first() -> None:
    dispatcher = CollectingDispatcher()
    follow_up = tracker("soll ich zahlen? die wollen 2000 euro", slots=RANSOMWARE)
    await ActionAnswerQuestion().run(dispatcher, follow_up, EMPTY_DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Zahlen Sie kein Lösegeld")


async def test_a_complete_question_a_heading_elsewhere_asks_leaves_the_guide() -> None:
    """ "wie lang muss ich die Kassendaten aufheben?" after buying a till: retention."""
    till = "brauch ne neue kasse für meinen laden, worauf muss ich achten"
    dispatcher = await reply_to(
        "wie lang muss ich die kassendaten aufheben",
        **after(till, "kasse-tse-grundlagen", "kasse_tse"),
        trade="konditor",
    )
    assert answered_guide(dispatcher) == "aufbewahrungsfristen"
    assert "acht Jahre" in dispatcher.messages[0]["text"]


async def test_a_broad_till_question_asks_the_trade_after_the_answer() -> None:
    dispatcher = await reply_to("wir wolln ne neue registrierkasse kaufen, worauf muss ich achten")
    assert "Quelle:" in dispatcher.messages[0]["text"]
    assert "Gewerk" in dispatcher.messages[-1]["text"]


async def test_the_core_answer_of_a_follow_up_opens_with_what_the_context_asked() -> None:
    """A small business asks whether it must also send e-invoices: the sentence on
    small businesses first."""
    receiving = "muss ich als kleinunternehmer e-rechnungen annehmen können?"
    dispatcher = await reply_to(
        "und muss ich dann auch selber welche schreiben?",
        **after(receiving, "e-rechnung-empfangen", "e_rechnung"),
    )
    assert "Kleinunternehmer müssen keine" in dispatcher.messages[0]["text"][:150]


async def test_where_to_keep_backups_is_no_question_on_the_store_room() -> None:
    dispatcher = await reply_to(
        "und wo lager ich die am besten",
        **after(
            "wie mach ich backups richtig fürs büro", "datensicherung-ransomware", "it_sicherheit"
        ),
    )
    assert answered_guide(dispatcher) == "datensicherung-ransomware"
    assert "anderen Ort" in dispatcher.messages[0]["text"]


async def test_the_trade_named_after_the_trade_question_gets_its_guide() -> None:
    """The bot asked the trade after the general TSE answer: the bakery's guide follows,
    not the general answer again."""
    dispatcher = CollectingDispatcher()
    state = {
        **after(
            "Brauche ich eine TSE für meine Registrierkasse?", "kasse-tse-grundlagen", "kasse_tse"
        ),
        "pending_request": "question",
        "trade_asked": True,
    }
    group = [{"entity": "trade_group", "value": "lebensmittel"}]
    tapped = tracker("Lebensmittel", intent="inform_trade", entities=group, slots=state)
    await ActionHandleTrade().run(dispatcher, tapped, EMPTY_DOMAIN)
    assert answered_guide(dispatcher) == "kasse-baeckerei-fleischerei"


@pytest.mark.parametrize(
    ("text", "topic", "guide"),
    [
        (
            "elektrobetrieb mit 6 gesellen, muss ich die arbeitszeit erfassen",
            "arbeitszeit",
            "arbeitszeiterfassung-pflicht",
        ),
        ("brauch ich ne neue kasse?", "kasse_tse", "kasse-tse-grundlagen"),
        ("wie lange muss ich rechnungen aufheben?", None, "aufbewahrungsfristen"),
        ("muss ich dat dem datenschutz melden?", "datenschutz", "it-notfall-sofortmassnahmen"),
        ("sollen wir zahlen? die wollen 5000 euro", None, "it-notfall-sofortmassnahmen"),
    ],
)
async def test_a_question_of_its_own_during_an_emergency_gets_its_own_answer(
    text: str, topic: str | None, guide: str
) -> None:
    """Found in the widget: after the first steps, every short question with "die"
    got the emergency steps again. One that names another topic, or that another
    guide's heading asks, is answered on its own; the emergency's own follow-ups stay."""
    entities = [{"entity": "topic", "value": topic, "start": 0}] if topic else []
    dispatcher = CollectingDispatcher()
    message = tracker(text, entities=entities, slots=RANSOMWARE)
    await ActionAnswerQuestion().run(dispatcher, message, EMPTY_DOMAIN)
    assert answered_guide(dispatcher) == guide


@pytest.mark.parametrize("action", [ActionRecommendBestPractices(), ActionHandleTrade()])
async def test_an_emergency_follow_up_taken_for_examples_or_a_trade_stays_in_the_emergency(
    action: ActionRecommendBestPractices | ActionHandleTrade,
) -> None:
    """Found on dev7: "und wie verhindere ich das in Zukunft?" after a hacked account,
    taken for a request for examples, got the ransomware steps."""
    hacked = {**RANSOMWARE, "last_question": "unser insta account wurde gehackt"}
    dispatcher = CollectingDispatcher()
    message = tracker("und wie verhindere ich das in zukunft?", slots=hacked)
    await action.run(dispatcher, message, EMPTY_DOMAIN)
    assert answered_guide(dispatcher) == "it-notfall-sofortmassnahmen"
    assert "Lösegeld" not in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("action", [ActionGoodbye(), ActionOutOfScope(), ActionDeny()])
async def test_a_callback_request_taken_for_something_else_starts_the_handoff(
    action: ActionGoodbye | ActionOutOfScope | ActionDeny,
) -> None:
    """Found reading unseen7: "doch, na gut, dann ruft mich halt an" after declining
    the advisor was taken for a goodbye and got "Tschüss"."""
    text = "doch, na gut, dann ruft mich halt an. bin steinmetz"
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker(text, intent="goodbye"), EMPTY_DOMAIN)
    [message] = dispatcher.messages
    assert message["custom"]["handoff"]["reason"] == "request_human"


async def test_corrections_replace_the_word_or_name_the_trade_after_falsch() -> None:
    """Found reading unseen7: "sorry nich verschicken sondern empfangen mein ich" kept
    the sending guide; "ne falsch, ich bin Fliesenleger, die Tischlerei is von meim
    Bruder" kept the carpenter."""
    sent = after("ab wann muss ich e-rechnungen verschicken", "e-rechnung-versenden", "e_rechnung")
    dispatcher = await reply_to("sorry nich verschicken sondern empfangen mein ich", **sent)
    assert answered_guide(dispatcher) == "e-rechnung-empfangen"
    text = "ne falsch, ich bin fliesenleger, die tischlerei is von meim bruder"
    message = tracker(
        text,
        intent="inform_trade",
        entities=trades_named(text, fliesenleger="fliesenleger", tischlerei="tischler"),
        slots={"trade": "tischler"},
    )
    assert named_trade(message) == "fliesenleger"


async def test_a_follow_up_that_names_the_other_guide_in_other_words_goes_there() -> None:
    """ "schreiben" is the sending guide's "versenden" (a synonym), after receiving."""
    slots = after("muss ich e-rechnungen empfangen können?", "e-rechnung-empfangen", "e_rechnung")
    dispatcher = await reply_to(
        "und als kleinunternehmer muss ich die dann auch schreiben?", **slots
    )
    assert answered_guide(dispatcher) == "e-rechnung-versenden"
    assert "Kleinunternehmer müssen keine" in dispatcher.messages[0]["text"].split("\n")[0]


async def test_what_goes_in_is_no_yes_or_no_question() -> None:
    """ "wat muss alles ins Impressum" asks for the contents, not whether one is needed."""
    dispatcher = await reply_to("wat muss alles ins impressum")
    assert dispatcher.messages[0]["custom"]["answer"]["guide_id"] == (
        "website-impressum-datenschutzerklaerung"
    )
    assert dispatcher.messages[0]["text"].startswith("Name und Anschrift")


async def test_a_named_head_count_does_not_turn_a_contract_question_into_the_officer() -> None:
    """The key section (data protection officer) only where the question asks it: a
    contract question after "für 3 Mann" gets the processing contract."""
    slots = after(
        "lohnt sich ne handwerkersoftware für 3 mann und die cloud variante",
        "cloud-dateiablage-handwerk",
        "cloud_zusammenarbeit",
    )
    dispatcher = await reply_to("muss ich da n vertrag machen wegen datenschutz", **slots)
    text = dispatcher.messages[0]["text"]
    assert "Auftragsverarbeitung" in text or "AVV" in text
    assert "Datenschutzbeauftragten" not in text.split("\n")[0]


async def test_reviews_asked_for_and_paid_for() -> None:
    dispatcher = await reply_to("wie krieg ich mehr bewertungen")
    assert dispatcher.messages[0]["text"].startswith("Bitten Sie zufriedene Kunden")
    slots = after("wie krieg ich mehr bewertungen", "online-bewertungen", "online_sichtbarkeit")
    paid = await reply_to("darf ich die bezahlen?", **slots)
    assert "zu bezahlen" in paid.messages[0]["text"].split("\n")[0]


async def test_a_heading_that_shares_a_word_beyond_the_subject_does_not_beat_the_key() -> None:
    """ "aufschreiben" is in the heading on who may record, but the question asks whether
    one must: the core answer (the key heading shares "Leute" = "Beschäftigte")."""
    dispatcher = await reply_to("muss ich die arbeitszeit meiner leute aufschreiben")
    assert dispatcher.messages[0]["text"].startswith("Ja. Nach dem Beschluss")


async def test_a_restated_turnover_taken_for_out_of_scope_answers_again() -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "last_question": "ab wann muss ich e-rechnungen schreiben? wir ham so 500.000 umsatz",
        "last_kind": "answer",
        "last_guide": "e-rechnung-versenden",
        "last_topic": "e_rechnung",
    }
    for text in ("moment nee, letztes jahr warns doch 1,2 mio", "letztes jahr 1,2 mio"):
        dispatcher = CollectingDispatcher()
        said = tracker(text, "out_of_scope", slots=slots, confidence=0.95)
        await ActionOutOfScope().run(dispatcher, said, EMPTY_DOMAIN)
        assert "1.200.000 Euro" in dispatcher.messages[0]["text"], text
        assert "1. Januar 2027" in dispatcher.messages[0]["text"]


async def test_a_question_taken_for_a_yes_to_the_advisor_is_answered() -> None:
    """The first steps of an emergency offer the advisor first; "und wo zeig ich dat
    an" is no yes to it."""
    first = CollectingDispatcher()
    report = "alle dateien heißen jetzt .locked und wir solln in bitcoin zahlen"
    events = await ActionAnswerQuestion().run(first, tracker(report), EMPTY_DOMAIN)
    state = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    bot = {"event": "bot", "text": first.messages[0]["text"], "data": first.messages[0]}
    history = [{"event": "user", "text": report}, bot]
    for text, handoff in (("und wo zeig ich dat an", False), ("ja bitte", True)):
        dispatcher = CollectingDispatcher()
        turn = [*history, {"event": "user", "text": text}]
        said = tracker(text, "affirm", slots=state, events=turn)
        await ActionAffirm().run(dispatcher, said, EMPTY_DOMAIN)
        message = dispatcher.messages[0]
        assert ("handoff" in (message.get("custom") or {})) is handoff, text
        if not handoff:
            assert "Zentrale Ansprechstelle Cybercrime" in message["text"]
