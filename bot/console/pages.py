"""Server-rendered pages of the advisor console (`/berater`), escaped throughout."""

from __future__ import annotations

from html import escape

from bot.console.desk_pages import TOOLS, closed_search, dialogs, outcome_form
from bot.privacy.audit import ERASE_REASONS

HEAD = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
{meta}  <title>{title} – Handwerkskammer</title>
  <link rel="stylesheet" href="/static/site.css">
  <link rel="stylesheet" href="/static/berater.css">
{script}</head>
"""

LOGIN_BODY = """<body class="berater berater-login">
  <header class="site-header">
    <div class="brand">
      <span class="brand-mark">HWK</span> Handwerkskammer <small>Beraterkonsole</small>
    </div>
  </header>
  <main class="login">
    <h1>Anmelden</h1>
{error}    <form class="login-form" method="post" action="/berater/login">
      <input type="hidden" name="csrf" value="{csrf}">
      <label for="username">Benutzername</label>
      <input id="username" name="username" type="text" value="{username}" autocomplete="username"
             autocapitalize="none" spellcheck="false" required{autofocus_user}>
      <label for="password">Passwort</label>
      <input id="password" name="password" type="password" autocomplete="current-password"
             required{autofocus_password}>
      <button type="submit">Anmelden</button>
    </form>
  </main>
