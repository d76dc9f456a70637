"""E-mail to the advisors for each callback request (aiosmtplib): claimed before it is
sent (never twice), retried with backoff, given up after MAX_ATTEMPTS and flagged."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage

import aiosmtplib

from bot.config import Settings
from bot.db.models import Handoff, utcnow
from bot.handoff.accounts import AdvisorStore
from bot.handoff.routing import matches
from bot.handoff.store import MAX_EMAIL_ATTEMPTS as MAX_ATTEMPTS
from bot.handoff.store import HandoffStore
from bot.kb.labels import TOPIC_LABELS

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
# a sender that crashed while sending releases its claim after this time
CLAIM_TIMEOUT = timedelta(minutes=5)


def callback_email(
    handoff: Handoff,
    sender: str,
    recipients: list[str],
    console: str,
    details: bool = False,
) -> EmailMessage:
    """The German e-mail announcing one callback request. Without `details` it holds no
    personal data (a mailbox keeps mail beyond the retention period): ticket, trade,
    topic and the link; name, contact and concern stay in the console."""
    message = EmailMessage()
    message["Subject"] = f"Rückrufbitte {handoff.ticket}: {handoff.trade or 'Handwerk'}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    topic = TOPIC_LABELS.get(handoff.topic or "", handoff.topic or "–")
    facts = (
        (
            f"Name: {handoff.contact_name}\n"
            f"Betrieb: {handoff.business}\n"
            f"Gewerk: {handoff.trade}\n"
            f"Kontakt: {handoff.contact}\n"
            f"Wunschzeit: {handoff.preferred_time}\n"
            f"Thema: {topic}\n"
            f"Anliegen: {handoff.summary}\n\n"
            f"Verlauf und Erledigt-Markierung in der Beraterkonsole: {console}\n"
        )
        if details
        else (
            f"Gewerk: {handoff.trade}\n"
            f"Thema: {topic}\n"
            f"Wunschzeit: {handoff.preferred_time}\n\n"
            "Name, Kontakt und Anliegen stehen aus Datenschutzgründen nur in der "
            f"Beraterkonsole (Vorgangsnummer suchen): {console}\n"
        )
    )
    message.set_content(
        f"Neue Rückrufbitte aus dem Chat\n\nVorgangsnummer: {handoff.ticket}\n{facts}"
    )
    return message


class CallbackMailer:
    """Sends the callback e-mail; what fails stays unsent and is retried later."""

    def __init__(self, settings: Settings, handoffs: HandoffStore, advisors: AdvisorStore) -> None:
        self._settings = settings
        self._handoffs = handoffs
        self._advisors = advisors

    async def recipients(self, handoff: Handoff) -> list[str]:
        """HANDOFF_MAIL_TO, else matching advisors' addresses, else every advisor's."""
        configured = [a.strip() for a in self._settings.handoff_mail_to.split(",") if a.strip()]
        if configured:
            return configured
        advisors = [a for a in await self._advisors.all_active() if a.email]
        matching = [a.email for a in advisors if matches(a, handoff)]
        return matching or [a.email for a in advisors]

    async def send(self, handoff: Handoff) -> bool:
        """Send the e-mail for `handoff` once: claimed first (so that two senders never
        both send it), then retried with backoff after a failure; True if sent."""
        settings = self._settings
        recipients = await self.recipients(handoff)
        if not settings.smtp_host or not recipients:
            log.warning("callback %s: no SMTP_HOST or no recipients, no e-mail", handoff.ticket)
            return False
        now = utcnow()
        if not await self._handoffs.claim_email(handoff.id, now, now - CLAIM_TIMEOUT):
            return False
        message = callback_email(
            handoff,
            settings.mail_from,
            recipients,
            f"{settings.public_url}/berater",
            settings.callback_mail_details,
        )
        try:
            await smtp_send(settings, message)
        except (aiosmtplib.SMTPException, OSError) as error:
            attempt = handoff.email_attempts + 1
            delay = retry_delay(attempt)
            await self._handoffs.email_failed(handoff.id, utcnow() + delay)
            if attempt >= MAX_ATTEMPTS:
                log.error("callback %s: e-mail failed %d times, given up", handoff.ticket, attempt)
            else:
                log.warning(
                    "callback %s: e-mail failed (%s), retry in %s", handoff.ticket, error, delay
                )
            return False
        await self._handoffs.transition(
            handoff.id, ("callback_open", "callback_done"), email_sent_at=utcnow()
        )
        return True

    async def send_pending(self) -> int:
        """Send every callback e-mail that is due; the number sent. Without SMTP_HOST
        there is nothing to retry: callbacks are in the console, and each was logged
        once when it came in."""
        if not self._settings.smtp_host:
            return 0
        sent = 0
        for handoff in await self._handoffs.unsent_callbacks(utcnow(), MAX_ATTEMPTS):
            sent += await self.send(handoff)
        return sent


async def smtp_send(settings: Settings, message: EmailMessage) -> None:
    """Send one e-mail through SMTP_HOST (raises SMTPException or OSError)."""
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        timeout=10,
    )


def retry_delay(attempt: int) -> timedelta:
    """The wait after the `attempt`-th failure: 1, 2, 4 … minutes, at most six hours."""
    return min(FIRST_RETRY * (1 << (attempt - 1)), MAX_RETRY)
