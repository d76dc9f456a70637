"""Entities the trained model finds in each text (runs with .venv-rasa's Python).

Usage: .venv-rasa/bin/python bench/rasa_parse_entities.py MODEL.tar.gz TEXTS.txt
Prints one JSON object: text → {entity name: first value}.
"""

import asyncio
import json
import sys

from rasa.core.agent import Agent


async def parse(model: str, texts: list[str]) -> dict[str, dict[str, str]]:
    agent = Agent.load(model)
    found: dict[str, dict[str, str]] = {}
    for text in texts:
        entities: dict[str, str] = {}
        for entity in (await agent.parse_message(text))["entities"]:
            entities.setdefault(entity["entity"], str(entity["value"]))
        found[text] = entities
    return found


if __name__ == "__main__":
    model_path, texts_path = sys.argv[1], sys.argv[2]
    with open(texts_path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    print(json.dumps(asyncio.run(parse(model_path, lines)), ensure_ascii=False))
