"""The editors' side of the curation queue: groups with filters, a group's masked
questions and comments, and what editors do with a group. Never a conversation id."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console.roles import REDAKTION, has_role
from bot.curation.pruning import erase_item
from bot.curation.queue import KINDS, reopened
from bot.db.curation_models import CurationComment, CurationGroup, CurationItem
from bot.db.models import Advisor, KbGuide, KbSection, utcnow

STATUS_LABELS = {
    "open": "Offen",
    "assigned": "Zugewiesen",
    "linked": "Mit Leitfaden verknüpft",
    "dismissed": "Verworfen",
    "resolved": "Erledigt",
}
KIND_LABELS = {
    "no_answer": "Keine verlässliche Antwort",
    "not_helpful": "Hat nicht geholfen",
    "handoff_no_answer": "Übergabe an die Beratung (keine Antwort)",
    "handoff_not_helpful": "Übergabe an die Beratung (hat nicht geholfen)",
    "out_of_scope": "Außerhalb des Themas",
}
ACTIVE = ("open", "assigned", "linked")
# out-of-scope requests show once they are frequent
OUT_OF_SCOPE_MIN = 3
MAX_GROUPS = 200
MAX_ITEMS = 100
MAX_COMMENT = 2000


class CurationError(Exception):
    """An editor's request that cannot be done; German message and HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class CurationDesk:
    """Reads and changes the queue's groups for the console."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def groups(self, status: str = "", kind: str = "") -> list[dict[str, Any]]:
        """The groups of a status ("" = not yet done, "all") and kind, most frequent first."""
        query = select(CurationGroup).order_by(
            CurationGroup.count.desc(), CurationGroup.last_seen.desc()
        )
        if status in STATUS_LABELS:
            query = query.where(CurationGroup.status == status)
        elif status != "all":
            query = query.where(CurationGroup.status.in_(ACTIVE))
        if kind in KINDS:
            query = query.where(
                exists().where(CurationItem.group_id == CurationGroup.id, CurationItem.kind == kind)
            )
        async with self._sessions() as session:
            rows = list((await session.scalars(query.limit(MAX_GROUPS))).all())
            kinds = await self._kinds(session, [row.id for row in rows])
            shown = [
                row
                for row in rows
                if kind == "out_of_scope"
                or set(kinds[row.id]) != {"out_of_scope"}
                or row.count >= OUT_OF_SCOPE_MIN
            ]
            return [await self._group_json(session, row, kinds[row.id]) for row in shown]

    async def group(self, group_id: int) -> dict[str, Any]:
        """One group with its newest masked questions and all comments."""
        async with self._sessions() as session:
            row = await self._get(session, group_id)
            kinds = await self._kinds(session, [group_id])
            body = await self._group_json(session, row, kinds[group_id])
            items = await session.scalars(
                select(CurationItem)
                .where(CurationItem.group_id == group_id)
                .order_by(CurationItem.id.desc())
                .limit(MAX_ITEMS)
            )
            body["items"] = [await self._item_json(session, item) for item in items]
            comments = await session.execute(
                select(CurationComment, Advisor.display_name)
                .outerjoin(Advisor, Advisor.id == CurationComment.advisor_id)
                .where(CurationComment.group_id == group_id)
                .order_by(CurationComment.id)
            )
            body["comments"] = [
                {"author": name or "Gelöschtes Konto", "text": c.text, "at": _time(c.created_at)}
                for c, name in comments.all()
            ]
            return body

    async def editors(self) -> list[dict[str, Any]]:
        """Active accounts that may edit (to assign a group to)."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Advisor).where(Advisor.active).order_by(Advisor.display_name)
            )
            return [{"id": a.id, "name": a.display_name} for a in rows if has_role(a, REDAKTION)]

    async def guides(self) -> list[dict[str, Any]]:
        """The loaded guides (id, title and section headings in order), by title."""
        async with self._sessions() as session:
            rows = await session.execute(select(KbGuide.id, KbGuide.title).order_by(KbGuide.title))
            sections = await session.execute(
                select(KbSection.guide_id, KbSection.heading).order_by(
                    KbSection.guide_id, KbSection.number
                )
            )
            headings: dict[str, list[str]] = {}
            for guide_id, heading in sections.all():
                listed = headings.setdefault(guide_id, [])
                if heading not in listed:  # dated variants share a heading
                    listed.append(heading)
            return [
                {"id": guide_id, "title": title, "sections": headings.get(guide_id, [])}
                for guide_id, title in rows.all()
            ]

    async def assign(self, group_id: int, assignee_id: int | None) -> None:
        """Give the group to an editor (None: to nobody)."""
        async with self._sessions.begin() as session:
            row = await self._get(session, group_id)
            if assignee_id is not None:
                editor = await session.get(Advisor, assignee_id)
                if editor is None or not editor.active or not has_role(editor, REDAKTION):
                    raise CurationError("Dieses Konto gehört nicht zur Redaktion.")
            row.assignee_id = assignee_id
            if row.status in ("open", "assigned"):
                row.status = "assigned" if assignee_id is not None else "open"

    async def comment(self, group_id: int, advisor_id: int, text: str) -> None:
        """Add an editor's comment."""
        clean = text.strip()
        if not clean:
            raise CurationError("Bitte geben Sie einen Kommentar ein.")
        if len(clean) > MAX_COMMENT:
            raise CurationError(f"Der Kommentar darf höchstens {MAX_COMMENT} Zeichen lang sein.")
        async with self._sessions.begin() as session:
            await self._get(session, group_id)
            session.add(
                CurationComment(
                    group_id=group_id, advisor_id=advisor_id, text=clean, created_at=utcnow()
                )
            )

    async def link(self, group_id: int, guide_id: str) -> None:
        """Link the group to the guide that answers (or will answer) it."""
        async with self._sessions.begin() as session:
            row = await self._get(session, group_id)
            if await session.get(KbGuide, guide_id) is None:
                raise CurationError("Diesen Leitfaden gibt es nicht.", 404)
            row.guide_id = guide_id
            if row.status in ACTIVE:
                row.status = "linked"

    async def set_status(self, group_id: int, status: str) -> None:
        """Dismiss, resolve or reopen a group."""
        async with self._sessions.begin() as session:
            row = await self._get(session, group_id)
            row.status = reopened(row) if status == "open" else status

    async def erase_item(self, group_id: int, item_id: int) -> bool:
        """Delete one masked question (personal data the masking missed); whether the
        group is still there (it goes with its last question)."""
        async with self._sessions.begin() as session:
            await self._get(session, group_id)
            remains = await erase_item(session, group_id, item_id)
        if remains is None:
            raise CurationError("Diese Frage gibt es in der Gruppe nicht.", 404)
        return remains

    @staticmethod
    async def _get(session: AsyncSession, group_id: int) -> CurationGroup:
        row = await session.get(CurationGroup, group_id)
        if row is None:
            raise CurationError("Diese Gruppe gibt es nicht.", 404)
        return row

    @staticmethod
    async def _kinds(session: AsyncSession, ids: list[int]) -> dict[int, Counter[str]]:
        counts: dict[int, Counter[str]] = {group_id: Counter() for group_id in ids}
        if ids:
            rows = await session.execute(
                select(CurationItem.group_id, CurationItem.kind, func.count())
                .where(CurationItem.group_id.in_(ids))
                .group_by(CurationItem.group_id, CurationItem.kind)
            )
            for group_id, kind, number in rows.all():
                counts[group_id][kind] = number
        return counts

    @staticmethod
    async def _group_json(
        session: AsyncSession, row: CurationGroup, kinds: Counter[str]
    ) -> dict[str, Any]:
        assignee = await session.get(Advisor, row.assignee_id) if row.assignee_id else None
        title = await session.scalar(select(KbGuide.title).where(KbGuide.id == row.guide_id))
        return {
            "id": row.id,
            "status": row.status,
            "status_label": STATUS_LABELS.get(row.status, row.status),
            "question": row.question,
            "count": row.count,
            "first_seen": _time(row.first_seen),
            "last_seen": _time(row.last_seen),
            "assignee": {"id": assignee.id, "name": assignee.display_name} if assignee else None,
            "guide": {"id": row.guide_id, "title": title or row.guide_id} if row.guide_id else None,
            "kinds": [
                {"kind": kind, "label": KIND_LABELS[kind], "count": kinds[kind]}
                for kind in KINDS
                if kinds[kind]
            ],
        }

    @staticmethod
    async def _item_json(session: AsyncSession, item: CurationItem) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": item.id,
            "question": item.question,
            "kind": item.kind,
            "kind_label": KIND_LABELS.get(item.kind, item.kind),
            "channel": item.channel,
            "at": _time(item.created_at),
            "answer": item.answer,
            "guide": None,
            "section": None,
        }
        if item.guide_id:
            title = await session.scalar(select(KbGuide.title).where(KbGuide.id == item.guide_id))
            body["guide"] = {"id": item.guide_id, "title": title or item.guide_id}
        if item.guide_id and item.section is not None:
            heading = await session.scalar(
                select(KbSection.heading).where(
                    KbSection.guide_id == item.guide_id, KbSection.number == item.section
                )
            )
            body["section"] = {"number": item.section, "heading": heading or ""}
        return body
