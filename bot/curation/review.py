"""Proposing questions for a guide: the updated guide file and a unified diff in a
review folder (KB_REVIEW_DIR, default var/kb-review/). The knowledge base itself stays
in git; an editor applies the diff (`git apply var/kb-review/<id>.diff`), runs
`python -m bot kb validate` and has the change reviewed."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import ROOT
from bot.folding import fold
from bot.kb.guides import FRONT_MATTER, GUIDES_DIR, ID_PATTERN, GuideError, parse_guide

MIN_QUESTION = 8
MAX_QUESTION = 300
MAX_QUESTIONS = 5
ITEM = re.compile(r"^(?P<indent>[ \t]*)- ")


class ReviewError(ValueError):
    """A proposal that cannot be written; the message is German, for the editor."""


@dataclass(frozen=True)
class Proposal:
    """What was written: the updated guide, the diff, the questions added, and whether
    this proposal changed anything (a new question or a section named for one)."""

    guide_id: str
    path: Path
    diff_path: Path
    diff: str
    added: list[str]
    changed: bool


def review_dir(configured: str) -> Path:
    """The review folder: KB_REVIEW_DIR if set, else var/kb-review/."""
    return Path(configured) if configured else ROOT / "var" / "kb-review"


def clean_questions(questions: list[str]) -> list[str]:
    """The proposed questions, trimmed; ReviewError if one is unusable."""
    cleaned = [" ".join(str(q).split()) for q in questions if str(q).strip()]
    if not cleaned or len(cleaned) > MAX_QUESTIONS:
        raise ReviewError(f"Bitte eine bis {MAX_QUESTIONS} Fragen angeben.")
    for question in cleaned:
        if not MIN_QUESTION <= len(question) <= MAX_QUESTION:
            raise ReviewError(
                f"Eine Frage muss {MIN_QUESTION} bis {MAX_QUESTION} Zeichen lang sein."
            )
        if "[" in question or "]" in question:
            raise ReviewError("Bitte ersetzen Sie Platzhalter wie „[Name]“ durch allgemeine Worte.")
    return list(dict.fromkeys(cleaned))


def add_questions(text: str, questions: list[str]) -> tuple[str, list[str]]:
    """The guide file `text` with `questions` appended to its front matter's
    `questions:` list (the rest of the file as it was); and those that were new."""
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ReviewError("Der Leitfaden hat keinen Kopfbereich (Front Matter).")
    meta = yaml.safe_load(match["meta"]) or {}
    known = [str(q) for q in meta.get("questions") or []]
    folded = {fold(q) for q in known}
    new = [q for q in questions if fold(q) not in folded]
    if not new:
        return text, []
    lines = match["meta"].split("\n")
    start = next((n for n, line in enumerate(lines) if line.startswith("questions:")), None)
    if start is None or lines[start].strip() != "questions:":
        # no list yet, or an inline one: write the whole list as a block
        lines = [line for n, line in enumerate(lines) if n != start]
        start, end, indent = len(lines), len(lines) + 1, "  "
        lines.append("questions:")
        new_items = [*known, *new]
    else:
        end = _block_end(lines, start)
        items = [ITEM.match(line) for line in lines[start + 1 : end]]
        indent = next((m["indent"] for m in items if m), "  ")
        new_items = new
    block = [f"{indent}- {json.dumps(q, ensure_ascii=False)}" for q in new_items]
    meta_text = "\n".join([*lines[:end], *block, *lines[end:]])
    if (yaml.safe_load(meta_text) or {}).get("questions") != [*known, *new]:
        raise ReviewError("Die Fragen ließen sich nicht sicher einfügen.")
    return f"---\n{meta_text}\n---\n{match['body']}", new


def _block_end(lines: list[str], start: int) -> int:
    """The line after the indented block that belongs to the key at `start`."""
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t", "-") or not lines[end]):
        end += 1
    return end


def add_question_sections(text: str, sections: dict[str, str]) -> str:
    """The guide file `text` with `sections` (question → heading of the section that
    answers it) merged into its front matter's `question_sections:` block."""
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ReviewError("Der Leitfaden hat keinen Kopfbereich (Front Matter).")
    known = dict((yaml.safe_load(match["meta"]) or {}).get("question_sections") or {})
    merged = {**known, **sections}
    if merged == known:
        return text
    lines = match["meta"].split("\n")
    start = next((n for n, line in enumerate(lines) if line.startswith("question_sections:")), None)
    if start is not None:
        end = (
            _block_end(lines, start) if lines[start].strip() == "question_sections:" else start + 1
        )
        del lines[start:end]
    else:
        start = len(lines)
    block = ["question_sections:"] + [
        f"  {json.dumps(q, ensure_ascii=False)}: {json.dumps(h, ensure_ascii=False)}"
        for q, h in merged.items()
    ]
    meta_text = "\n".join([*lines[:start], *block, *lines[start:]])
    if (yaml.safe_load(meta_text) or {}).get("question_sections") != merged:
        raise ReviewError("Der Abschnitt ließ sich nicht sicher eintragen.")
    return f"---\n{meta_text}\n---\n{match['body']}"


def _listed(text: str) -> list[str]:
    """The questions the guide file `text` lists."""
    match = FRONT_MATTER.match(text)
    meta = yaml.safe_load(match["meta"]) if match else None
    return [str(q) for q in (meta or {}).get("questions") or []]


class ReviewFolder:
    """Writes proposals into the review folder, on top of earlier ones for the guide."""

    def __init__(self, directory: Path, guides: Path = GUIDES_DIR) -> None:
        self.directory = directory
        self._guides = guides

    def propose(self, guide_id: str, questions: list[str], section: str = "") -> Proposal:
        """Add `questions` to the guide, answered by the section headed `section` if
        given; ReviewError (German) if that is not possible."""
        original = self._guides / f"{guide_id}.md"
        if not re.fullmatch(ID_PATTERN, guide_id) or not original.is_file():
            raise ReviewError("Diesen Leitfaden gibt es nicht.")
        target = self.directory / f"{guide_id}.md"
        base = target if target.is_file() else original
        cleaned = clean_questions(questions)
        before = base.read_text(encoding="utf-8")
        updated, added = add_questions(before, cleaned)
        if section:
            if parse_guide(original).section_titled(section) is None:
                raise ReviewError("Diesen Abschnitt gibt es in dem Leitfaden nicht.")
            listed = {fold(q): q for q in _listed(updated)}
            chosen = {listed[fold(q)]: section for q in cleaned if fold(q) in listed}
            updated = add_question_sections(updated, chosen)
        self.directory.mkdir(parents=True, exist_ok=True)
        candidate = self.directory / f".{guide_id}.md.new"
        candidate.write_text(updated, encoding="utf-8")
        try:
            parse_guide(candidate)
        except GuideError as error:
            candidate.unlink()
            raise ReviewError(f"Der geänderte Leitfaden wäre ungültig: {error}") from error
        candidate.replace(target)
        diff = "".join(
            difflib.unified_diff(
                original.read_text(encoding="utf-8").splitlines(keepends=True),
                updated.splitlines(keepends=True),
                f"a/knowledge_base/guides/{guide_id}.md",
                f"b/knowledge_base/guides/{guide_id}.md",
            )
        )
        diff_path = self.directory / f"{guide_id}.diff"
        diff_path.write_text(diff, encoding="utf-8")
        return Proposal(guide_id, target, diff_path, diff, added, updated != before)
