"""Application factory of the gateway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp import web

from bot.channels.context import channels_ctx
from bot.chat import ChatService
from bot.cluster.context import running
from bot.cluster.once import exclusively
from bot.config import Settings
from bot.console.throttle import LoginThrottle
from bot.curation.capture import Capture
from bot.curation.desk import CurationDesk
from bot.curation.pruning import prune_items
from bot.curation.queue import CurationQueue
from bot.curation.review import ReviewFolder, review_dir
from bot.db.desk_models import TranscriptMail
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.db.models import Handoff
from bot.db.store import MessageStore
from bot.handoff.accounts import AdvisorStore
from bot.handoff.canned import CannedStore
from bot.handoff.closed_search import ClosedSearch
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.mailer import CallbackMailer
from bot.handoff.office_hours import OfficeHours
from bot.handoff.service import HandoffService
from bot.handoff.signals import LiveSignals
from bot.handoff.store import HandoffStore
from bot.handoff.transcript_mail import TranscriptMailer, TranscriptMailStore
from bot.keys import (
    ADVISORS,
    AUDIT,
    CANNED,
    CHAT,
    CLOSED_SEARCH,
    CLUSTER,
    CONSOLES,
    CURATION,
    ENGINE,
    HANDOFFS,
    HTTP_SESSION,
    KB_REVIEW,
    LIMITS,
    LOGIN_THROTTLE,
    MAILER,
    PEOPLE,
    RASA,
    SESSIONS,
    SETTINGS,
    SIGNALS,
    TRACKER,
    TRANSCRIPT_MAILER,
)
from bot.limits import SocketLimits
from bot.privacy.audit import AuditLog
from bot.privacy.retention import erase, purge_expired
from bot.privacy.tracker import TrackerEvents
from bot.rasa_client import RasaClient
from bot.routes import setup_routes

log = logging.getLogger(__name__)

QUEUE_REFRESH_SECONDS = 15.0
MAIL_RETRY_SECONDS = 60.0
PURGE_SECONDS = 3600.0


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Engine for the app's lifetime; migrates the schema at start."""
    engine = create_engine(app[SETTINGS].database_url)
    await upgrade_schema(engine)
    app[ENGINE] = engine
    app[SESSIONS] = session_factory(engine)
    yield
    await engine.dispose()


async def cluster_ctx(app: web.Application) -> AsyncIterator[None]:
    """What this instance shares with the other instances (REDIS_URL), for its life."""
    async with running(app[SETTINGS].redis_url) as cluster:
        app[CLUSTER] = cluster
        yield


async def tracker_ctx(app: web.Application) -> AsyncIterator[None]:
    """Rasa's tracker store, for erasing a conversation's dialogue state too."""
    app[TRACKER] = TrackerEvents.from_url(app[SETTINGS].tracker_store_url)
    yield
    await app[TRACKER].close()


async def services_ctx(app: web.Application) -> AsyncIterator[None]:
    """HTTP client to Rasa, the handoff service and the chat service on top."""
    settings = app[SETTINGS]
    async with aiohttp.ClientSession() as session:
        app[HTTP_SESSION] = session
        app[RASA] = RasaClient(
            session, settings.rasa_url, settings.rasa_timeout_seconds, settings.action_server_url
        )
        messages = MessageStore(app[SESSIONS])
        handoffs = HandoffStore(app[SESSIONS])
        app[ADVISORS] = AdvisorStore(app[SESSIONS])
        app[AUDIT] = AuditLog(app[SESSIONS])
        cluster = app[CLUSTER]
        app[PEOPLE] = PersonHub(cluster.bus, cluster.presence)
        consoles = ConsoleHub(cluster.bus, cluster.presence)
        app[CONSOLES] = consoles
        cluster.on_gap(app[PEOPLE].resync)
        cluster.on_gap(consoles.resync)
        app[LOGIN_THROTTLE] = LoginThrottle(cluster.windows)
        app[LIMITS] = SocketLimits(
            settings.max_sockets_per_address,
            settings.max_new_conversations_per_minute,
            settings.max_messages_per_10_seconds,
            cluster.windows,
            cluster.slots,
        )
        app[HANDOFFS] = HandoffService(
            handoffs,
            messages,
            app[ADVISORS],
            app[PEOPLE],
            app[CONSOLES],
            OfficeHours.parse(settings.office_hours, settings.timezone),
            settings.retention_days,
            settings.routing_exclusive_seconds,
            settings.public_url,
        )
        app[MAILER] = CallbackMailer(settings, handoffs, app[ADVISORS])
        app[HANDOFFS].on_callback.append(_send_soon(app))
        _desk(app, consoles, handoffs)
        app[CHAT] = ChatService(
            messages,
            app[RASA],
            settings.max_message_chars,
            app[HANDOFFS],
            _eraser(app),
            _curation(app),
            cluster.locks,
        )
        yield


