"""Proposing questions for a guide: the file and a diff in the review folder, the
rest of the guide untouched, `kb validate` clean on the result, and `git apply`
of the diff gives the same file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.curation.review import ReviewError, ReviewFolder, add_questions
from bot.kb.guides import FRONT_MATTER, GUIDES_DIR, parse_guide
from bot.kb.validate import validate_knowledge_base

GUIDE = "kasse-tse-grundlagen"


def questions_of(text: str) -> list[str]:
    match = FRONT_MATTER.match(text)
    assert match
    return list(yaml.safe_load(match["meta"])["questions"])


def test_questions_are_appended_to_the_list_and_nothing_else_changes() -> None:
    text = (GUIDES_DIR / f"{GUIDE}.md").read_text(encoding="utf-8")
    updated, added = add_questions(text, ['Brauche ich für 2 Kassen "zwei" TSE?'])
    assert added == ['Brauche ich für 2 Kassen "zwei" TSE?']
    assert questions_of(updated) == [*questions_of(text), *added]
    old_lines, new_lines = text.splitlines(), updated.splitlines()
    assert len(new_lines) == len(old_lines) + 1
    assert [line for line in new_lines if line not in old_lines] == [
        '  - "Brauche ich für 2 Kassen \\"zwei\\" TSE?"'
    ]
    again, none = add_questions(updated, ['brauche ich für 2 kassen "zwei" tse?'])
    assert (again, none) == (updated, [])


def test_a_guide_without_questions_gets_the_list() -> None:
    text = "---\nid: x\ntitle: Titel\nquestions: []\nkeywords: [a]\n---\n## A\nText\n"
    updated, _ = add_questions(text, ["Eine neue Frage?"])
    assert questions_of(updated) == ["Eine neue Frage?"]
    assert updated.endswith("---\n## A\nText\n")
    bare, _ = add_questions("---\nid: x\ntitle: T\n---\nText\n", ["Noch eine Frage?"])
    assert questions_of(bare) == ["Noch eine Frage?"]


def test_proposal_writes_file_and_diff_that_validate_and_apply(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    guides = repo / "knowledge_base" / "guides"
    shutil.copytree(GUIDES_DIR, guides)
    review = ReviewFolder(tmp_path / "review", guides)
    review.propose(GUIDE, ["Brauche ich für zwei Kassen zwei TSE?"])
    proposal = review.propose(GUIDE, ["Kassen-App auf dem Tablet, TSE nötig?"])
    assert proposal.added == ["Kassen-App auf dem Tablet, TSE nötig?"]
    reviewed = questions_of(proposal.path.read_text(encoding="utf-8"))
    assert reviewed[-2:] == ["Brauche ich für zwei Kassen zwei TSE?", *proposal.added]
    assert parse_guide(proposal.path).id == GUIDE
    assert '+  - "Brauche ich für zwei Kassen zwei TSE?"' in proposal.diff
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "apply", str(proposal.diff_path)], cwd=repo, check=True)
    applied = (guides / f"{GUIDE}.md").read_text(encoding="utf-8")
    assert applied == proposal.path.read_text(encoding="utf-8")
    assert validate_knowledge_base(guides) == []


@pytest.mark.parametrize(
    ("guide", "questions", "message"),
    [
        ("../etc/passwd", ["Eine Frage hier?"], "gibt es nicht"),
        ("gibt-es-nicht", ["Eine Frage hier?"], "gibt es nicht"),
        (GUIDE, [], "eine bis 5"),
        (GUIDE, ["kurz"], "8 bis 300"),
        (GUIDE, ["Ich bin [Name], brauche ich eine TSE?"], "Platzhalter"),
    ],
)
def test_unusable_proposals_are_refused(
    tmp_path: Path, guide: str, questions: list[str], message: str
) -> None:
    with pytest.raises(ReviewError, match=message.replace("[", r"\[")):
        ReviewFolder(tmp_path).propose(guide, questions)
    assert not list(tmp_path.iterdir())


def test_a_proposal_can_name_the_section_that_answers(tmp_path: Path) -> None:
    guides = tmp_path / "guides"
    shutil.copytree(GUIDES_DIR, guides)
    heading = parse_guide(guides / f"{GUIDE}.md").sections[1].heading
    review = ReviewFolder(tmp_path / "review", guides)
    first = review.propose(GUIDE, ["Kassen-App auf dem Tablet, TSE nötig?"], heading)
    assert first.changed
    assert f'+  "Kassen-App auf dem Tablet, TSE nötig?": "{heading}"' in first.diff
    again = review.propose(GUIDE, ["kassen-app auf dem tablet, tse nötig?"], heading)
    assert (again.added, again.changed) == ([], False)
    other = parse_guide(guides / f"{GUIDE}.md").sections[2].heading
    moved = review.propose(GUIDE, ["Kassen-App auf dem Tablet, TSE nötig?"], other)
    assert moved.changed
    meta = parse_guide(moved.path).meta
    assert meta.question_sections == {"Kassen-App auf dem Tablet, TSE nötig?": other}
    assert meta.questions.count("Kassen-App auf dem Tablet, TSE nötig?") == 1
    shutil.copy(moved.path, guides / moved.path.name)
    assert validate_knowledge_base(guides) == []
    with pytest.raises(ReviewError, match="Abschnitt gibt es"):
        review.propose(GUIDE, ["Kassen-App auf dem Tablet, TSE nötig?"], "Gibt es nicht")


def test_kb_validate_checks_the_named_sections(tmp_path: Path) -> None:
    guides = tmp_path / "guides"
    shutil.copytree(GUIDES_DIR, guides)
    path = guides / f"{GUIDE}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "\n---\n", '\nquestion_sections:\n  "Nicht gelistet?": "Kein Abschnitt"\n---\n', 1
        ),
        encoding="utf-8",
    )
    problems = [str(problem) for problem in validate_knowledge_base(guides)]
    assert any("steht nicht unter questions" in problem for problem in problems)
    assert any("kein Abschnitt heißt 'Kein Abschnitt'" in problem for problem in problems)
