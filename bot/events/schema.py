"""The event record: files under knowledge_base/events/ and rows of imported calendars."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    model_validator,
)

from bot.config import ROOT
from bot.kb.guides import ID_PATTERN

EVENTS_DIR = ROOT / "knowledge_base" / "events"


class EventFormat(StrEnum):
    """Formats of the offensive's events."""

    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    WERKSTATTGESPRAECH = "werkstattgespraech"
    INFOVERANSTALTUNG = "infoveranstaltung"
    SPRECHTAG = "sprechtag"
    MESSE = "messe"


FORMAT_LABELS = {
    EventFormat.WEBINAR: "Webinar",
    EventFormat.WORKSHOP: "Workshop",
    EventFormat.WERKSTATTGESPRAECH: "Werkstattgespräch",
    EventFormat.INFOVERANSTALTUNG: "Infoveranstaltung",
    EventFormat.SPRECHTAG: "Sprechtag",
    EventFormat.MESSE: "Messe",
}

Region = Literal["halle", "magdeburg", "online"]


class Event(BaseModel):
    """One event with its time in a known time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    title: str = Field(min_length=5, max_length=200)
    format: EventFormat
    start: AwareDatetime
    end: AwareDatetime
    location: str = Field(min_length=2)
    region: Region
    topics: list[str] = Field(default_factory=list)
    trades: list[str] = Field(default_factory=list)
    registration_url: HttpUrl
    cost: str = "kostenfrei"
    organiser: str = Field(min_length=2)
    description: str = ""
    demo: bool = False

    @model_validator(mode="after")
    def _ends_after_start(self) -> Event:
        if self.end <= self.start:
            raise ValueError("end muss nach start liegen")
        return self


class EventFileError(ValueError):
    """An event file that cannot be read; names the file and the field."""


def load_event_files(directory: Path = EVENTS_DIR) -> list[Event]:
    """All event files of a folder; raise EventFileError on the first broken one."""
    events = []
    for path in sorted(directory.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            event = Event.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "event"
            raise EventFileError(f"{path.name}: {field}: {first['msg']}") from error
        except yaml.YAMLError as error:
            raise EventFileError(f"{path.name}: kein gültiges YAML: {error}") from error
        if event.id != path.stem:
            raise EventFileError(f"{path.name}: id: '{event.id}' passt nicht zum Dateinamen")
        events.append(event)
    return events
