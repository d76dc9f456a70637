"""Advisor accounts (argon2 password hashes) and their login sessions."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Advisor, AdvisorSession, utcnow

# argon2id as OWASP recommends it (19 MiB, 2 passes, 1 lane): about 20 ms of one core
# per check, so that a flood of logins cannot starve the chat (bench/login_flood.py);
# older hashes (argon2-cffi's default) still verify and are replaced at the next login
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# verified against when the user name is unknown, so both cases take as long
DUMMY_HASH = HASHER.hash("werkbot-dummy-password")
# password checks at once (in a worker thread); at most MAX_WAITING more wait their
# turn, any further login is refused at once (LoginBusyError) instead of piling up
PARALLEL_VERIFICATIONS = 1
MAX_WAITING_VERIFICATIONS = 10
REGIONS = ("halle", "magdeburg")


class AccountError(ValueError):
    """An advisor account that cannot be created as asked."""


class LoginBusyError(RuntimeError):
    """Too many password checks are waiting; the login should be tried again later."""


def token_hash(token: str) -> str:
    """What the sessions table keeps of a cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


class AdvisorStore:
    """Advisors and their sessions in the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._verifying = asyncio.Semaphore(PARALLEL_VERIFICATIONS)
        self._waiting = 0  # logins checking or waiting to check a password

    async def add(
        self,
        username: str,
        password: str,
        display_name: str,
        salutation: str = "",
        email: str = "",
        regions: list[str] | None = None,
        topics: list[str] | None = None,
        admin: bool = False,
        roles: list[str] | None = None,
    ) -> Advisor:
        """Create an account with its `roles` (default: beratung; `admin` adds the admin
        role, who may read every claimed or ended handoff); the password is stored as an
        argon2 hash."""
        roles = list(roles or ["beratung"])
        if admin and "admin" not in roles:
            roles.append("admin")
        if len(password) < 10:
            raise AccountError("Das Passwort braucht mindestens 10 Zeichen.")
        unknown = set(regions or []) - set(REGIONS)
        if unknown:
            raise AccountError(f"Unbekannte Region: {', '.join(sorted(unknown))}")
        advisor = Advisor(
            username=username.strip().lower(),
            display_name=display_name.strip(),
            salutation=salutation.strip(),
            email=email.strip(),
            password_hash=HASHER.hash(password),
            regions=list(regions or []),
            topics=list(topics or []),
            active=True,
            admin="admin" in roles,
            roles=roles,
            created_at=utcnow(),
        )
        try:
            async with self._sessions.begin() as session:
                session.add(advisor)
        except IntegrityError as error:
            raise AccountError(f"Den Benutzernamen {username!r} gibt es schon.") from error
        return advisor

    async def deactivate(self, username: str) -> None:
        """Switch an account off and end all its sessions (its consoles close at the
        next queue refresh)."""
        async with self._sessions.begin() as session:
            advisor = await self._by_name(session, username)
            advisor.active = False
            await session.execute(
                delete(AdvisorSession).where(AdvisorSession.advisor_id == advisor.id)
            )

    async def reset_password(self, username: str, password: str) -> None:
        """Set a new password and end all sessions of the account."""
        if len(password) < 10:
            raise AccountError("Das Passwort braucht mindestens 10 Zeichen.")
        async with self._sessions.begin() as session:
            advisor = await self._by_name(session, username)
            advisor.password_hash = HASHER.hash(password)
            await session.execute(
                delete(AdvisorSession).where(AdvisorSession.advisor_id == advisor.id)
            )

    @staticmethod
    async def _by_name(session: AsyncSession, username: str) -> Advisor:
        advisor = await session.scalar(
            select(Advisor).where(Advisor.username == username.strip().lower())
        )
        if advisor is None:
            raise AccountError(f"Den Benutzernamen {username!r} gibt es nicht.")
        return advisor

    async def all_active(self) -> list[Advisor]:
        """Every active advisor."""
        async with self._sessions() as session:
            rows = await session.scalars(select(Advisor).where(Advisor.active.is_(True)))
            return list(rows)

    async def get(self, advisor_id: int) -> Advisor | None:
        """One advisor by id."""
        async with self._sessions() as session:
            return await session.get(Advisor, advisor_id)

    async def authenticate(self, username: str, password: str) -> Advisor | None:
        """The advisor if the password is right, else None (same effort either way)."""
        async with self._sessions() as session:
            advisor = await session.scalar(
                select(Advisor).where(
                    Advisor.username == username.strip().lower(), Advisor.active.is_(True)
                )
            )
        stored = advisor.password_hash if advisor else DUMMY_HASH
        if self._waiting >= PARALLEL_VERIFICATIONS + MAX_WAITING_VERIFICATIONS:
            raise LoginBusyError
        # argon2 takes milliseconds of CPU: off the event loop, one at a time
        self._waiting += 1
        try:
            async with self._verifying:
                await asyncio.to_thread(HASHER.verify, stored, password)
        except (VerificationError, InvalidHashError):
            return None
        finally:
            self._waiting -= 1
        if advisor is not None and HASHER.check_needs_rehash(stored):
            await self._set_hash(advisor.id, HASHER.hash(password))
        return advisor

    async def _set_hash(self, advisor_id: int, password_hash: str) -> None:
        async with self._sessions.begin() as session:
            found = await session.get(Advisor, advisor_id)
            if found is not None:
                found.password_hash = password_hash

    async def open_session(self, advisor: Advisor, hours: float) -> tuple[str, str]:
        """A new login session; returns (cookie token, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utcnow()
        async with self._sessions.begin() as session:
            await session.execute(delete(AdvisorSession).where(AdvisorSession.expires_at < now))
            session.add(
                AdvisorSession(
                    token_hash=token_hash(token),
                    advisor_id=advisor.id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + timedelta(hours=hours),
                )
            )
        return token, csrf

    async def resolve(self, token: str, now: datetime) -> tuple[Advisor, str] | None:
        """The advisor and CSRF token of a valid session cookie."""
        async with self._sessions() as session:
            row = await session.get(AdvisorSession, token_hash(token))
            if row is None:
                return None
            if row.expires_at <= now:
                return None
            advisor = await session.get(Advisor, row.advisor_id)
            if advisor is None or not advisor.active:
                return None
            return advisor, row.csrf_token

    async def close_session(self, token: str) -> None:
        """Log out: delete the session."""
        async with self._sessions.begin() as session:
            await session.execute(
                delete(AdvisorSession).where(AdvisorSession.token_hash == token_hash(token))
            )
