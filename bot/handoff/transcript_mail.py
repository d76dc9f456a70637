"""Transcript e-mails to the person: stored when the advisor offers one, answered by
the person, then sent once (claimed first) and retried with the callback mail's backoff."""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage

import aiosmtplib
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.desk_models import TranscriptMail
from bot.db.models import Handoff, utcnow
from bot.handoff.mailer import CLAIM_TIMEOUT, retry_delay, smtp_send
from bot.handoff.store import MAX_EMAIL_ATTEMPTS as MAX_ATTEMPTS
from bot.handoff.store import HandoffStore
from bot.handoff.transcript import transcript_text
from bot.handoff.validation import parse_contact

log = logging.getLogger(__name__)


def person_email(handoff: Handoff) -> str | None:
    """The e-mail address the person gave in the callback form, if it is one."""
    contact = parse_contact(handoff.contact or "")
    return contact.value if contact and contact.kind == "email" else None


def mail_state(row: TranscriptMail | None) -> str | None:
    """asked, declined, sending, sent or failed (None: never offered)."""
    if row is None:
        return None
    if row.consent is None:
        return "asked"
    if not row.consent:
        return "declined"
    if row.sent_at is not None:
        return "sent"
    return "failed" if row.attempts >= MAX_ATTEMPTS else "sending"


def transcript_email(handoff: Handoff, body: str, sender: str, to: str) -> EmailMessage:
    """The e-mail with the transcript, in German."""
    message = EmailMessage()
    message["Subject"] = f"Ihr Chatverlauf mit der Handwerkskammer ({handoff.ticket})"
    message["From"] = sender
    message["To"] = to
    message.set_content(
        "Guten Tag,\n\nwie gewünscht erhalten Sie den Verlauf Ihres Chats mit der "
        f"Beratung der Handwerkskammer.\n\n{body}\n"
        "Diese E-Mail wurde automatisch versandt.\n"
    )
    return message


class TranscriptMailStore:
    """Reads and writes transcript e-mails; each change is one conditional UPDATE."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create(self, handoff_id: int, advisor_id: int) -> TranscriptMail:
        """A new offer, not yet answered."""
        async with self._sessions.begin() as session:
            row = TranscriptMail(handoff_id=handoff_id, advisor_id=advisor_id, asked_at=utcnow())
            session.add(row)
        return row

    async def get(self, mail_id: int) -> TranscriptMail | None:
        """One transcript e-mail."""
        async with self._sessions() as session:
            return await session.get(TranscriptMail, mail_id)

    async def latest(self, handoff_id: int) -> TranscriptMail | None:
        """The handoff's newest offer."""
        async with self._sessions() as session:
            return await session.scalar(
                select(TranscriptMail)
                .where(TranscriptMail.handoff_id == handoff_id)
                .order_by(TranscriptMail.id.desc())
                .limit(1)
            )

    async def answer(self, mail_id: int, consent: bool) -> bool:
        """Record the person's answer once; False if it was answered already."""
        return await self._change(
            mail_id, [TranscriptMail.consent.is_(None)], consent=consent, answered_at=utcnow()
        )

    async def due(self, now: datetime) -> list[TranscriptMail]:
        """Consented e-mails not sent, not given up, not waiting for their next try."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(TranscriptMail).where(
                    TranscriptMail.consent.is_(True),
                    TranscriptMail.sent_at.is_(None),
                    TranscriptMail.attempts < MAX_ATTEMPTS,
                    (TranscriptMail.next_at.is_(None)) | (TranscriptMail.next_at <= now),
                )
            )
            return list(rows)

    async def claim(self, mail_id: int, now: datetime) -> bool:
        """Take an e-mail for sending; False if it went out or another sender holds it."""
        stale = now - CLAIM_TIMEOUT
        return await self._change(
            mail_id,
            [
                TranscriptMail.sent_at.is_(None),
                (TranscriptMail.claimed_at.is_(None)) | (TranscriptMail.claimed_at < stale),
            ],
            claimed_at=now,
        )

    async def failed(self, mail_id: int, next_at: datetime) -> None:
        """Count a failed send, release the claim, set the next try."""
        await self._change(
            mail_id,
            [],
            attempts=TranscriptMail.attempts + 1,
            next_at=next_at,
            claimed_at=None,
        )

    async def sent(self, mail_id: int) -> None:
        """Mark an e-mail as sent."""
        await self._change(mail_id, [], sent_at=utcnow())

    async def _change(self, mail_id: int, conditions: list[object], **values: object) -> bool:
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(TranscriptMail)
                .where(TranscriptMail.id == mail_id, *conditions)  # type: ignore[arg-type]
                .values(**values)
                .returning(TranscriptMail.id)
            )
            return result.scalar_one_or_none() is not None


class TranscriptMailer:
    """Sends consented transcript e-mails; what fails is retried later."""

    def __init__(
        self, settings: Settings, mails: TranscriptMailStore, handoffs: HandoffStore
    ) -> None:
        self._settings = settings
        self._mails = mails
        self._handoffs = handoffs

    @property
    def ready(self) -> bool:
        """Whether e-mail can be sent at all (SMTP_HOST set)."""
        return bool(self._settings.smtp_host)

    async def send(self, mail: TranscriptMail) -> bool:
        """Send one consented e-mail once; True if sent."""
        handoff = await self._handoffs.get(mail.handoff_id)
        address = person_email(handoff) if handoff else None
        if not self.ready or handoff is None or address is None:
            return False
        now = utcnow()
        if not await self._mails.claim(mail.id, now):
            return False
        body = transcript_text(
            handoff,
            await self._handoffs.messages(handoff.conversation_id),
            self._settings.timezone,
            person="Sie",
        )
        message = transcript_email(handoff, body, self._settings.mail_from, address)
        try:
            await smtp_send(self._settings, message)
        except (aiosmtplib.SMTPException, OSError) as error:
            delay = retry_delay(mail.attempts + 1)
            await self._mails.failed(mail.id, utcnow() + delay)
            log.warning(
                "transcript %s: e-mail failed (%s), retry in %s", handoff.ticket, error, delay
            )
            return False
        await self._mails.sent(mail.id)
        return True

    async def send_pending(self) -> int:
        """Send every transcript e-mail that is due; the number sent."""
        if not self.ready:
            return 0
        sent = 0
        for mail in await self._mails.due(utcnow()):
            sent += await self.send(mail)
        return sent
