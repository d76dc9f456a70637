"""The console page's desk parts: dialogs, tools and forms, all without inline script
or style (the console's CSP forbids both)."""

from __future__ import annotations

import re

from bot.config import ROOT
from bot.console.desk_pages import SHORTCUTS
from bot.console.pages import console_page
from bot.handoff.outcomes import OUTCOMES
from bot.kb.labels import TOPIC_LABELS


def test_the_console_page_has_the_desk_without_inline_code() -> None:
    html = console_page("tok", "Frau Lange")
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/berater.js">']
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    for dialog in ("confirm-dialog", "shortcuts-dialog", "canned-dialog", "erase-dialog"):
        assert f'<dialog id="{dialog}"' in html
    for keys, label in SHORTCUTS:
        assert f"<kbd>{keys}</kbd></dt><dd>{label}</dd>" in html
    for key, label in OUTCOMES.items():
        assert f'<option value="{key}">{label}</option>' in html
    for key in TOPIC_LABELS:
        assert f'<option value="{key}">' in html
    for label in ("Ton bei neuen Nachrichten", "Desktop-Benachrichtigungen", "Tastenkürzel"):
        assert label in html
    assert 'id="transcript" class="transcript" aria-live="polite" tabindex="0"' in html


def test_every_shortcut_in_the_help_is_bound_in_the_script() -> None:
    script = (ROOT / "bot" / "static" / "berater-shortcuts.js").read_text(encoding="utf-8")
    for keys, _label in SHORTCUTS:
        if keys.startswith("Alt+Umschalt+"):
            assert f"Key{keys[-1]}" in script
    assert 'event.key === "?"' in script
