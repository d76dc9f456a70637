"""Every button werkbot offers leads somewhere sensible, through the real gateway, Rasa
and action server.

The test crawls: from a few opening messages it presses every quick reply the bot
offers, in a new conversation that replays the way there, down to a few steps. A
button added anywhere on these paths is pressed without changing the test.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.integration.test_conversation import open_chat
from tests.stack import Gateway

pytestmark = pytest.mark.integration

MAX_DEPTH = 4
MAX_PRESSES = 160
# conversations replayed at once (each waits for the bot to fall quiet after a step)
PARALLEL_CONVERSATIONS = 4
# replies that are dead ends after pressing a button the bot itself offered
DEAD_ENDS = re.compile(
    r"da bin ich nicht sicher|nicht verstanden|kurz nicht erreichbar|kenne ich leider nicht"
)


@dataclass(frozen=True)
class Step:
    """A message typed or a button pressed."""

    text: str
    payload: str | None = None


# what people start with; every button on the way is pressed from there
OPENINGS = [
    *(
        [Step(text)]
        for text in (
            "Hallo",
            "Was können Sie?",
            "Brauche ich eine TSE für meine Kasse?",
            "Veranstaltungen",
            "Bist du ein Bot?",
            "qwertz blubb",
            "Wie wird das Wetter morgen?",
            "Hilfe, alle unsere Dateien sind verschlüsselt!",
            "hi, do you speak english?",
            "Ich möchte mit einem Berater sprechen",
        )
    ),
    # the callback form up to the preferred time (its buttons, then the review's)
    [
        Step("Ich möchte mit einem Berater sprechen"),
        Step("Einverstanden", "#handoff:consent"),
        Step("Es geht um die Kasse"),
        Step("Anna Schulz"),
        Step("Bäckerei Schulz, Halle"),
        Step("Bäcker"),
        Step("0345 1234567"),
    ],
]


async def replay(session: aiohttp.ClientSession, gateway: Gateway, path: list[Step]) -> Any:
    """A new conversation with every step of `path`; the last step's replies."""
    chat = await open_chat(session, gateway)
    replies: list[dict[str, Any]] = []
    try:
        for step in path:
            replies = await chat.say(step.text, step.payload)
    finally:
        await chat.ws.close()
    return replies


def offered(replies: list[dict[str, Any]]) -> list[Step]:
    """The buttons of a turn's replies."""
    return [
        Step(button["title"], button["payload"])
        for reply in replies
        for button in reply.get("buttons") or []
    ]


async def test_every_button_leads_somewhere(gateway: Gateway) -> None:
    if "postgresql" in gateway.database_url:
        pytest.skip("the crawl is about the dialogue, not the database: once is enough")
    pressed: dict[tuple[str, str | None], list[Step]] = {}
    problems: list[str] = []
    async with aiohttp.ClientSession() as session:
        limit = asyncio.Semaphore(PARALLEL_CONVERSATIONS)

        async def visit(path: list[Step]) -> Any:
            async with limit:
                return await replay(session, gateway, path)

        # the ways so far and the replies at their ends, one level of presses at a time
        level = list(zip(OPENINGS, await asyncio.gather(*map(visit, OPENINGS)), strict=True))
        for _ in range(MAX_DEPTH):
            routes: list[list[Step]] = []
            for path, replies in level:
                for button in offered(replies):
                    # a button counts as new where the reply offering it starts differently
                    key = (f"{replies[0]['text'][:40]}|{button.text}", button.payload)
                    if key not in pressed and len(pressed) < MAX_PRESSES:
                        pressed[key] = [*path, button]
                        routes.append(pressed[key])
            answers = await asyncio.gather(*map(visit, routes))
            level = []
            for route, answer in zip(routes, answers, strict=True):
                text = " ".join(reply["text"] for reply in answer)
                trail = " → ".join(step.text for step in route)
                if not answer:
                    problems.append(f"{trail}: no reply")
                elif DEAD_ENDS.search(text):
                    problems.append(f"{trail}: {text[:160]}")
                else:
                    level.append((route, answer))
    titles = {route[-1].text for route in pressed.values()}
    # the crawl reached the main paths: trade groups, answers, events, handoff
    for title in ("Lebensmittel", "Holz", "Hat geholfen", "Mit Berater sprechen"):
        assert title in titles
    for title in ("Einverstanden", "Vormittags (8–12 Uhr)", "Absenden", "Praxisbeispiele"):
        assert title in titles
    assert not problems, "\n".join(problems)