def _desk(app: web.Application, consoles: ConsoleHub, handoffs: HandoffStore) -> None:
    """The console's desk: presence and typing, canned responses, the search over
    closed conversations and transcript e-mails (sent in the background)."""
    settings = app[SETTINGS]
    app[SIGNALS] = LiveSignals(app[HANDOFFS], app[PEOPLE], consoles, app[ADVISORS])
    app[CANNED] = CannedStore(app[SESSIONS])
    app[CLOSED_SEARCH] = ClosedSearch(app[SESSIONS], settings.timezone)
    mails = TranscriptMailStore(app[SESSIONS])
    mailer = TranscriptMailer(settings, mails, handoffs)
    app[TRANSCRIPT_MAILER] = mailer
    tasks: set[asyncio.Task[None]] = set()

    async def send_and_tell(mail: TranscriptMail) -> None:
        await app[HANDOFFS].mail_finished(mail, await mailer.send(mail))

    async def schedule(mail: TranscriptMail) -> None:
        task = asyncio.create_task(send_and_tell(mail))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    app[HANDOFFS].use_transcript_mail(mails, mailer.ready, schedule)


def _curation(app: web.Application) -> Capture:
    """The editors' curation queue: the desk and review folder for the console, the
    capture for the chat service."""
    app[CURATION] = CurationDesk(app[SESSIONS])
    app[KB_REVIEW] = ReviewFolder(review_dir(app[SETTINGS].kb_review_dir))
    return Capture(CurationQueue(app[SESSIONS]))


def _eraser(app: web.Application) -> Callable[[str], Awaitable[None]]:
    """Erase a conversation everywhere on the person's request; the consoles' queues
    drop an open handoff of it at once."""

    async def erase_conversation(conversation_id: str) -> None:
        await erase(app[SESSIONS], app[TRACKER], conversation_id)
        await app[CONSOLES].broadcast_queue()

    return erase_conversation


def _send_soon(app: web.Application) -> Callable[[Handoff], Awaitable[None]]:
    """Send a callback e-mail in the background (the request is stored already)."""
    tasks: set[asyncio.Task[bool]] = set()

    async def schedule(handoff: Handoff) -> None:
        task = asyncio.create_task(app[MAILER].send(handoff))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    return schedule


async def _every(seconds: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    """Run `job` now and then every `seconds`, in the background of the gateway."""
    while True:
        try:
            await job()
        except Exception:  # a failing round must not end the loop
            log.exception("background job %s failed", name)
        await asyncio.sleep(seconds)


async def background_ctx(app: web.Application) -> AsyncIterator[None]:
    """Queue refresh for the consoles, e-mail retries (also of mails left unsent before
    a restart) and the retention purge; each runs once at start, then periodically."""
    settings = app[SETTINGS]

    async def purge() -> list[str]:
        now = datetime.now(UTC)
        await app[AUDIT].purge(now - timedelta(days=settings.audit_retention_days))
        await prune_items(app[SESSIONS], now - timedelta(days=settings.curation_retention_days))
        cutoff = now - timedelta(days=settings.retention_days)
        connected = app[PEOPLE].connected()
        return await purge_expired(app[SESSIONS], app[TRACKER], cutoff, connected)

    async def session_still_valid(token: str) -> bool:
        return await app[ADVISORS].resolve(token, datetime.now(UTC)) is not None

    async def refresh_consoles() -> None:
        await app[CONSOLES].drop_invalid(session_still_valid)
        await app[CONSOLES].queue_here()  # every instance refreshes its own consoles

    def once(name: str, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
        """`job`, run by one instance of the cluster at a time."""
        return lambda: exclusively(app[ENGINE], name, job)

    tasks = [
        asyncio.create_task(_every(QUEUE_REFRESH_SECONDS, refresh_consoles, "queue")),
        asyncio.create_task(
            _every(MAIL_RETRY_SECONDS, once("mail", app[MAILER].send_pending), "mail")
        ),
        asyncio.create_task(
            _every(
                MAIL_RETRY_SECONDS,
                once("transcript mail", app[TRANSCRIPT_MAILER].send_pending),
                "transcript mail",
            )
        ),
        asyncio.create_task(_every(PURGE_SECONDS, once("purge", purge), "purge")),
    ]
    yield
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(settings: Settings | None = None) -> web.Application:
    """Build the gateway application."""
    app = web.Application()
    app[SETTINGS] = settings or Settings.from_env()
    app.cleanup_ctx.extend(
        [database_ctx, cluster_ctx, tracker_ctx, services_ctx, channels_ctx, background_ctx]
    )
    setup_routes(app)
    return app
