"""Canned responses ("Textbausteine") shared by the advisors: validation and storage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.desk_models import CannedResponse
from bot.db.models import utcnow
from bot.handoff.core import HandoffError

MAX_TITLE = 60
MAX_TEXT = 2000
MAX_CANNED = 200


def validated(body: dict[str, Any]) -> tuple[str, str]:
    """(title, text) of a request body, or a HandoffError (400) with a German message."""
    title = body.get("title")
    text = body.get("text")
    title = title.strip() if isinstance(title, str) else ""
    text = text.strip() if isinstance(text, str) else ""
    if not title:
        raise HandoffError("Bitte geben Sie einen Titel ein.", status=400)
    if len(title) > MAX_TITLE:
        raise HandoffError(f"Der Titel darf höchstens {MAX_TITLE} Zeichen lang sein.", status=400)
    if not text:
        raise HandoffError("Bitte geben Sie einen Text ein.", status=400)
    if len(text) > MAX_TEXT:
        raise HandoffError(f"Der Text darf höchstens {MAX_TEXT} Zeichen lang sein.", status=400)
    return title, text


def canned_json(row: CannedResponse) -> dict[str, Any]:
    """One canned response as the console sees it."""
    return {"id": row.id, "title": row.title, "text": row.text}


class CannedStore:
    """Reads and writes canned responses."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def all(self) -> list[CannedResponse]:
        """Every canned response, by title."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CannedResponse).order_by(CannedResponse.title, CannedResponse.id)
            )
            return list(rows)

    async def add(self, title: str, text: str, advisor_id: int) -> CannedResponse:
        """Store a new canned response (at most MAX_CANNED in all)."""
        if len(await self.all()) >= MAX_CANNED:
            raise HandoffError(f"Es gibt schon {MAX_CANNED} Textbausteine.", status=400)
        async with self._sessions.begin() as session:
            row = CannedResponse(
                title=title,
                text=text,
                advisor_id=advisor_id,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            session.add(row)
        return row

    async def update(self, canned_id: int, title: str, text: str) -> CannedResponse:
        """Change a canned response (404 if it is gone)."""
        async with self._sessions.begin() as session:
            row = await session.get(CannedResponse, canned_id)
            if row is None:
                raise HandoffError("Diesen Textbaustein gibt es nicht.", status=404)
            row.title, row.text, row.updated_at = title, text, utcnow()
        return row

    async def remove(self, canned_id: int) -> None:
        """Delete a canned response (404 if it is gone)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(CannedResponse)
                .where(CannedResponse.id == canned_id)
                .returning(CannedResponse.id)
            )
            if result.scalar_one_or_none() is None:
                raise HandoffError("Diesen Textbaustein gibt es nicht.", status=404)