</body>
</html>
"""

CONSOLE_BODY = """<body class="berater">
{header}  <main class="console">
    <div class="queues">
      <form id="search-form" class="search" role="search">
        <label for="ticket-search">Vorgangsnummer</label>
        <div class="search-row">
          <input id="ticket-search" name="ticket" type="search" placeholder="HK-…"
                 autocomplete="off" autocapitalize="characters" spellcheck="false">
          <button id="search-button" type="submit">Suchen</button>
        </div>
      </form>
      <p id="connection" class="connection" role="status" aria-live="polite"
         data-state="connecting">Verbindung wird hergestellt …</p>
{queues}
{closed_search}    </div>
    <section id="pane" class="pane" aria-labelledby="pane-title">
      <h2 id="pane-title" class="pane-title">Vorgang</h2>
      <p id="pane-error" class="pane-error" role="alert" hidden></p>
      <p id="pane-empty" class="pane-empty">Wählen Sie einen Vorgang aus der Liste.</p>
      <div id="pane-body" class="pane-body" hidden>
        <p class="pane-status">Status: <span id="pane-status" class="status"></span></p>
        <p id="presence" class="presence" role="status" aria-live="polite" hidden></p>
        <dl id="pane-meta" class="meta"></dl>
{outcome}
        <div id="actions" class="actions">
          <button id="claim" type="button" class="primary" hidden>Übernehmen</button>
          <button id="close" type="button" hidden>Beenden</button>
          <button id="handback" type="button" hidden>An Assistenten zurückgeben</button>
          <button id="done" type="button" class="primary" hidden>Rückruf erledigt</button>
          <button id="transcript-download" type="button">Verlauf als Text</button>
          <button id="transcript-mail" type="button"
                  aria-describedby="transcript-mail-note">Verlauf per E-Mail senden</button>
          <button id="export" type="button">Auskunft herunterladen</button>
          <button id="erase" type="button" class="danger">Löschen …</button>
        </div>
        <p id="transcript-mail-note" class="hint" role="status"></p>
        <h3>Verlauf</h3>
        <ol id="transcript" class="transcript" aria-live="polite" tabindex="0"
            aria-label="Verlauf des Gesprächs"></ol>
        <p id="typing" class="typing" aria-live="polite" hidden></p>
        <form id="reply-form" class="reply-form" hidden>
          <p id="reply-notice" class="reply-notice" role="status" hidden></p>
          <label for="reply-text">Antwort an die Person</label>
          <textarea id="reply-text" rows="3" maxlength="2000"
                    placeholder="Enter sendet, Umschalt+Enter für neue Zeile"></textarea>
          <div class="reply-tools">
            <button id="reply-send" type="submit" class="primary">Senden</button>
            <div id="canned-quick" class="quick" role="group"
                 aria-label="Textbaustein einfügen"></div>
            <div id="guide-quick" class="quick" role="group"
                 aria-label="Link zu einem angezeigten Leitfaden einfügen"></div>
          </div>
        </form>
        <h3>Angezeigte Leitfäden</h3>
        <ul id="guides" class="guides"></ul>
        <h3>Rückmeldungen</h3>
        <ul id="feedback" class="feedback"></ul>
        <h3>Interne Notizen</h3>
        <ul id="notes" class="notes"></ul>
        <form id="note-form" class="note-form">
          <label for="note-text">Neue Notiz (für die Person nicht sichtbar)</label>
          <textarea id="note-text" rows="2"></textarea>
          <button id="note-save" type="submit">Notiz speichern</button>
        </form>
      </div>
    </section>
  </main>
  <dialog id="erase-dialog" class="erase-dialog" aria-labelledby="erase-title">
    <form id="erase-form" method="dialog">
      <h2 id="erase-title">Gespräch löschen</h2>
      <p>Verlauf, Kontaktdaten, Notizen und Rückmeldungen dieses Vorgangs werden überall
        gelöscht. Das lässt sich nicht rückgängig machen.</p>
      <label for="erase-reason">Grund (wird ohne Personendaten protokolliert)</label>
      <select id="erase-reason" required>
        <option value="">Bitte wählen …</option>
{reasons}
      </select>
      <div class="actions">
        <button id="erase-cancel" type="button">Abbrechen</button>
        <button id="erase-confirm" type="submit" class="danger">Endgültig löschen</button>
      </div>
    </form>
  </dialog>
{dialogs}</body>
</html>
"""

QUEUES = (
    ("waiting", "Wartend (Live-Chat)"),
    ("callbacks", "Rückrufbitten"),
    ("active", "In Bearbeitung"),
    ("closed", "Abgeschlossen"),
)


def queue_sections() -> str:
    """The four (empty) queue lists that berater.js fills."""
    return "\n".join(
        f'      <section class="queue" aria-labelledby="heading-{key}">\n'
        f'        <h2 id="heading-{key}">{title}\n'
        f'          <span class="count" id="count-{key}"></span></h2>\n'
        f'        <ul id="queue-{key}" class="queue-list"></ul>\n'
        f'        <p class="queue-empty" id="empty-{key}">Keine Vorgänge.</p>\n'
        "      </section>"
        for key, title in QUEUES
    )


def login_page(csrf: str, error: str | None = None, username: str = "") -> str:
    """The login form; `error` is shown as an alert and `username` is kept after a failure."""
    error_html = f'    <p class="login-error" role="alert">{escape(error)}</p>\n' if error else ""
    return HEAD.format(meta="", title="Anmelden – Beraterkonsole", script="") + LOGIN_BODY.format(
        error=error_html,
        csrf=escape(csrf, quote=True),
        username=escape(username, quote=True),
        autofocus_user="" if username else " autofocus",
        autofocus_password=" autofocus" if username else "",
    )


def console_header(area: str, advisor: str, csrf: str, nav: str = "", tools: str = "") -> str:
    """The head of every console area: brand and area, the areas the account may open,
    optional tools, the account and its logout (CSRF-protected)."""
    return (
        '  <header class="site-header console-header">\n'
        f'    <div class="brand"><span class="brand-mark">HWK</span> {escape(area)}</div>\n'
        f"{nav}{tools}"
        '    <div class="console-user">\n'
        f'      <span class="advisor-name">{escape(advisor)}</span>\n'
        '      <form class="logout-form" method="post" action="/berater/logout">\n'
        f'        <input type="hidden" name="csrf" value="{escape(csrf, quote=True)}">\n'
        '        <button type="submit">Abmelden</button>\n'
        "      </form>\n"
        "    </div>\n"
        "  </header>\n"
    )


def console_page(csrf: str, advisor_name: str, nav: str = "") -> str:
    """The console shell: meta tags for berater.js, queues and an empty detail pane;
    `nav` links the other areas the account may open."""
    meta = (
        f'  <meta name="csrf-token" content="{escape(csrf, quote=True)}">\n'
        f'  <meta name="advisor-name" content="{escape(advisor_name, quote=True)}">\n'
    )
    script = '  <script type="module" src="/static/berater.js"></script>\n'
    reasons = "\n".join(
        f'        <option value="{escape(key, quote=True)}">{escape(label)}</option>'
        for key, label in ERASE_REASONS.items()
    )
    header = console_header("Beraterkonsole", advisor_name, csrf, nav, TOOLS)
    return HEAD.format(meta=meta, title="Beraterkonsole", script=script) + CONSOLE_BODY.format(
        header=header,
        queues=queue_sections(),
        reasons=reasons,
        closed_search=closed_search(),
        outcome=outcome_form(),
        dialogs=dialogs(),
    )
