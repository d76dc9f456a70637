"""Where the gateway reports to the curation queue: the bot's replies without a
reliable answer or outside its remit, "Hat nicht geholfen", and handoffs for either.
A failing capture is logged; the person's message goes on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bot.curation.queue import CurationQueue, Entry
from bot.db.store import StoredMessage

log = logging.getLogger(__name__)

# the markers of the action server's replies (actions/knowledge.py, actions/routing.py)
MARKERS = ("no_answer", "out_of_scope")
HANDOFF_KINDS = {"no_answer": "handoff_no_answer", "not_helpful": "handoff_not_helpful"}


def _marked(replies: Sequence[StoredMessage]) -> list[tuple[str, str]]:
    """(kind, question) of every reply that carries a marker."""
    found = []
    for reply in replies:
        custom = reply.custom or {}
        for kind in MARKERS:
            marker = custom.get(kind)
            if isinstance(marker, dict) and isinstance(marker.get("question"), str):
                found.append((kind, marker["question"]))
    return found


class Capture:
    """Turns what the gateway sees into queue entries; does nothing without a queue."""

    def __init__(self, queue: CurationQueue | None = None) -> None:
        self._queue = queue

    async def replies(
        self,
        conversation_id: str,
        channel: str,
        replies: Sequence[StoredMessage],
        signal: dict[str, Any] | None,
    ) -> None:
        """The stored replies to one message, and the handoff signal that came with them."""
        entries = [Entry(k, q, channel, conversation_id) for k, q in _marked(replies)]
        await self._add(entries)
        if signal is not None:
            await self.handoff(conversation_id, channel, signal)

    async def feedback(
        self, conversation_id: str, channel: str, answer: StoredMessage | None, helpful: bool
    ) -> None:
        """Feedback on `answer` (a bot message with custom.answer); counted if it is
        "Hat nicht geholfen"."""
        about = (answer.custom or {}).get("answer") if answer is not None else None
        if helpful or answer is None or not isinstance(about, dict):
            return
        section = about.get("section")
        await self._add(
            [
                Entry(
                    "not_helpful",
                    str(about.get("question") or ""),
                    channel,
                    conversation_id,
                    guide_id=str(about.get("guide_id") or "") or None,
                    section=section if isinstance(section, int) else None,
                    answer=answer.text,
                )
            ]
        )

    async def handoff(self, conversation_id: str, channel: str, trigger: dict[str, Any]) -> None:
        """A handoff starts; counted if its reason is "no_answer" or "not_helpful"."""
        kind = HANDOFF_KINDS.get(str(trigger.get("reason")))
        if kind is not None:
            question = str(trigger.get("question") or "")
            await self._add([Entry(kind, question, channel, conversation_id)])

    async def _add(self, entries: list[Entry]) -> None:
        if self._queue is None:
            return
        for entry in entries:
            try:
                await self._queue.add(entry)
            except Exception:  # the queue must never cost the person their answer
                log.exception("curation capture failed (%s)", entry.kind)
