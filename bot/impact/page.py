"""HTML of the dashboard (/berater/wirkung) and the monthly report, escaped throughout;
no inline script or style (the console's CSP)."""

from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import urlencode

from bot.console.pages import console_header
from bot.impact.charts import number
from bot.impact.params import CHANNELS
from bot.impact.periods import Figures, Query
from bot.impact.summary import Totals
from bot.impact.tables import Cell, FigureTable

HEAD = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>{title} – Handwerkskammer</title>
  <link rel="stylesheet" href="/static/site.css">
  <link rel="stylesheet" href="/static/berater.css">
  <link rel="stylesheet" href="/static/wirkung.css">
</head>
"""


def cell(value: Cell) -> str:
    """A table cell's text: German numbers, "–" for none."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return escape(str(value))
    return number(value, 0 if isinstance(value, int) else 1)


def query_string(query: Query, **changes: str) -> str:
    """The dashboard's parameters of `query`, with `changes`."""
    params = {
        "from": query.first.isoformat(),
        "to": query.last.isoformat(),
        "granularity": query.granularity,
        "channel": query.channel or "",
        **changes,
    }
    return urlencode({key: value for key, value in params.items() if value})


def figure_section(table: FigureTable, csv_query: str | None) -> str:
    """A figure: heading, chart, the same numbers as a table, CSV download."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    rows = "\n".join(
        f'        <tr><th scope="row">{cell(row[0])}</th>'
        + "".join(f"<td>{cell(value)}</td>" for value in row[1:])
        + "</tr>"
        for row in table.rows
    ) or (f'        <tr><td colspan="{len(table.headers)}">Keine Daten im Zeitraum.</td></tr>')
    note = f'    <p class="impact-note">{escape(table.note)}</p>\n' if table.note else ""
    download = (
        f'    <p class="impact-download"><a href="/berater/api/impact/{table.id}.csv?'
        f'{escape(csv_query, quote=True)}" download>„{escape(table.title)}“ als CSV</a></p>\n'
        if csv_query is not None
        else ""
    )
    return (
        f'  <section class="impact-figure" id="{table.id}" aria-labelledby="h-{table.id}">\n'
        f'    <h2 id="h-{table.id}">{escape(table.title)}</h2>\n'
        f"    <figure>{table.chart}</figure>\n"
        f"{note}"
        f'    <table class="impact-table">\n      <caption>{escape(table.title)}: Zahlen'
        f"</caption>\n      <thead><tr>{head}</tr></thead>\n      <tbody>\n{rows}\n"
        f"      </tbody>\n    </table>\n{download}  </section>\n"
    )


def totals_list(totals: Totals) -> str:
    """The headline numbers of the range as a description list."""
    items = [
        ("Gespräche", number(totals.conversations)),
        ("Nachrichten", number(totals.messages)),
        ("aus der Wissensbasis beantwortet", _percent(totals.answered_share)),
        ("„Hat geholfen“ (bewertete Antworten)", _percent(totals.helpful_share)),
        ("Übergaben an die Beratung", number(totals.handoffs)),
        ("Klicks auf Anmeldelinks", number(totals.registrations)),
    ]
    inner = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>" for label, value in items
    )
    return f'  <dl class="impact-totals">{inner}</dl>\n'


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{number(value, 1)} %"


def _filter_form(query: Query) -> str:
    radios = "".join(
        f'<label><input type="radio" name="granularity" value="{value}"'
        f"{' checked' if query.granularity == value else ''}> {label}</label>"
        for value, label in (("week", "Wochen"), ("month", "Monate"))
    )
    options = "".join(
        f'<option value="{key}"{" selected" if query.channel == key else ""}>{label}</option>'
        for key, label in (("", "Alle Kanäle"), *CHANNELS.items())
    )
    return (
        '  <form class="impact-filter" method="get" action="/berater/wirkung">\n'
        f'    <div><label for="from">Von</label> <input id="from" name="from" type="date" '
        f'value="{query.first.isoformat()}"></div>\n'
        f'    <div><label for="to">Bis</label> <input id="to" name="to" type="date" '
        f'value="{query.last.isoformat()}"></div>\n'
        f"    <fieldset><legend>Einheit</legend>{radios}</fieldset>\n"
        f'    <div><label for="channel">Kanal</label> <select id="channel" name="channel">'
        f"{options}</select></div>\n"
        '    <button type="submit">Anzeigen</button>\n  </form>\n'
    )


def dashboard_page(
    figures: Figures,
    tables: list[FigureTable],
    totals: Totals,
    header: tuple[str, str, str],
) -> str:
    """The dashboard: filter, headline numbers, every figure with chart and table.
    `header` is (navigation HTML, advisor name, CSRF token)."""
    query = figures.query
    nav, advisor, csrf = header
    csv_query = query_string(query)
    links = []
    for value, label in (("week", "nach Wochen"), ("month", "nach Monaten")):
        href = escape(query_string(query, granularity=value, **{"from": ""}), quote=True)
        current = ' aria-current="true"' if query.granularity == value else ""
        links.append(f'<a href="/berater/wirkung?{href}"{current}>{label}</a>')
    switch = " ".join(links)
    month = query.last.isoformat()[:7]
    channel = CHANNELS.get(query.channel or "", "alle Kanäle")
    note = (
        '  <p class="impact-note">Klicks auf Anmeldelinks und Aufrufe der Praxisbeispiele '
        "zählen hier über die Links, die der Assistent in diesem Kanal geschickt hat; "
        "Klicks von den Terminseiten stehen nur unter „alle Kanäle“.</p>\n"
        if query.channel
        else ""
    )
    body = (
        '<body class="berater impact-page">\n'
        + console_header("Beraterkonsole", advisor, csrf, nav)
        + '<main class="impact">\n  <h1>Wirkung</h1>\n'
        f'  <p class="impact-range">{_span(query.first, query.last)}, {escape(channel)}. '
        "Nur Zählwerte, keine personenbezogenen Daten.</p>\n"
        + _filter_form(query)
        + f'  <p class="impact-switch">Ansicht: {switch}</p>\n'
        f'  <p class="impact-links"><a href="/berater/wirkung/bericht?monat={month}">'
        "Monatsbericht zum Drucken</a> · "
        f'<a href="/berater/api/impact?{escape(csv_query, quote=True)}">Alle Zahlen als JSON</a>'
        "</p>\n"
        + totals_list(totals)
        + note
        + "".join(figure_section(table, csv_query) for table in tables)
        + "</main>\n</body>\n</html>\n"
    )
    return HEAD.format(title="Wirkung") + body


def _span(first: date, last: date) -> str:
    return f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}"


def month_name(first: date) -> str:
    """ "November 2026"."""
    names = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember")  # fmt: skip
    return f"{names[first.month - 1]} {first.year}"


def channel_table(per_channel: list[tuple[str, Totals]]) -> str:
    """The month's headline numbers per channel."""
    rows = "\n".join(
        f'      <tr><th scope="row">{escape(label)}</th><td>{number(t.conversations)}</td>'
        f"<td>{number(t.messages)}</td><td>{_percent(t.answered_share)}</td>"
        f"<td>{_percent(t.helpful_share)}</td><td>{number(t.handoffs)}</td></tr>"
        for label, t in per_channel
    )
    return (
        '  <table class="impact-table">\n    <caption>Kennzahlen je Kanal</caption>\n'
        '    <thead><tr><th scope="col">Kanal</th><th scope="col">Gespräche</th>'
        '<th scope="col">Nachrichten</th><th scope="col">aus der Wissensbasis beantwortet</th>'
        '<th scope="col">„Hat geholfen“</th><th scope="col">Übergaben</th></tr></thead>\n'
        f"    <tbody>\n{rows}\n    </tbody>\n  </table>\n"
    )


def report_page(
    first: date,
    last: date,
    tables: list[FigureTable],
    totals: Totals,
    per_channel: list[tuple[str, Totals]],
    today: date,
) -> str:
    """The monthly report for the funding body, laid out for print (wirkung.css)."""
    title = f"Wirkungsbericht {month_name(first)}"
    body = (
        '<body class="impact-report">\n<main class="impact">\n'
        '  <p class="impact-back"><a href="/berater/wirkung">Zurück zum Dashboard</a></p>\n'
        f"  <h1>{escape(title)}</h1>\n"
        "  <p>Digitalisierungsassistent werkbot der Handwerkskammer · Zeitraum "
        f"{_span(first, last)} · erstellt am {today:%d.%m.%Y}. Alle Zahlen sind Zählwerte "
        "ohne personenbezogene Daten.</p>\n"
        '  <p class="impact-print-hint">Zum Drucken oder Speichern als PDF nutzen Sie die '
        "Druckfunktion Ihres Browsers (Strg+P).</p>\n"
        + totals_list(totals)
        + channel_table(per_channel)
        + "".join(figure_section(table, None) for table in tables)
        + "</main>\n</body>\n</html>\n"
    )
    return HEAD.format(title=escape(title)) + body
