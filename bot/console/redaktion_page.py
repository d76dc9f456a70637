"""The editors' page /berater/redaktion: the curation queue (filled by redaktion.js)."""

from __future__ import annotations

from html import escape

from bot.console.pages import HEAD, console_header
from bot.curation.desk import KIND_LABELS, STATUS_LABELS

BODY = """<body class="berater redaktion">
{header}  <main class="console curation">
    <section class="curation-groups" aria-labelledby="groups-title">
      <h1 id="groups-title">Was werkbot nicht beantworten konnte</h1>
      <form id="filter-form" class="curation-filter">
        <div>
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="">Noch zu tun</option>
{statuses}
            <option value="all">Alle</option>
          </select>
        </div>
        <div>
          <label for="filter-kind">Art</label>
          <select id="filter-kind" name="kind">
            <option value="">Alle Arten</option>
{kinds}
          </select>
        </div>
        <button id="filter-submit" type="submit">Filtern</button>
      </form>
      <p id="groups-status" class="closed-status" role="status" aria-live="polite"></p>
      <ul id="groups" class="queue-list curation-list" aria-label="Gruppen ähnlicher Fragen"></ul>
    </section>
    <section id="group" class="pane" aria-labelledby="group-title">
      <h2 id="group-title" class="pane-title">Gruppe</h2>
      <p id="group-error" class="pane-error" role="alert" hidden></p>
      <p id="group-empty" class="pane-empty">Wählen Sie eine Gruppe aus der Liste.</p>
      <div id="group-body" hidden>
        <p id="group-question" class="curation-question"></p>
        <dl id="group-meta" class="meta"></dl>
        <div class="actions">
          <button id="assign-me" type="button">Mir zuweisen</button>
          <button id="dismiss" type="button">Verwerfen</button>
          <button id="resolve" type="button" class="primary">Erledigt</button>
          <button id="reopen" type="button" hidden>Wieder öffnen</button>
        </div>
        <p id="group-notice" class="hint" role="status" aria-live="polite"></p>
        <form id="assign-form" class="curation-form">
          <label for="assign-to">Zuweisen an</label>
          <div class="outcome-row">
            <select id="assign-to"></select>
            <button id="assign-save" type="submit">Zuweisen</button>
          </div>
        </form>
        <form id="link-form" class="curation-form">
          <label for="link-guide">Mit Leitfaden verknüpfen</label>
          <div class="outcome-row">
            <select id="link-guide" class="guide-select" required></select>
            <button id="link-save" type="submit">Verknüpfen</button>
          </div>
        </form>
        <form id="propose-form" class="curation-form">
          <h3>Als Frage zu einem Leitfaden hinzufügen</h3>
          <label for="propose-guide">Leitfaden</label>
          <select id="propose-guide" class="guide-select" required></select>
          <label for="propose-section">Abschnitt, der die Frage beantwortet</label>
          <select id="propose-section">
            <option value="">Den passenden sucht der Assistent selbst</option>
          </select>
          <label for="propose-text">Frage (so, wie Betriebe fragen; ohne Platzhalter)</label>
          <textarea id="propose-text" rows="2" maxlength="300" required></textarea>
          <button id="propose-save" type="submit">Als Frage hinzufügen</button>
          <p class="hint">Die Änderung landet zur Prüfung im Ordner <code>var/kb-review/</code>;
            die Wissensbasis selbst ändert sich erst mit <code>git apply</code> und Review.</p>
        </form>
        <section id="proposal" class="proposal" aria-labelledby="proposal-title" hidden>
          <h3 id="proposal-title">Vorgeschlagene Änderung</h3>
          <p id="proposal-files"></p>
          <pre id="proposal-diff" class="proposal-diff" tabindex="0" role="region"
               aria-label="Änderung als Diff"></pre>
        </section>
        <h3>Fragen in dieser Gruppe</h3>
        <ul id="group-items" class="curation-items"></ul>
        <h3>Kommentare</h3>
        <ul id="group-comments" class="notes"></ul>
        <form id="comment-form" class="note-form">
          <label for="comment-text">Neuer Kommentar</label>
          <textarea id="comment-text" rows="2" maxlength="2000" required></textarea>
          <button id="comment-save" type="submit">Kommentar speichern</button>
        </form>
      </div>
    </section>
  </main>
</body>
</html>
"""


def _options(labels: dict[str, str]) -> str:
    return "\n".join(
        f'            <option value="{escape(key, quote=True)}">{escape(label)}</option>'
        for key, label in labels.items()
    )


def redaktion_page(csrf: str, advisor_name: str, nav: str = "") -> str:
    """The editors' page: filters, the list of groups and an empty detail pane."""
    meta = f'  <meta name="csrf-token" content="{escape(csrf, quote=True)}">\n'
    script = (
        '  <link rel="stylesheet" href="/static/redaktion.css">\n'
        '  <script type="module" src="/static/redaktion.js"></script>\n'
    )
    return HEAD.format(meta=meta, title="Redaktion", script=script) + BODY.format(
        header=console_header("Redaktion", advisor_name, csrf, nav),
        statuses=_options(STATUS_LABELS),
        kinds=_options(KIND_LABELS),
    )
