"""Recommendation latency with 500 events and 200 best-practice cases.

Events are generated from the demo calendar's shapes (spread over a year, every
format, region, topic and trade) into a fresh SQLite database; each request runs the
action's path: upcoming events from the per-process cache, the German time expression,
filter, sort, format; and the case choice. The cache's database read is timed apart.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.best_practices import Case, recommend_cases
from bot.config import ROOT
from bot.db.engine import create_engine
from bot.events.recommend import EventQuery, describe, formats_in, regions_in, select
from bot.events.schema import Event, EventFormat
from bot.events.store import UpcomingEventsCache, upcoming_events, upsert_events
from bot.events.timeexpr import BERLIN, time_window
from bot.kb.taxonomy import load_taxonomy

RESULTS = ROOT / "bench" / "results"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)
REQUESTS = [
    ("Gibt es Webinare zur E-Rechnung?", None, "e_rechnung"),
    ("Was ist nächste Woche bei euch los?", "baecker", None),
    ("Workshops in Halle im Januar?", "tischler", None),
    ("Termine zur Kasse vor Ostern", "friseur", "kasse_tse"),
    ("Sprechtag in Magdeburg übernächste Woche", None, "foerderung"),
]


def synthetic_events(count: int, rng: random.Random) -> list[Event]:
    """`count` events over the next year."""
    taxonomy = load_taxonomy()
    topics, trades = list(taxonomy.topics), sorted(taxonomy.trades)
    events = []
    for number in range(count):
        start = NOW + timedelta(days=rng.randint(-30, 365), hours=rng.randint(0, 8))
        region = rng.choice(["halle", "magdeburg", "online"])
        events.append(
            Event(
                id=f"termin-{number}",
                title=f"Veranstaltung {number} zur Digitalisierung",
                format=rng.choice(list(EventFormat)),
                start=start,
                end=start + timedelta(hours=2),
                location="online" if region == "online" else region.title(),
                region=region,  # type: ignore[arg-type]
                topics=rng.sample(topics, 2),
                trades=rng.sample(trades, 2) if rng.random() < 0.4 else [],
                registration_url=f"https://example.org/anmeldung/termin-{number}",  # type: ignore[arg-type]
                organiser="Handwerkskammer (Demo)",
                demo=True,
            )
        )
    return events


def synthetic_cases(count: int, rng: random.Random) -> list[Case]:
    """`count` illustrative cases."""
    taxonomy = load_taxonomy()
    topics, trades = list(taxonomy.topics), sorted(taxonomy.trades)
    return [
        Case(
            id=f"fall-{n}",
            title=f"Fall {n}",
            trades=[rng.choice(trades)],
            topics=rng.sample(topics, 2),
            situation="Eine Ausgangslage.",
            what_they_did="Eine Maßnahme.",
            result="Ein Ergebnis.",
            illustrative=True,
            checked=date(2026, 11, 24),
        )
        for n in range(count)
    ]


async def measure(rounds: int) -> dict[str, Any]:
    """Latency of event and case recommendations in milliseconds."""
    rng = random.Random(7)
    events, cases = synthetic_events(500, rng), synthetic_cases(200, rng)
    event_ms: list[float] = []
    case_ms: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'bench.db'}")
        await upsert_events(engine, [(e, e.id) for e in events], "datei")
        started = time.perf_counter()
        await upcoming_events(engine, NOW)
        cold_ms = (time.perf_counter() - started) * 1000
        cache = UpcomingEventsCache(engine)  # as in the action server
        for text, trade, topic in itertools.islice(itertools.cycle(REQUESTS), rounds):
            started = time.perf_counter()
            query = EventQuery(
                now=NOW,
                trades=frozenset({trade} if trade else set()),
                topic=topic,
                region=regions_in(text),
                formats=formats_in(text),
                window=time_window(text, NOW),
            )
            chosen = select(await cache.upcoming(NOW), query)[:3]
            "\n\n".join(describe(event) for event in chosen)
            event_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            recommend_cases(cases, trade, None, topic)
            case_ms.append((time.perf_counter() - started) * 1000)
        await engine.dispose()

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        }

    return {
        "events": 500,
        "cases": 200,
        "requests": rounds,
        "database_read_ms": round(cold_ms, 1),
        "event_recommendation": summary(event_ms),
        "case_recommendation": summary(case_ms),
    }


def main() -> None:
    """Run and write bench/results/recommend.json and .md."""
    results = asyncio.run(measure(200))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "recommend.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Recommendation latency",
        "",
        f"{results['events']} events in SQLite, {results['cases']} cases, "
        f"{results['requests']} requests (`make bench-recommend`).",
        "",
        "| what | p50 ms | p95 ms |",
        "| --- | --- | --- |",
        "| events (cache, time expression, filter, sort, format) | "
        f"{results['event_recommendation']['p50_ms']} | "
        f"{results['event_recommendation']['p95_ms']} |",
        f"| best-practice cases | {results['case_recommendation']['p50_ms']} "
        f"| {results['case_recommendation']['p95_ms']} |",
        "",
        f"Reading all upcoming events from the database (once a minute per action-server "
        f"process, cached in between): {results['database_read_ms']} ms.",
    ]
    (RESULTS / "recommend.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
