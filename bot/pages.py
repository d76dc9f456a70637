"""Server-rendered pages of the knowledge base (`/wissen/<id>`), escaped throughout."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.best_practices import Case
from bot.db.models import KbGuide
from bot.events.recommend import describe
from bot.events.schema import Event
from bot.kb.validity import Validity, resolve
from bot.urls import host_of

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
    <nav>
      <a href="/">Handwerk digital</a>
      <button type="button" class="open-chat" data-werkbot-open>Zurück zum Chat</button>
    </nav>
  </header>
  <main class="guide">
{body}
  </main>
  <script src="/widget.js" defer data-title="Handwerk digital – Assistent"></script>
</body>
</html>
"""


def guide_page(guide: KbGuide, day: date) -> str:
    """The HTML page of one guide as it reads on `day`: title, checked date, the
    sections valid then, sources."""
    title = resolve(guide.title, day)
    parts = [f"    <h1>{escape(title)}</h1>"]
    notes = [f"Stand der Fakten: {guide.checked.strftime('%d.%m.%Y')}"]
    if guide.illustrative:
        notes.append("Beispielhafter Inhalt, keine Tatsachenbeschreibung")
    parts.append(f'    <p class="guide-meta">{escape(" · ".join(notes))}</p>')
    parts.append(f'    <p class="guide-summary">{escape(resolve(guide.summary, day))}</p>')
    for section in guide.sections:
        if not Validity(section.valid_from, section.valid_until).covers(day):
            continue
        parts.append(f'    <section id="abschnitt-{section.number}">')
        parts.append(f"      <h2>{escape(section.heading)}</h2>")
        parts.append(f"      <p>{escape(resolve(section.text, day))}</p>")
        parts.append("    </section>")
    parts.append("    <h2>Quellen</h2>\n    <ul>")
    for url in guide.sources:
        link = escape(url, quote=True)
        parts.append(f'      <li><a href="{link}" rel="noopener">{escape(host_of(url))}</a></li>')
    parts.append("    </ul>")
    return PAGE.format(title=escape(title), body="\n".join(parts))


def not_found_page() -> str:
    """The page for an unknown guide id."""
    body = (
        "    <h1>Leitfaden nicht gefunden</h1>\n"
        '    <p>Diesen Leitfaden gibt es nicht (mehr). <a href="/">Zur Startseite</a></p>'
    )
    return PAGE.format(title="Nicht gefunden", body=body)


def event_page(event: Event) -> str:
    """An event: when, where, what, registration and the calendar download."""
    lines = describe(event).splitlines()
    parts = [f"    <h1>{escape(event.title)}</h1>"]
    if event.demo:
        parts.append('    <p class="guide-meta">Beispieltermin der Demo-Installation</p>')
    parts.append(f"    <p><strong>{escape(lines[0])}</strong></p>")
    parts.append(f"    <p>{escape(event.description)}</p>")
    parts.append(
        f"    <p>Veranstalter: {escape(event.organiser)} · Kosten: {escape(event.cost)}</p>"
    )
    # through the counting redirect (bot/impact/): clicks are counted, nothing else
    url = escape(f"/r/{event.id}", quote=True)
    parts.append(f'    <p><a href="{url}" rel="noopener">Zur Anmeldung</a></p>')
    ics = escape(f"/veranstaltungen/{event.id}.ics", quote=True)
    parts.append(f'    <p><a href="{ics}" download>In Kalender eintragen</a></p>')
    return PAGE.format(title=escape(event.title), body="\n".join(parts))


def case_page(case: Case) -> str:
    """A best-practice case with its source or the note that it is an example."""
    parts = [f"    <h1>{escape(case.title)}</h1>"]
    if case.illustrative:
        parts.append('    <p class="guide-meta">Beispielhafter Fall, kein belegter Betrieb</p>')
    for heading, text in (
        ("Ausgangslage", case.situation),
        ("Was der Betrieb getan hat", case.what_they_did),
        ("Ergebnis", case.result),
    ):
        parts.append(f"    <h2>{heading}</h2>\n    <p>{escape(text)}</p>")
    if case.tools:
        parts.append(f"    <p>Werkzeuge: {escape(', '.join(case.tools))}</p>")
    if case.source:
        link = escape(str(case.source), quote=True)
        label = escape(host_of(str(case.source)))
        parts.append(f'    <p>Quelle: <a href="{link}" rel="noopener">{label}</a></p>')
    parts.append(f'    <p class="guide-meta">Stand: {case.checked:%d.%m.%Y}</p>')
    return PAGE.format(title=escape(case.title), body="\n".join(parts))
