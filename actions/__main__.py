"""The action server in one process: `python -m actions -p 5055`.

rasa-sdk's own `python -m rasa_sdk` runs Sanic's manager process, which imports every
action (and with them the knowledge base's search), plus a worker process that imports
them all again: about 390 MiB twice. This serves the same webhook and `/health` from
rasa-sdk's app in a single process (bench/results/profile.md).
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence

from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

DEFAULT_PORT = 5055


def main(argv: Sequence[str] | None = None) -> None:
    """Load the actions and serve them until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m actions", description="Action-Server")
    parser.add_argument("-p", "--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app_for_serve(executor)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    app.prepare(host=host, port=args.port, single_process=True, access_log=False)
    logging.getLogger(__name__).info("Action server on http://%s:%s", host, args.port)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
