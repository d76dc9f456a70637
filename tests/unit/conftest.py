from datetime import datetime, timedelta

import pytest

from bot.events.schema import Event, EventFormat
from bot.events.timeexpr import BERLIN

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)


def make_event(
    event_id: str, days: int, fmt: EventFormat = EventFormat.WEBINAR, **fields: object
) -> Event:
    start = NOW + timedelta(days=days)
    values: dict[str, object] = {
        "id": event_id,
        "title": f"Termin {event_id}",
        "format": fmt,
        "start": start,
        "end": start + timedelta(hours=2),
        "location": "online",
        "region": "online",
        "topics": ["e_rechnung"],
        "trades": [],
        "registration_url": f"https://example.org/anmeldung/{event_id}",
        "organiser": "Handwerkskammer (Demo)",
        "demo": True,
    }
    values.update(fields)
    return Event.model_validate(values)


@pytest.fixture
def events() -> list[Event]:
    return [
        make_event("vorbei", -1),
        make_event("e-rechnung-dez", 10),
        make_event("e-rechnung-jan", 50),
        make_event(
            "kasse-baecker",
            12,
            EventFormat.WORKSHOP,
            topics=["kasse_tse"],
            trades=["baecker", "konditor"],
            region="halle",
            location="Halle (Saale), Gräfestraße 24",
        ),
        make_event(
            "kasse-friseur",
            20,
            EventFormat.WORKSHOP,
            topics=["kasse_tse"],
            trades=["friseur"],
            region="magdeburg",
            location="Magdeburg",
        ),
        make_event("ki-alle", 6, topics=["kuenstliche_intelligenz"]),
        make_event(
            "sprechtag-halle",
            8,
            EventFormat.SPRECHTAG,
            topics=["foerderung"],
            region="halle",
            location="Halle (Saale)",
        ),
    ]
