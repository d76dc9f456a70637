"""HTML parts of the console's desk: tools in the header, the closed-conversation
search, and the dialogs (confirmation, canned responses, keyboard shortcuts)."""

from __future__ import annotations

from html import escape

from bot.handoff.outcomes import OUTCOMES
from bot.kb.labels import TOPIC_LABELS

# (keys shown, what they do); berater-shortcuts.js binds the same keys
SHORTCUTS = (
    ("Alt+Umschalt+N", "Nächsten Vorgang der Warteschlange öffnen"),
    ("Alt+Umschalt+C", "Geöffneten Vorgang übernehmen"),
    ("Alt+Umschalt+R", "Zum Antwortfeld springen (auch aus Textfeldern)"),
    ("Alt+Umschalt+E", "Gespräch beenden (mit Rückfrage)"),
    ("?", "Diese Übersicht öffnen"),
)

TOOLS = """      <div class="console-tools">
        <span class="sound-toggle">
          <input id="sound-toggle" type="checkbox">
          <label for="sound-toggle">Ton bei neuen Nachrichten</label>
        </span>
        <button id="notify-button" type="button">Desktop-Benachrichtigungen</button>
        <button id="canned-manage" type="button" aria-haspopup="dialog">Textbausteine
          verwalten</button>
        <button id="shortcuts-button" type="button" aria-haspopup="dialog">Tastenkürzel</button>
      </div>
"""

CLOSED_SEARCH = """      <section class="closed-search" aria-labelledby="closed-search-title">
        <h2 id="closed-search-title">Abgeschlossene suchen</h2>
        <form id="closed-form" class="closed-form" role="search">
          <label for="closed-scope">Vorgänge</label>
          <select id="closed-scope" name="scope">
            <option value="mine">Nur meine</option>
            <option value="all">Alle, die ich sehen darf</option>
          </select>
          <div class="date-row">
            <span><label for="closed-from">Von</label>
              <input id="closed-from" name="from" type="date"></span>
            <span><label for="closed-to">Bis</label>
              <input id="closed-to" name="to" type="date"></span>
          </div>
          <label for="closed-topic">Thema</label>
          <select id="closed-topic" name="topic">
            <option value="">Alle Themen</option>
{topics}
          </select>
          <label for="closed-q">Suche im Verlauf</label>
          <input id="closed-q" name="q" type="search" maxlength="100" autocomplete="off">
          <div class="actions">
            <button id="closed-submit" type="submit">Filtern</button>
            <button id="closed-reset" type="reset">Zurücksetzen</button>
          </div>
        </form>
        <p id="closed-status" class="closed-status" role="status" aria-live="polite"></p>
        <ul id="closed-results" class="queue-list" aria-label="Suchergebnisse"></ul>
      </section>
"""

OUTCOME = """        <form id="outcome-form" class="outcome-form" hidden>
          <label for="outcome">Ergebnis des Rückrufs</label>
          <div class="outcome-row">
            <select id="outcome">
              <option value="">Bitte wählen …</option>
{options}
            </select>
            <button id="outcome-save" type="submit">Ergebnis speichern</button>
          </div>
        </form>
"""

DIALOGS = """  <dialog id="confirm-dialog" class="desk-dialog" aria-labelledby="confirm-title"
          aria-describedby="confirm-text">
    <h2 id="confirm-title">Bitte bestätigen</h2>
    <p id="confirm-text"></p>
    <div class="actions">
      <button id="confirm-cancel" type="button">Abbrechen</button>
      <button id="confirm-ok" type="button" class="primary">Bestätigen</button>
    </div>
  </dialog>
  <dialog id="shortcuts-dialog" class="desk-dialog" aria-labelledby="shortcuts-title">
    <h2 id="shortcuts-title">Tastenkürzel</h2>
    <p>Außer Alt+Umschalt+R wirken sie nicht, während Sie in einem Textfeld schreiben.</p>
    <dl class="shortcut-list">
{shortcuts}
    </dl>
    <div class="actions">
      <button id="shortcuts-close" type="button">Schließen</button>
    </div>
  </dialog>
  <dialog id="canned-dialog" class="desk-dialog canned-dialog" aria-labelledby="canned-title">
    <h2 id="canned-title">Textbausteine verwalten</h2>
    <ul id="canned-list" class="canned-list"></ul>
    <form id="canned-form" class="canned-form">
      <h3 id="canned-form-title">Neuer Textbaustein</h3>
      <label for="canned-title-input">Titel (höchstens 60 Zeichen)</label>
      <input id="canned-title-input" type="text" maxlength="60" required>
      <label for="canned-text-input">Text (höchstens 2000 Zeichen)</label>
      <textarea id="canned-text-input" rows="4" maxlength="2000" required></textarea>
      <p id="canned-error" class="pane-error" role="alert" hidden></p>
      <div class="actions">
        <button id="canned-save" type="submit">Speichern</button>
        <button id="canned-new" type="button">Neuer Textbaustein</button>
        <button id="canned-close" type="button">Schließen</button>
      </div>
    </form>
  </dialog>
"""


def _options(choices: dict[str, str], indent: int) -> str:
    pad = " " * indent
    return "\n".join(
        f'{pad}<option value="{escape(key, quote=True)}">{escape(label)}</option>'
        for key, label in choices.items()
    )


def closed_search() -> str:
    """The filter and search form for closed conversations."""
    topics = dict(sorted(TOPIC_LABELS.items(), key=lambda item: item[1]))
    return CLOSED_SEARCH.format(topics=_options(topics, 12))


def outcome_form() -> str:
    """The callback outcome form of the detail pane."""
    return OUTCOME.format(options=_options(OUTCOMES, 14))


def dialogs() -> str:
    """The confirmation, shortcut help and canned-response dialogs."""
    shortcuts = "\n".join(
        f"      <dt><kbd>{escape(keys)}</kbd></dt><dd>{escape(label)}</dd>"
        for keys, label in SHORTCUTS
    )
    return DIALOGS.format(shortcuts=shortcuts)
