"""Rasa's command line with our speed-ups applied first (bot/nlu/rasa_speedups.py):
`python -m bot.nlu.rasa_main run …` instead of `rasa run …`."""

from __future__ import annotations

import sys

from bot.nlu import rasa_speedups

if __name__ == "__main__":
    rasa_speedups.apply()
    from rasa.__main__ import main  # after the speed-ups: Rasa binds them when imported

    sys.argv[0] = "rasa"
    sys.exit(main())
