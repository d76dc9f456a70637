"""NLU parse latency of a trained model (runs with .venv-rasa's Python).

Usage: .venv-rasa/bin/python bench/rasa_parse_latency.py MODEL.tar.gz TEXTS.txt ROUNDS
Prints a JSON object with p50 and p95 in milliseconds.
"""

import asyncio
import json
import sys
import time

from rasa.core.agent import Agent


async def measure(model: str, texts: list[str], rounds: int) -> dict[str, float]:
    agent = Agent.load(model)
    for text in texts[:10]:  # warm-up
        await agent.parse_message(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            await agent.parse_message(text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "parses": len(timings),
        "p50_ms": round(timings[len(timings) // 2], 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
    }


if __name__ == "__main__":
    model_path, texts_path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(texts_path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    print(json.dumps(asyncio.run(measure(model_path, lines, rounds))))
