"""A chamber's website on another origin, for the one-tag embed: a hostile CMS theme, a
strict CSP, and exactly the tag from the README."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# what CMS themes do that broke the old widget: tiny root font, capitals on buttons,
# content-box sizing, narrow containers
THEME = """
html { font-size: 56.25%; }
* { box-sizing: content-box !important; }
body { font: 1.4rem/1.2 Georgia, serif; color: #333; text-transform: none; }
button { text-transform: uppercase; font-size: .9rem; letter-spacing: .3em; padding: 0;
  border: 3px dashed #0f0; background: #ff0; }
textarea, input { width: 100%; height: 20rem; font-size: .8rem; }
section, div { max-width: 30rem; overflow: visible; }
ol, ul { list-style: square; padding-left: 4rem; }
a { color: #0f0; }
"""

PAGE = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Handwerkskammer – Theme-Test</title>
  <link rel="stylesheet" href="/theme.css">
</head>
<body>
  <h1>Handwerkskammer Musterstadt</h1>
  <p>Eine Seite mit einem lauten CMS-Theme.</p>
  <button type="button" id="host-button">Ein Knopf der Seite</button>
  <script src="{gateway}/widget.js" defer
          data-title="Kammer-Assistent" data-position="left"></script>
</body>
</html>
"""


def csp(gateway: str) -> str:
    """A strict policy as the README asks a chamber to set: the gateway for script,
    style and connection, nothing inline."""
    socket = gateway.replace("http", "ws", 1)
    return (
        f"default-src 'self'; script-src 'self' {gateway}; style-src 'self' {gateway}; "
        f"connect-src 'self' {gateway} {socket}; img-src 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


@dataclass
class HostSite:
    """A running site: its origin, and the gateway its page embeds (set once known)."""

    origin: str
    gateway: str = ""


@contextmanager
def host_site() -> Iterator[HostSite]:
    """Serve the themed page on a free port of 127.0.0.1."""
    site = HostSite("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/theme.css":
                body, kind = THEME.encode(), "text/css"
            else:
                body, kind = PAGE.replace("{gateway}", site.gateway).encode(), "text/html"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Security-Policy", csp(site.gateway))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
