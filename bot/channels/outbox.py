"""The outbox: delivers stored messages to messengers, in order per conversation, with
rate limits, retries with backoff and jitter, and errors classified.

A message of a messenger conversation gets its outbox row in the transaction that
stores it (bot/db/store.py). The worker renders it when it sends, so rows never hold
an address, and a restart resumes where the last one stopped.

Several gateway instances drain the same outbox: an instance claims a conversation's
next batch under `SELECT … FOR UPDATE SKIP LOCKED` on the conversation's row and marks
it `sending` with a lease; while a conversation has a batch `sending`, nobody takes
its next one (order). A lease that runs out (its instance died) puts the batch back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Adapter, ApiCall, Outcome, SendResult
from bot.channels.buttons import tokens_for
from bot.channels.delivery_status import QUEUED, apply_early_reports, set_status
from bot.channels.identities import Address, AddressBook
from bot.channels.pacing import Pacer
from bot.db.channel_models import OutboxRow
from bot.db.models import Conversation, Handoff, Message, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
GIVE_UP_AFTER = timedelta(hours=24)
MAX_BACKOFF_SECONDS = 300.0
POLL_SECONDS = 0.5
MERGE_WITHIN = timedelta(seconds=30)
MAX_MERGED_CHARS = 3000
# a batch marked `sending` by an instance that died is queued again after this
SENDING_LEASE = timedelta(seconds=60)

# (message ids, status, error) whenever delivery states change: the consoles show them
StatusListener = Callable[[str, list[int], str, str | None], Awaitable[None]]


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds before try `attempt + 1`: 2^attempt, at most 300, ± 20 % jitter."""
    base = min(MAX_BACKOFF_SECONDS, 2.0**attempt)
    return base * (rng or random).uniform(0.8, 1.2)


@dataclass
class Batch:
    """Queued messages of one conversation sent as one (several bubbles of a turn)."""

    conversation: Conversation
    rows: list[OutboxRow]
    messages: list[Message]

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.messages if m.text.strip())

    @property
    def message_ids(self) -> list[int]:
        return [m.id for m in self.messages]


