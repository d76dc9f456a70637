"""Presence and typing between a person's chat window and the consoles: the widget's
socket tells the PersonHub, which calls these listeners; each frame goes only to the
consoles of advisors who may read the handoff. Messenger chats have no presence."""

from __future__ import annotations

import time
from typing import Any

from bot.channels import WEB
from bot.db.models import Advisor, Handoff
from bot.handoff.accounts import AdvisorStore
from bot.handoff.core import HandoffError
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.routing import advisor_title
from bot.handoff.service import HandoffService
from bot.handoff.states import Status
from bot.handoff.store import LIVE

# an advisor's typing reaches the person at most this often (the console sends every 3 s)
TYPING_INTERVAL = 2.0
MAX_TRACKED = 1000


class LiveSignals:
    """Forwards presence and typing of live web chats (waiting or active)."""

    def __init__(
        self,
        service: HandoffService,
        people: PersonHub,
        consoles: ConsoleHub,
        advisors: AdvisorStore,
    ) -> None:
        self._service = service
        self._people = people
        self._consoles = consoles
        self._advisors = advisors
        self._last_typing: dict[tuple[int, int], float] = {}
        people.on_presence.append(self.presence)
        people.on_typing.append(self.person_typing)

    def presence_of(self, handoff: Handoff) -> str | None:
        """ "open" or "closed" for a live web chat; None where presence means nothing."""
        if handoff.channel != WEB or handoff.status not in LIVE:
            return None
        return "open" if handoff.conversation_id in self._people.connected() else "closed"

    async def presence(self, conversation_id: str, open_: bool) -> None:
        """The person opened their first or closed their last chat window."""
        handoff = await self._live(conversation_id)
        if handoff is not None:
            frame = {"type": "presence", "handoff_id": handoff.id, "open": open_}
            await self._tell_readers(handoff, frame)

    async def person_typing(self, conversation_id: str) -> None:
        """The person types in the widget."""
        handoff = await self._live(conversation_id)
        if handoff is not None:
            frame = {"type": "typing", "handoff_id": handoff.id, "sender": "user"}
            await self._tell_readers(handoff, frame)

    async def advisor_typing(self, handoff_id: int, advisor: Advisor) -> bool:
        """Show the person that the advisor holding their chat types; False if this
        was within TYPING_INTERVAL of the last one (nothing sent)."""
        handoff = await self._service.handoffs.get(handoff_id)
        if handoff is None or not await self._service.may_read(handoff, advisor):
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        if handoff.status != Status.ACTIVE or handoff.advisor_id != advisor.id:
            raise HandoffError("Dieser Chat ist nicht (mehr) Ihrer.")
        key, now = (advisor.id, handoff.id), time.monotonic()
        if now - self._last_typing.get(key, -TYPING_INTERVAL) < TYPING_INTERVAL:
            return False
        if len(self._last_typing) >= MAX_TRACKED:
            self._last_typing.clear()
        self._last_typing[key] = now
        if handoff.channel == WEB:
            await self._people.advisor_typing(handoff.conversation_id, advisor_title(advisor))
        return True

    async def _live(self, conversation_id: str) -> Handoff | None:
        handoff = await self._service.handoffs.open_for(conversation_id)
        if handoff is None or handoff.status not in LIVE or handoff.channel != WEB:
            return None
        return handoff

    async def _tell_readers(self, handoff: Handoff, frame: dict[str, Any]) -> None:
        online = self._consoles.online()
        readers = {
            advisor.id
            for advisor in await self._advisors.all_active()
            if advisor.id in online and await self._service.may_read(handoff, advisor)
        }
        await self._consoles.send_to(readers, frame)
