"""Importing a chamber's calendar export (iCalendar, RFC 5545) as events."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
from pydantic import ValidationError

from bot.events.recommend import FORMAT_WORDS, regions_in
from bot.events.schema import Event, EventFormat
from bot.events.timeexpr import BERLIN
from bot.folding import fold
from bot.kb.taxonomy import load_taxonomy
from bot.kb.trades import match_trade

TOPIC_WORDS: dict[str, str] = {
    "e-rechnung": "e_rechnung",
    "xrechnung": "e_rechnung",
    "zugferd": "e_rechnung",
    "gobd": "gobd_archivierung",
    "archivierung": "gobd_archivierung",
    "kasse": "kasse_tse",
    "tse": "kasse_tse",
    "datenschutz": "datenschutz",
    "dsgvo": "datenschutz",
    "it-sicherheit": "it_sicherheit",
    "cyber": "it_sicherheit",
    "website": "website",
    "homepage": "website",
    "google": "online_sichtbarkeit",
    "sichtbarkeit": "online_sichtbarkeit",
    "social media": "social_media",
    "instagram": "social_media",
    "azubi": "fachkraefte_azubis",
    "fachkraefte": "fachkraefte_azubis",
    "ausbildung": "fachkraefte_azubis",
    "software": "betriebssoftware",
    "erp": "betriebssoftware",
    "zeiterfassung": "zeiterfassung",
    "aufmass": "aufmass_vermessung",
    "bim": "bim",
    "termin": "terminbuchung",
    "cloud": "cloud_zusammenarbeit",
    "foerder": "foerderung",
    "ki": "kuenstliche_intelligenz",
    "kuenstliche intelligenz": "kuenstliche_intelligenz",
    "onlineshop": "onlinehandel",
    "3d-druck": "digitale_fertigung",
    "cnc": "digitale_fertigung",
    "smart home": "smart_home_iot",
    "baustelle": "mobile_baustelle",
    "whatsapp": "kundenkommunikation",
}


@dataclass(frozen=True)
class Skipped:
    """A calendar entry that was not imported, and why."""

    uid: str
    summary: str
    reason: str


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BERLIN)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=BERLIN)
    raise ValueError(f"kein Datum: {value!r}")


def topics_in(text: str) -> list[str]:
    """Topic ids whose words the text contains (categories, title, description)."""
    folded = fold(text)
    found = (
        topic
        for word, topic in TOPIC_WORDS.items()
        # short words must stand alone ("KI", not "Kita"); longer ones may start a word
        if re.search(
            rf"\b{re.escape(word)}\b" if len(word) <= 3 else rf"\b{re.escape(word)}", folded
        )
    )
    return sorted(set(found) & set(load_taxonomy().topics))


def event_id(uid: str, summary: str) -> str:
    """A readable, stable id: the summary's words plus a short hash of the UID."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(summary)).strip("-")[:60].strip("-") or "termin"
    return f"{words}-{hashlib.sha1(uid.encode()).hexdigest()[:8]}"


def parse_component(component: Any, organiser: str) -> Event:
    """One VEVENT as an Event; raises ValueError with a German reason."""
    summary = str(component.get("SUMMARY") or "").strip()
    if not summary:
        raise ValueError("kein Titel (SUMMARY)")
    if component.get("DTSTART") is None:
        raise ValueError("kein Beginn (DTSTART)")
    start = _as_datetime(component.decoded("DTSTART"))
    if component.get("DTEND") is not None:
        end = _as_datetime(component.decoded("DTEND"))
    elif component.get("DURATION") is not None:
        end = start + component.decoded("DURATION")
    else:
        end = start + timedelta(hours=1)
    categories: list[str] = []
    for entry in component.get("CATEGORIES") or []:
        categories.extend(str(c) for c in getattr(entry, "cats", [entry]))
    description = str(component.get("DESCRIPTION") or "").strip()
    location = str(component.get("LOCATION") or "").strip()
    text = " ".join([summary, *categories, description])
    url = str(component.get("URL") or "").strip()
    region = regions_in(f"{location} {summary}") or ("online" if "online" in fold(text) else None)
    if region is None:
        raise ValueError("Ort weder Halle, Magdeburg noch online")
    if not url:
        raise ValueError("kein Anmelde-Link (URL)")
    folded = fold(text)
    event_format = next(
        (fmt for word, fmt in FORMAT_WORDS.items() if word in folded),
        EventFormat.INFOVERANSTALTUNG,
    )
    trade = match_trade(" ".join(categories))
    return Event.model_validate(
        {
            "id": event_id(str(component.get("UID")), summary),
            "title": summary[:200],
            "format": event_format,
            "start": start,
            "end": end,
            "location": location or "online",
            "region": region,
            "topics": topics_in(text),
            "trades": [trade] if trade else [],
            "registration_url": url,
            "organiser": organiser,
            "description": description[:1000],
        }
    )


def read_calendar(path: Path, organiser: str) -> tuple[list[tuple[Event, str]], list[Skipped]]:
    """Events (with their UID) of an .ics file, and what was skipped with the reason."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events: list[tuple[Event, str]] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID") or "").strip()
        summary = str(component.get("SUMMARY") or "").strip()
        if not uid:
            skipped.append(Skipped("–", summary, "keine UID"))
            continue
        if uid in seen:
            skipped.append(Skipped(uid, summary, "UID doppelt in der Datei"))
            continue
        seen.add(uid)
        try:
            events.append((parse_component(component, organiser), uid))
        except (ValueError, ValidationError) as error:
            reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            skipped.append(Skipped(uid, summary, reason))
    return events, skipped
