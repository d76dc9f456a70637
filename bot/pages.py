"""Server-rendered pages of the knowledge base (`/wissen/<id>`), escaped throughout."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from bot.db.models import KbGuide

PAGE = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} – Handwerk digital</title>
  <link rel="stylesheet" href="/static/site.css">
</head>
<body>
  <header class="site-header">
    <div class="brand">
      <span class="brand-mark">HWK</span> Handwerkskammer <small>Wissen</small>
    </div>
    <nav><a href="/">Handwerk digital</a></nav>
  </header>
  <main class="guide">
{body}
  </main>
</body>
</html>
"""


def host_of(url: str) -> str:
    """The host of a URL without `www.`, for short source labels."""
    return urlsplit(url).netloc.removeprefix("www.")


def guide_page(guide: KbGuide) -> str:
    """The HTML page of one guide: title, checked date, sections, sources."""
    parts = [f"    <h1>{escape(guide.title)}</h1>"]
    notes = [f"Stand der Fakten: {guide.checked.strftime('%d.%m.%Y')}"]
    if guide.illustrative:
        notes.append("Beispielhafter Inhalt, keine Tatsachenbeschreibung")
    parts.append(f'    <p class="guide-meta">{escape(" · ".join(notes))}</p>')
    parts.append(f'    <p class="guide-summary">{escape(guide.summary)}</p>')
    for section in guide.sections:
        parts.append(f'    <section id="abschnitt-{section.number}">')
        parts.append(f"      <h2>{escape(section.heading)}</h2>")
        parts.append(f"      <p>{escape(section.text)}</p>")
        parts.append("    </section>")
    parts.append("    <h2>Quellen</h2>\n    <ul>")
    for url in guide.sources:
        link = escape(url, quote=True)
        parts.append(f'      <li><a href="{link}" rel="noopener">{escape(host_of(url))}</a></li>')
    parts.append("    </ul>")
    return PAGE.format(title=escape(guide.title), body="\n".join(parts))


def not_found_page() -> str:
    """The page for an unknown guide id."""
    body = (
        "    <h1>Leitfaden nicht gefunden</h1>\n"
        '    <p>Diesen Leitfaden gibt es nicht (mehr). <a href="/">Zur Startseite</a></p>'
    )
    return PAGE.format(title="Nicht gefunden", body=body)
