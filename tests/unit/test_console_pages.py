import re

from bot.console.pages import console_page, login_page

EVIL = '<script>alert(1)</script> "Müller" & Co'
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Müller&quot; &amp; Co"


def test_login_form_posts_to_login_with_csrf_and_fields() -> None:
    html = login_page("tok-123")
    assert html.startswith("<!doctype html>")
    assert '<html lang="de">' in html
    assert '<meta name="viewport"' in html
    assert 'href="/static/site.css"' in html
    assert 'href="/static/berater.css"' in html
    assert '<form class="login-form" method="post" action="/berater/login">' in html
    assert '<input type="hidden" name="csrf" value="tok-123">' in html
    assert re.search(r'<input id="username" name="username" type="text" value=""', html)
    assert re.search(r'<input id="password" name="password" type="password"', html)
    assert 'autocomplete="current-password"' in html
    assert '<label for="username">' in html
    assert '<label for="password">' in html
    assert ">Anmelden</button>" in html
    assert "login-error" not in html
    assert "<script" not in html


def test_login_error_and_username_are_escaped() -> None:
    html = login_page('c"s<r>f&', error=EVIL, username=EVIL)
    assert "<script>" not in html
    assert f'<p class="login-error" role="alert">{EVIL_ESCAPED}</p>' in html
    assert f'name="username" type="text" value="{EVIL_ESCAPED}"' in html
    assert 'name="csrf" value="c&quot;s&lt;r&gt;f&amp;"' in html


def test_console_page_carries_csrf_and_advisor_name() -> None:
    html = console_page("tok-456", "Frau Schulz")
    assert '<meta name="csrf-token" content="tok-456">' in html
    assert '<meta name="advisor-name" content="Frau Schulz">' in html
    assert '<form class="logout-form" method="post" action="/berater/logout">' in html
    assert '<input type="hidden" name="csrf" value="tok-456">' in html
    assert ">Abmelden</button>" in html
    assert '<script type="module" src="/static/berater.js"></script>' in html
    assert "Beraterkonsole" in html
    for heading in ("Wartend (Live-Chat)", "Rückrufbitten", "In Bearbeitung", "Abgeschlossen"):
        assert heading in html
    for hook in (
        "queue-waiting",
        "queue-callbacks",
        "queue-active",
        "queue-closed",
        "transcript",
        "reply-text",
        "reply-send",
        "note-text",
        "note-save",
        "claim",
        "close",
        "handback",
        "done",
        "connection",
        "pane-error",
        "ticket-search",
    ):
        assert f'id="{hook}"' in html


def test_console_page_escapes_advisor_name_and_csrf() -> None:
    html = console_page('c"s<r>f&', EVIL)
    assert "<script>alert" not in html
    assert f'<meta name="advisor-name" content="{EVIL_ESCAPED}">' in html
    assert f'<span class="advisor-name">{EVIL_ESCAPED}</span>' in html
    assert '<meta name="csrf-token" content="c&quot;s&lt;r&gt;f&amp;">' in html
    assert 'name="csrf" value="c&quot;s&lt;r&gt;f&amp;"' in html
