"""Typed application keys shared by the app factory and the handlers."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.runtime import Channels
from bot.chat import ChatService
from bot.cluster.context import Cluster
from bot.config import Settings
from bot.console.throttle import LoginThrottle
from bot.curation.desk import CurationDesk
from bot.curation.review import ReviewFolder
from bot.handoff.accounts import AdvisorStore
from bot.handoff.canned import CannedStore
from bot.handoff.closed_search import ClosedSearch
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.mailer import CallbackMailer
from bot.handoff.service import HandoffService
from bot.handoff.signals import LiveSignals
from bot.handoff.transcript_mail import TranscriptMailer
from bot.limits import SocketLimits
from bot.privacy.audit import AuditLog
from bot.privacy.tracker import TrackerEvents
from bot.rasa_client import RasaClient

SETTINGS = web.AppKey("settings", Settings)
CLUSTER = web.AppKey("cluster", Cluster)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
HTTP_SESSION = web.AppKey("http_session", aiohttp.ClientSession)
RASA = web.AppKey("rasa", RasaClient)
CHAT = web.AppKey("chat", ChatService)
ADVISORS = web.AppKey("advisors", AdvisorStore)
PEOPLE = web.AppKey("people", PersonHub)
CONSOLES = web.AppKey("consoles", ConsoleHub)
HANDOFFS = web.AppKey("handoffs", HandoffService)
MAILER = web.AppKey("mailer", CallbackMailer)
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
TRACKER = web.AppKey("tracker", TrackerEvents)
LIMITS = web.AppKey("limits", SocketLimits)
AUDIT = web.AppKey("audit", AuditLog)
CHANNELS = web.AppKey("channels", Channels)
SIGNALS = web.AppKey("signals", LiveSignals)
CANNED = web.AppKey("canned", CannedStore)
CLOSED_SEARCH = web.AppKey("closed_search", ClosedSearch)
TRANSCRIPT_MAILER = web.AppKey("transcript_mailer", TranscriptMailer)
CURATION = web.AppKey("curation", CurationDesk)
KB_REVIEW = web.AppKey("kb_review", ReviewFolder)
