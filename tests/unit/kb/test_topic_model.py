from pathlib import Path

import pytest

from bot.kb.analysis import GermanAnalyzer
from bot.kb.guides import load_guides
from bot.kb.taxonomy import load_taxonomy
from bot.kb.topic_model import TopicClassifier, guide_examples, nlu_topic_examples

NLU_FILE = """\
version: "3.1"
nlu:
  - intent: ask_digitalisation
    examples: |
      - Muss ich [E-Rechnungen]{"entity": "topic", "value": "e_rechnung"} empfangen?
      - wie lange [aufheben]{"entity": "topic", "value": "gobd_archivierung"}
      - [TSE]{"entity": "topic", "value": "kasse_tse"} und [datenschutz](topic)
      - was ist [bim](topic)
      - [zeiterfassung](topic) per app
      - ganz ohne Thema
      - [foo]{"entity": "topic", "value": "kein_thema"}
  - intent: greet
    examples: |
      - Hallo [E-Rechnung]{"entity": "topic", "value": "e_rechnung"}
"""


def test_nlu_examples_with_exactly_one_known_topic(tmp_path: Path) -> None:
    (tmp_path / "digitalisation.yml").write_text(NLU_FILE, encoding="utf-8")
    examples = nlu_topic_examples(load_taxonomy().topics, tmp_path)
    assert examples == [
        ("Muss ich E-Rechnungen empfangen?", "e_rechnung"),
        ("wie lange aufheben", "gobd_archivierung"),
        ("was ist bim", "bim"),
        ("zeiterfassung per app", "zeiterfassung"),
    ]


def test_the_shipped_nlu_data_gives_examples_for_every_topic() -> None:
    topics = load_taxonomy().topics
    examples = nlu_topic_examples(topics)
    assert len(examples) > 200
    assert {topic for _, topic in examples} == set(topics)
    assert all("[" not in text and "{" not in text for text, _ in examples)


def test_guide_examples_are_title_and_questions_with_the_first_topic() -> None:
    guide = next(g for g in load_guides() if len(g.meta.topics) > 1)
    examples = guide_examples([guide])
    assert examples[0] == (guide.meta.title, guide.meta.topics[0])
    assert len(examples) == 1 + len(guide.meta.questions)
    assert {topic for _, topic in examples} == {guide.meta.topics[0]}


def test_classifier_learns_the_topics_of_unseen_phrasings() -> None:
    examples = [
        ("Gibt es Zuschüsse für die Digitalisierung?", "foerderung"),
        ("Fördergeld vom Land beantragen", "foerderung"),
        ("Förderung für neue Software", "foerderung"),
        ("Geld vom Staat für Computer", "foerderung"),
        ("3D-Drucker für die Werkstatt, lohnt sich das?", "digitale_fertigung"),
        ("Welcher 3D-Drucker für Prototypen?", "digitale_fertigung"),
        ("CNC-Fräse programmieren", "digitale_fertigung"),
        ("Laserschneiden in der Fertigung", "digitale_fertigung"),
    ]
    classifier = TopicClassifier(examples, GermanAnalyzer().terms)
    funding = classifier.probabilities("gibts noch zuschuesse vom land")
    assert set(funding) == {"foerderung", "digitale_fertigung"}
    assert sum(funding.values()) == pytest.approx(1.0)
    assert funding["foerderung"] > 0.5
    assert classifier.probabilities("neuer Drucker fuer Prototypen")["digitale_fertigung"] > 0.5