class Outbox:
    """Sends what is queued, one conversation at a time each, many in parallel."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        adapters: dict[str, Adapter],
        book: AddressBook,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._adapters = adapters
        self._book = book
        self._clock = clock
        self._pacers = {
            name: Pacer(a.rate_per_second, a.min_spacing) for name, a in adapters.items()
        }
        self._wake = asyncio.Event()
        self._busy: set[str] = set()
        # conversations whose new rows may go before their grace time (bot/db/store.py),
        # and up to when a row counts as complete (its turn ended before the nudge)
        self._nudged: set[str] = set()
        self._released: dict[str, datetime] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # calls already sent of a batch split into several (by its first row's id)
        self._progress: dict[int, int] = {}
        # rows this instance marked `sending` and has not recorded yet
        self._leased: set[int] = set()
        self.listeners: list[StatusListener] = []

    def nudge(self, conversation_id: str | None = None) -> None:
        """Send a conversation's new messages now (its turn or the advisor's reply is
        complete); without an id, just look for due messages."""
        if conversation_id:
            self._nudged.add(conversation_id)
            self._released[conversation_id] = self._clock()
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled; rows left `sending` by a crash are queued again
        when their lease ends."""
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
                self._wake.clear()
                try:
                    due = await self._due()
                except Exception:  # the database may be briefly away
                    log.exception("outbox: reading due messages failed")
                    continue
                due |= self._nudged
                for conversation_id in due - self._busy:
                    self._nudged.discard(conversation_id)
                    self._busy.add(conversation_id)
                    task = asyncio.create_task(self._drain(conversation_id))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
        finally:  # stopped before the database closes: wait for every task to end
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._release_leases()

    async def _release_leases(self) -> None:
        """Give back the batches this instance was sending when it stopped: the next
        instance sends them at once instead of when the lease runs out (whether a
        cancelled call reached the platform is unknown either way)."""
        if not self._leased:
            return
        leased, self._leased = list(self._leased), set()
        try:
            async with self._sessions.begin() as session:
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(leased), OutboxRow.status == "sending")
                    .values(status=QUEUED, next_attempt_at=self._clock())
                )
        except Exception:  # the lease runs out all the same
            log.exception("outbox: giving back %d leased rows failed", len(leased))

    async def _due(self) -> set[str]:
        expired = (OutboxRow.status == "sending", OutboxRow.next_attempt_at <= self._clock())
        async with self._sessions.begin() as session:
            # a write only when a lease ran out: SQLite has one writer at a time
            if await session.scalar(select(OutboxRow.id).where(*expired).limit(1)) is not None:
                await session.execute(update(OutboxRow).where(*expired).values(status=QUEUED))
            rows = await session.scalars(
                select(OutboxRow.conversation_id)
                .where(OutboxRow.status == QUEUED, OutboxRow.next_attempt_at <= self._clock())
                .distinct()
            )
            return set(rows)

    async def _drain(self, conversation_id: str) -> None:
        try:
            while await self._send_next(conversation_id):
                pass
        except Exception:
            log.exception("outbox: conversation %s failed", conversation_id)
        finally:
            self._busy.discard(conversation_id)

    async def _send_next(self, conversation_id: str) -> bool:
        """Send the next batch of the conversation; False when nothing is due."""
        now = self._clock()
        async with self._sessions.begin() as session:
            batch = await self._next_batch(session, conversation_id, now)
            if batch is None:
                return False
            adapter = self._adapters.get(batch.conversation.channel)
            address = await self._book.address_of(session, conversation_id)
            if adapter is None or address is None:
                await self._finish(session, batch, "dead", "Kanal nicht eingerichtet")
                return True
            if batch.conversation.unreachable_at is not None:
                await self._finish(session, batch, "failed", "nicht zustellbar (blockiert)")
                return True
            if not adapter.window_open(batch.conversation.last_inbound_at, now):
                await self._await_person(session, batch, adapter, address)
                return True
            buttons = await tokens_for(session, batch.messages[-1])
            calls = adapter.render(batch.text, buttons)
            for row in batch.rows:
                row.status = "sending"
                row.next_attempt_at = now + SENDING_LEASE  # the lease
        leased = {row.id for row in batch.rows}
        self._leased |= leased
        result = await self._send_calls(adapter, address, batch, calls)
        async with self._sessions.begin() as session:
            batch.rows = [
                row
                for row in await session.scalars(
                    select(OutboxRow).where(OutboxRow.id.in_([r.id for r in batch.rows]))
                )
            ]
            await self._record(session, batch, result, adapter, address)
        self._leased -= leased
        if result.outcome == Outcome.SENT and result.provider_id:
            await self._late_reports(batch, result.provider_id)
        return True

    async def _late_reports(self, batch: Batch, provider_id: str) -> None:
        """Apply reports a webhook stored as early while our send was being recorded
        (neither transaction saw the other's rows); the webhook re-checks likewise."""
        async with self._sessions.begin() as session:
            if await apply_early_reports(session, provider_id):
                row = await session.scalar(
                    select(OutboxRow).where(OutboxRow.provider_id == provider_id)
                )
                if row is not None:
                    await self._statuses(session, batch, row.status, None)

    async def _next_batch(
        self, session: AsyncSession, conversation_id: str, now: datetime
    ) -> Batch | None:
        claimed = await session.scalar(
            select(Conversation.id)
            .where(Conversation.id == conversation_id)
            .with_for_update(skip_locked=True)
        )
        if claimed is None:
            return None  # gone, or another instance is claiming its batch right now
        sending = await session.scalar(
            select(OutboxRow.id)
            .where(OutboxRow.conversation_id == conversation_id, OutboxRow.status == "sending")
            .limit(1)
        )
        if sending is not None:
            return None  # another instance is sending its previous batch
        rows = (
            await session.execute(
                select(OutboxRow, Message)
                .join(Message, Message.id == OutboxRow.message_id)
                .where(OutboxRow.conversation_id == conversation_id, OutboxRow.status == QUEUED)
                .order_by(OutboxRow.id)
                .limit(10)
            )
        ).all()
        released = self._released.get(conversation_id)

        def due(row: OutboxRow) -> bool:
            """A retry when its time came; a new row when its turn was complete (the
            conversation was nudged after it) or its grace time ended."""
            fresh = not row.attempts and released is not None and row.created_at <= released
            return row.next_attempt_at <= now or fresh

        if not rows:
            # all sent: forget the turn, unless a nudge came in during the query (its
            # rows were committed after this read began; the next call sends them)
            if released is not None and released < now:
                self._released.pop(conversation_id, None)
            return None
        if not due(rows[0][0]):
            return None
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            return None
        chosen: list[tuple[OutboxRow, Message]] = [(rows[0][0], rows[0][1])]
        size = len(rows[0][1].text)
        for row, message in rows[1:]:
            previous = chosen[-1][1]
            size += len(message.text)
            if (
                not due(row)
                or previous.buttons
                or (previous.custom and previous.custom.get("image"))
                or row.attempts
                or message.created_at - chosen[0][1].created_at > MERGE_WITHIN
                or size > MAX_MERGED_CHARS
            ):
                break
            chosen.append((row, message))
        return Batch(conversation, [r for r, _ in chosen], [m for _, m in chosen])

    async def _send_calls(
        self, adapter: Adapter, address: Address, batch: Batch, calls: list[ApiCall]
    ) -> SendResult:
        first = batch.rows[0].id
        done = self._progress.get(first, 0)
        result = SendResult(Outcome.SENT)
        for call in calls[done:]:
            await self._pacers[adapter.channel].wait(batch.conversation.id)
            result = await adapter.send(call, address, str(first))
            if result.outcome != Outcome.SENT:
                self._progress[first] = done
                return result
            done += 1
        self._progress.pop(first, None)
        return result

    async def _record(
        self,
        session: AsyncSession,
        batch: Batch,
        result: SendResult,
        adapter: Adapter,
        address: Address,
    ) -> None:
        now = self._clock()
        outcome = result.outcome
        if outcome == Outcome.SENT:
            for row in batch.rows:
                row.status, row.sent_at, row.provider_id = "sent", now, result.provider_id
            await self._statuses(session, batch, "sent", None)
            await session.flush()
            later = await apply_early_reports(session, result.provider_id or "")
            if later:
                await self._statuses(session, batch, batch.rows[0].status, None)
        elif outcome == Outcome.RETRY:
            attempts = batch.rows[0].attempts + 1
            if attempts >= MAX_ATTEMPTS or now - batch.rows[0].created_at > GIVE_UP_AFTER:
                log.error("outbox: giving up on %s: %s", batch.message_ids, result.error)
                await self._finish(session, batch, "dead", result.error)
                return
            wait = result.retry_after if result.retry_after is not None else backoff(attempts)
            for row in batch.rows:
                row.status, row.attempts, row.last_error = QUEUED, attempts, result.error
                row.next_attempt_at = now + timedelta(seconds=wait)
        elif outcome == Outcome.UNREACHABLE:
            conversation = await session.get(Conversation, batch.conversation.id)
            if conversation is not None:
                conversation.unreachable_at = now
            await self._finish(session, batch, "failed", "nicht zustellbar (blockiert)")
        elif outcome == Outcome.WINDOW_CLOSED:
            await self._await_person(session, batch, adapter, address)
        else:
            log.error("outbox: %s rejected: %s", batch.message_ids, result.error)
            await self._finish(session, batch, "dead", result.error)

    async def _await_person(
        self, session: AsyncSession, batch: Batch, adapter: Adapter, address: Address
    ) -> None:
        """WhatsApp's window is closed: hold the messages until the person writes; invite
        them back with the approved template (once per wait) if there is one."""
        waiting = await session.scalar(
            select(OutboxRow.id).where(
                OutboxRow.conversation_id == batch.conversation.id,
                OutboxRow.status == "needs_template",
            )
        )
        for row in batch.rows:
            row.status = "needs_template"
        await self._statuses(session, batch, "needs_template", None)
        if waiting is not None:
            return
        ticket = await session.scalar(
            select(Handoff.ticket)
            .where(Handoff.conversation_id == batch.conversation.id)
            .order_by(Handoff.id.desc())
        )
        template = adapter.template(ticket or "")
        if template is None:
            return
        await self._pacers[adapter.channel].wait(batch.conversation.id)
        result = await adapter.send(template, address, f"t{batch.rows[0].id}")
        if result.outcome != Outcome.SENT:
            log.error("outbox: template for %s failed: %s", batch.message_ids, result.error)

    async def _finish(
        self, session: AsyncSession, batch: Batch, status: str, error: str | None
    ) -> None:
        for row in batch.rows:
            row.status, row.last_error = status, error
        await self._statuses(session, batch, "failed" if status == "dead" else status, error)

    async def _statuses(
        self, session: AsyncSession, batch: Batch, status: str, error: str | None
    ) -> None:
        await set_status(session, batch.message_ids, status, error)
        for listener in self.listeners:
            await listener(batch.conversation.id, batch.message_ids, status, error)
