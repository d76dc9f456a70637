"""What the console shows: the queue per advisor, who may read what, one handoff."""

from __future__ import annotations

from typing import Any

from bot.db.models import Advisor, Handoff
from bot.handoff.core import HandoffCore, HandoffError, _now
from bot.handoff.routing import advisor_title, matches, offered_to
from bot.handoff.serialize import handoff_json, iso, message_json
from bot.handoff.states import Status
from bot.handoff.store import INTAKE

# the queue shows the start of the person's last message
PREVIEW_CHARS = 140


class ConsoleViews(HandoffCore):
    """Read-only views for the advisors' console."""

    async def snapshot(self, advisor_id: int) -> dict[str, Any]:
        """The queue frame for one advisor (routing decides what they see first)."""
        everyone = {a.id: a for a in await self._advisors.all_active()}
        me = everyone.get(advisor_id)
        online = [everyone[i] for i in self._consoles.online() if i in everyone]
        now = _now()
        lists = await self.handoffs.queue()

        def visible(handoff: Handoff) -> bool:
            return me is not None and offered_to(me, handoff, online, now, self._exclusive)

        def as_json(handoff: Handoff) -> dict[str, Any]:
            return handoff_json(handoff, advisor_id, me is not None and matches(me, handoff))

        frame: dict[str, Any] = {
            "type": "queue",
            "advisor": {"id": advisor_id, "name": advisor_title(me) if me else ""},
            "online": len(online),
            "now": now.isoformat(),
        }
        previews = await self.handoffs.last_from_people(
            h.conversation_id for name, rows in lists.items() if name != "closed" for h in rows
        )

        def with_preview(handoff: Handoff) -> dict[str, Any]:
            item = as_json(handoff)
            last = previews.get(handoff.conversation_id)
            item["preview"] = last.text[:PREVIEW_CHARS] if last else None
            return item

        for name, rows in lists.items():
            # waiting chats and open callbacks as routed; the rest only one's own
            chosen = [
                h
                for h in rows
                if (visible(h) if name in ("waiting", "callbacks") else h.advisor_id == advisor_id)
                and h.status != Status.CANCELLED
            ]
            if name in ("waiting", "callbacks"):
                chosen.sort(
                    key=lambda h: (not (me and matches(me, h)), h.queued_at or h.created_at)
                )
            frame[name] = [with_preview(h) if name != "closed" else as_json(h) for h in chosen]
        return frame

    async def may_read(self, handoff: Handoff, advisor: Advisor) -> bool:
        """Whether `advisor` may see a handoff with the person's data: a waiting chat or
        an open callback if it is routed to them, a claimed or ended one only if it is
        theirs (or they are an admin); one the person declined, cancelled or has not
        finished, nobody."""
        if handoff.status in (Status.WAITING, Status.CALLBACK_OPEN):
            everyone = {a.id: a for a in await self._advisors.all_active()}
            online = [everyone[i] for i in self._consoles.online() if i in everyone]
            return offered_to(advisor, handoff, online, _now(), self._exclusive)
        if handoff.status == Status.CANCELLED or handoff.status in INTAKE:
            return False
        return handoff.advisor_id == advisor.id or advisor.admin

    async def detail(self, handoff_id: int, advisor_id: int) -> dict[str, Any]:
        """Everything about one handoff: transcript, notes, guides shown, feedback (404
        for a handoff this advisor may not read)."""
        handoff = await self._require(handoff_id)
        me = await self._advisors.get(advisor_id)
        if me is None or not await self.may_read(handoff, me):
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        rows = await self.handoffs.messages(handoff.conversation_id)
        guide_ids = list(
            dict.fromkeys(
                str((row.custom or {})["answer"]["guide_id"])
                for row in rows
                if isinstance((row.custom or {}).get("answer"), dict)
                and (row.custom or {})["answer"].get("guide_id")
            )
        )
        titles = await self._messages.guide_titles(guide_ids)
        return {
            "handoff": handoff_json(handoff, advisor_id, bool(me and matches(me, handoff))),
            "messages": [message_json(row) for row in rows],
            "notes": [
                {"text": note.text, "advisor": name, "created_at": iso(note.created_at)}
                for note, name in await self.handoffs.notes(handoff.id)
            ],
            "guides": [
                {
                    "id": gid,
                    "title": titles.get(gid, gid),
                    "url": f"{self._public_url}/wissen/{gid}",
                }
                for gid in guide_ids
            ],
            "feedback": [
                {"message_id": f.message_id, "helpful": f.helpful, "created_at": iso(f.created_at)}
                for f in await self.handoffs.feedback(handoff.conversation_id)
            ],
        }
