"""Inbound messenger events: stored and committed before the webhook is answered
(dedup on the platform's id), then processed in the background through the same
chat service as the widget; events left unprocessed by a restart are resumed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels import texts
from bot.channels.base import Adapter, Incoming, Kind, StatusReport
from bot.channels.buttons import resolve_tap, resolve_typed
from bot.channels.delivery_status import (
    apply_early_reports,
    apply_report,
    early_report,
    reopen,
)
from bot.channels.identities import Address, AddressBook
from bot.channels.telegram import TelegramAdapter
from bot.chat import ChatService
from bot.cluster.locks import ConversationLocks
from bot.db.channel_models import InboundEvent, OutboxRow
from bot.db.models import Message, utcnow
from bot.db.store import MessageStore, StoredMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# messages answered at once: more only queue up in Rasa and slow the webhooks down
PARALLEL_ANSWERS = 8
UNSUPPORTED_HINT_EVERY = timedelta(hours=1)
RESUME_SECONDS = 30.0
EARLY_REPORTS_KEPT = timedelta(days=1)

# (conversation id, message ids, status, error) after a platform's status report
ReportListener = Callable[[str, list[int], str, str | None], Awaitable[None]]


class Inbox:
    """Stores webhook events and answers them afterwards."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        book: AddressBook,
        adapters: dict[str, Adapter],
        messages: MessageStore,
        chat: ChatService,
        nudge_outbox: Callable[[str | None], None],
        notice: dict[str, str],
        locks: ConversationLocks | None = None,
    ) -> None:
        self._sessions = sessions
        self._book = book
        self._adapters = adapters
        self._messages = messages
        self._chat = chat
        self._nudge = nudge_outbox
        self._notice = notice
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_progress: set[int] = set()
        # the inbox's own names: the chat service locks the conversation itself
        self._locks = locks or ConversationLocks()
        self._slots = asyncio.Semaphore(PARALLEL_ANSWERS)
        self.report_listeners: list[ReportListener] = []

    async def store(self, channel: str, events: list[Incoming | StatusReport]) -> list[int]:
        """Store what is new in one transaction; the ids of messages to answer. A
        concurrent retry of the same event loses the race on the unique key and is
        stored once."""
        for attempt in range(2):
            try:
                return await self._store_once(channel, events)
            except IntegrityError:
                if attempt:
                    raise
        return []

    def enqueue(self, event_ids: list[int]) -> None:
        """Answer stored events in the background."""
        for event_id in event_ids:
            self._queue.put_nowait(event_id)

    async def run(self) -> None:
        """Answer queued events until cancelled; pick up unanswered ones now and then
        (after a restart, or a failure that waits for its retry)."""
        resume = asyncio.create_task(self._resume_loop())
        try:
            while True:
                event_id = await self._queue.get()
                task = asyncio.create_task(self._process(event_id))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:  # stopped before the database closes: wait for every task to end
            tasks = [resume, *self._tasks]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _resume_loop(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                async with self._sessions.begin() as session:
                    await session.execute(
                        delete(InboundEvent).where(
                            InboundEvent.status == "early",
                            InboundEvent.received_at < utcnow() - EARLY_REPORTS_KEPT,
                        )
                    )
                async with self._sessions() as session:
                    due = await session.scalars(
                        select(InboundEvent.id).where(InboundEvent.status.in_(("stored", "failed")))
                    )
                    self.enqueue([i for i in due if i not in self._in_progress])
            await asyncio.sleep(RESUME_SECONDS)

    async def _store_once(self, channel: str, events: list[Incoming | StatusReport]) -> list[int]:
        new: list[InboundEvent] = []
        reports: list[tuple[str, list[int], str, str | None]] = []
        early: set[str] = set()
        async with self._sessions.begin() as session:
            keys = list({event.event_key for event in events})
            seen = set(
                await session.scalars(
                    select(InboundEvent.event_key).where(InboundEvent.event_key.in_(keys))
                )
            )
            for event in events:
                if event.event_key in seen:
                    continue
                seen.add(event.event_key)
                if isinstance(event, StatusReport):
                    # states only move forward, so a repeated report changes nothing; one
                    # on a send not recorded yet waits for it (an erased conversation's
                    # waits in vain and is purged after a day)
                    conversation_id, changed = await apply_report(session, event)
                    if not conversation_id:  # before our send is recorded, or erased
                        session.add(early_report(event, channel))
                        early.add(event.provider_id)
                        continue
                    if not changed:
                        continue
                    reports.append((conversation_id, changed, event.status, event.error))
                    session.add(
                        InboundEvent(
                            event_key=event.event_key,
                            channel=channel,
                            conversation_id=conversation_id,
                            status="processed",
                            attempts=0,
                        )
                    )
                else:
                    new.append(await self._store_message(session, channel, event))
        if early:
            await self._recheck_early(early)
        for report in reports:
            for listener in self.report_listeners:
                await listener(*report)
        for conversation_id in {report[0] for report in reports}:
            self._nudge(conversation_id)
        return [row.id for row in new]

    async def _recheck_early(self, provider_ids: set[str]) -> None:
        """Reports stored as early while the outbox recorded the send in a transaction
        of its own: if the send is known now, they apply (the outbox re-checks too)."""
        async with self._sessions.begin() as session:
            known = await session.scalars(
                select(OutboxRow.provider_id).where(OutboxRow.provider_id.in_(provider_ids))
            )
            for provider_id in set(known):
                if provider_id:
                    await apply_early_reports(session, provider_id)

    async def _store_message(
        self, session: AsyncSession, channel: str, event: Incoming
    ) -> InboundEvent:
        now = utcnow()
        conversation, created = await self._book.conversation_for(
            session, channel, event.addresses, now
        )
        conversation.last_inbound_at, conversation.unreachable_at = now, None
        conversation.updated_at = now
        await reopen(session, conversation.id)
        payload = None
        stale = False
        text = event.text.strip()
        if event.kind == Kind.BUTTON:
            choice = await resolve_tap(session, conversation.id, event.button_id)
            stale = choice is None
            text, payload = (choice.title, choice.payload) if choice else ("[Auswahl]", None)
        elif event.kind == Kind.TEXT:
            choice = await resolve_typed(session, conversation.id, text)
            payload = choice.payload if choice else None
        elif event.kind == Kind.UNSUPPORTED:
            text = "[Nachricht ohne Text]"
        message = Message(
            conversation_id=conversation.id, sender="user", text=text or "…", created_at=now
        )
        session.add(message)
        await session.flush()
        row = InboundEvent(
            event_key=event.event_key,
            channel=channel,
            conversation_id=conversation.id,
            message_id=message.id,
            payload=payload,
            details={
                "kind": str(event.kind),
                "new": created,
                "stale": stale,
                "callback_id": event.callback_id,
                "keyboard_message_id": event.keyboard_message_id,
            },
            status="stored",
            attempts=0,
            received_at=now,
        )
        session.add(row)
        await session.flush()
        return row

    async def _process(self, event_id: int) -> None:
        """Answer one event; one conversation's events one after the other, each turn
        complete (its notices stored, the outbox nudged) before the next begins."""
        if event_id in self._in_progress:
            return
        self._in_progress.add(event_id)
        try:
            async with self._sessions() as session:
                event = await session.get(InboundEvent, event_id)
                conversation_id = event.conversation_id if event else None
            async with self._locks.hold(f"inbox:{conversation_id}"), self._slots:
                try:
                    await self._answer(event_id)
                except Exception:
                    log.exception("inbound event %s failed", event_id)
                    await self._failed(event_id)
                self._nudge(conversation_id)
        finally:
            self._in_progress.discard(event_id)

    async def _answer(self, event_id: int) -> None:
        """Answer one stored event."""
        async with self._sessions() as session:
            event = await session.get(InboundEvent, event_id)
            if event is None or event.status not in ("stored", "failed"):
                return
            message = await session.get(Message, event.message_id) if event.message_id else None
            conversation_id = event.conversation_id
            address = (
                await self._book.address_of(session, conversation_id) if conversation_id else None
            )
        adapter = self._adapters.get(event.channel)
        if message is None or conversation_id is None or adapter is None or address is None:
            await self._mark(event_id, "ignored")
            return
        details = event.details or {}
        stale = bool(details.get("stale"))
        if isinstance(adapter, TelegramAdapter):
            await self._telegram_first(adapter, address, details, stale)
        if details.get("new"):
            await self._messages.add(
                conversation_id, StoredMessage("system", self._notice[event.channel])
            )
        replies = await self._replies(event, message, conversation_id, adapter, stale)
        erased = any((reply.custom or {}).get("erased") for reply in replies)
        if erased:  # the conversation and its address are gone: say so directly
            for call in adapter.render(replies[-1].text, []):
                await adapter.send(call, address, "erased")
            return
        for reply in replies:
            if reply.id is None:  # a notice the widget shows without storing it
                await self._messages.add(conversation_id, reply)
        await self._mark(event_id, "processed")

    async def _replies(
        self,
        event: InboundEvent,
        message: Message,
        conversation_id: str,
        adapter: Adapter,
        stale: bool,
    ) -> list[StoredMessage]:
        kind = (event.details or {}).get("kind")
        if stale:
            if isinstance(adapter, TelegramAdapter):
                return []  # shown as the tap's alert
            return [await self._messages.add(conversation_id, StoredMessage("system", texts.STALE))]
        if kind == Kind.UNSUPPORTED:
            return await self._unsupported(conversation_id)
        text = texts.GREETING if kind == Kind.START else message.text
        stored = StoredMessage("user", text, id=message.id, created_at=message.created_at)
        return await self._chat.respond_to_stored(
            conversation_id, stored, event.payload, event.channel
        )

    async def _telegram_first(
        self, adapter: TelegramAdapter, chat: Address, details: dict[str, object], stale: bool
    ) -> None:
        """Stop the tap's spinner and take the keyboard off before anything slow."""
        callback_id = details.get("callback_id")
        if isinstance(callback_id, str) and callback_id:
            await adapter.answer_callback(callback_id, texts.STALE if stale else None)
            keyboard = details.get("keyboard_message_id")
            if isinstance(keyboard, int) and not stale:
                await adapter.remove_keyboard(chat, keyboard)
        await adapter.typing(chat)

    async def _unsupported(self, conversation_id: str) -> list[StoredMessage]:
        """A polite hint, at most once an hour."""
        recent = await self._messages.history(conversation_id, limit=20)
        cutoff = utcnow() - UNSUPPORTED_HINT_EVERY
        if any(
            m.text == texts.UNSUPPORTED and m.created_at and m.created_at > cutoff for m in recent
        ):
            return []
        return [
            await self._messages.add(conversation_id, StoredMessage("system", texts.UNSUPPORTED))
        ]

    async def _failed(self, event_id: int) -> None:
        async with self._sessions.begin() as session:
            event = await session.get(InboundEvent, event_id)
            if event is None:
                return
            event.attempts += 1
            event.status = "failed" if event.attempts < MAX_ATTEMPTS else "given_up"
            conversation_id = event.conversation_id
            given_up = event.status == "given_up"
        if given_up and conversation_id:
            await self._messages.add(conversation_id, StoredMessage("system", texts.FAILED))

    async def _mark(self, event_id: int, status: str) -> None:
        async with self._sessions.begin() as session:
            event = await session.get(InboundEvent, event_id)
            if event is not None:
                event.status = status
