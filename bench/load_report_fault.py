"""The fault run's part of bench/results/load.md (`make bench-load`): the events, the
messages in flight at each fault, what the people saw, the count from the database,
the timeline, and what it shows."""

from __future__ import annotations

from typing import Any


def fault_markdown(fault: dict[str, Any]) -> list[str]:
    client, db = fault["client"], fault["database"]
    events = "\n".join(
        f"| {e['at_s']} | {e['what']} | "
        + ", ".join(f"{k} {v}" for k, v in e.items() if k not in ("at_s", "what"))
        + " |"
        for e in fault["events"]
    )
    restarts = "; ".join(f"{r['t']} s: {r['note']}" for r in fault["restarts"]) or "keine"
    buckets = list(fault["timeline"])
    while buckets and not any(buckets[-1][k] for k in ("sent", "answers", "notices")):
        buckets.pop()  # the quiet end of the drain
    timeline = "\n".join(
        f"| {b['from_s']} | {b['sent']} | {b['answers']} | {b['notices']} | {b['nothing']} |"
        for b in buckets
    )
    response = client["response_ms"]
    notice = client["notice_ms"]
    return [
        f"## Fehlerlauf: Stack B, {fault['users']} Personen, {fault['window_s']} s",
        "",
        "Die Personen verhalten sich wie das echte Widget (bot/static/widget/40-connection.js): "
        "jede Nachricht hat eine eigene id; ohne Quittung binnen 5 s oder bei verlorener "
        "Verbindung neu verbinden (0,5 s, 1 s, 2 s … höchstens 10 s), `resume` mit der "
        "Gesprächs-id, Verlauf lesen, alles nicht Quittierte mit derselben id erneut senden. "
        "Nach dem Hinweis „kurz nicht erreichbar“ stellt die Person dieselbe Frage noch "
        "einmal (neue id). Abgestürzte Instanzen startet bot.services.Restarter neu (wie "
        "`make run-cluster`, nach 1 s).",
        "",
        "| s | Ereignis | Details |",
        "| --- | --- | --- |",
        events,
        "",
        f"Neustarts: {restarts}.",
        "",
        "Nachrichten, die im Moment des Fehlers auf ihre Antwort warteten, und wann nach dem "
        "Fehler ihre Antwort oder der Hinweis kam:",
        "",
        "| Fehler | wartend | Ergebnis | danach p50 ms | max ms | > 20 s oder nie |",
        "| --- | --- | --- | --- | --- | --- |",
        *[
            f"| {row['what']} | {row['waiting']} | {row['outcomes']} | "
            f"{row['reply_after_fault']['p50_ms']} | {row['reply_after_fault']['max_ms']} | "
            f"{row['stalled_20s']} |"
            for row in fault["in_flight"]
        ],
        "",
        "### Was die Personen sahen",
        "",
        "Alle Nachrichten des Laufs, auch die der Anlaufzeit vor dem Fenster.",
        "",
        "| Zahl | Wert |",
        "| --- | --- |",
        f"| Nachrichten gesendet (verschiedene ids) | {client['messages_sent']} |",
        f"| davon erneut gesendet (gleiche id, Sendungen) | {client['resends']} |",
        f"| quittiert (Quittung oder im Verlauf) | {client['acknowledged']} |",
        f"| Ergebnis | {client['outcomes']} |",
        f"| Antwort/Hinweis binnen 5 s / später | {client['responses_within_5s']} / "
        f"{client['responses_later']} |",
        f"| Antwort/Hinweis p50 / p95 / p99 / max ms | {response['p50_ms']} / "
        f"{response['p95_ms']} / {response['p99_ms']} / {response['max_ms']} |",
        f"| Hinweise, davon binnen 5 s / nicht gespeichert | {client['outcomes'].get('notice', 0)}"
        f", {client['notices_within_5s']} / {client['notices_not_stored']} |",
        f"| Hinweis p50 / max ms | {notice['p50_ms']} / {notice['max_ms']} |",
        f"| Wiederholungen nach Hinweis → Ergebnis | {client['retries_after_notice']} → "
        f"{client['retry_outcomes']} |",
        f"| Nachrichten mit Verbindungsverlust vor der Antwort | "
        f"{client['messages_hit_by_a_lost_socket']} (p50 "
        f"{client['their_response_ms']['p50_ms']} ms, max "
        f"{client['their_response_ms']['max_ms']} ms) |",
        f"| Verbindungen verloren / Verbindungsversuche gescheitert | {client['lost_sockets']} / "
        f"{client['failed_connection_attempts']} |",
        f"| Gespräche verloren (neue id nach Quittung) | {client['conversations_lost']} |",
        "",
        "### Gezählt aus der Datenbank",
        "",
        "Je Gespräch, das die Personen gemeldet haben: die gespeicherten Nachrichten der Person "
        "(`messages.client_id`) gegen die gesendeten ids. *Verloren*: gesendet, nicht "
        "gespeichert (getrennt: quittiert / nie quittiert). *Doppelt*: eine client_id "
        "mehrfach, eine Nachricht der Person ohne oder mit fremder client_id, derselbe Text "
        "zweimal hintereinander ohne dass die Person ihn wiederholt hat. *Reihenfolge*: "
        "gespeicherte Reihenfolge (messages.id) gegen Sendereihenfolge. *Runde*: eine "
        "gespeicherte Nachricht der Person und alles bis zur nächsten; beantwortet, wenn darin "
        "eine Nachricht des Bots oder des Gateways steht (die Person schreibt erst nach der "
        "ersten Antwortblase weiter, und das Gateway speichert alle Blasen einer Antwort, "
        "bevor es die erste schickt – die Runden überlappen also nicht).",
        "",
        "| Zahl | Wert |",
        "| --- | --- |",
        f"| Gespräche / gespeicherte Zeilen | {db['conversations']} / {db['stored_rows']} |",
        f"| gesendet / gespeichert (Person) | {db.get('sent', 0)} / "
        f"{db.get('stored_user_messages', 0)} |",
        f"| **verloren** (quittiert / nie quittiert) | {db.get('lost_acknowledged', 0)} / "
        f"{db.get('lost_never_acknowledged', 0)} |",
        f"| **doppelt** (client_id / ohne id / fremde id / Text ohne Wiederholung) | "
        f"{db.get('duplicated_client_id', 0)} / {db.get('stored_without_client_id', 0)} / "
        f"{db.get('stored_unknown_client_id', 0)} / {db.get('same_text_twice_not_a_retry', 0)} |",
        f"| **außer der Reihe** (Nachrichten / Gespräche) | {db.get('out_of_order', 0)} / "
        f"{db.get('conversations_out_of_order', 0)} |",
        f"| Runden beantwortet / nur Hinweis / **unbeantwortet** | {db.get('turns_answered', 0)} / "
        f"{db.get('turns_answered_by_notice', 0)} / {db.get('turns_unanswered', 0)} |",
        f"| davon unbeantwortet, aber ungespeicherter Hinweis gezeigt | "
        f"{db.get('turns_unanswered_but_unstored_notice_shown', 0)} |",
        f"| Runden beantwortet, die Antwort kam aber nie bei der Person an | "
        f"{db.get('turns_stored_reply_never_shown', 0)} |",
        f"| Runden doppelt beantwortet | {db.get('turns_answered_twice', 0)} |",
        f"| Zeilen in verworfenen Gesprächs-ids | "
        f"{db.get('stray_rows_in_abandoned_conversations', 0)} |",
        "",
        "### Verlauf (je 10 s ab Fensterbeginn)",
        "",
        "| ab s | gesendet | Antworten | Hinweise | gesendet, nie Antwort/Hinweis |",
        "| --- | --- | --- | --- | --- |",
        timeline,
        "",
    ]


def fault_meaning(results: dict[str, Any]) -> list[str]:
    """What the fault run shows, in numbers from this run."""
    fault = results.get("fault")
    if not fault:
        return []
    db, client = fault["database"], fault["client"]
    phases = results["stacks"].get("B", {}).get("phases", [])
    baseline = next((p for p in phases if p["users"] == fault["users"]), None)
    lost = db.get("lost_acknowledged", 0) + db.get("lost_never_acknowledged", 0)
    doubled = sum(
        db.get(key, 0)
        for key in (
            "duplicated_client_id",
            "stored_without_client_id",
            "stored_unknown_client_id",
            "same_text_twice_not_a_retry",
        )
    )
    text = (
        f"Fehlerlauf: {db.get('sent', 0)} gesendete Nachrichten, {lost} verloren, "
        f"{doubled} doppelt, {db.get('out_of_order', 0)} außer der Reihe (aus der "
        f"Datenbank). {db.get('turns_unanswered', 0)} Runden ohne gespeicherte Antwort, "
        f"davon {db.get('turns_unanswered_but_unstored_notice_shown', 0)} mit dem "
        "ungespeicherten Hinweis, den das Gateway zeigt, wenn es die Antwort nicht "
        f"speichern kann (PostgreSQL weg). {client['responses_later']} von "
        f"{client['responses_within_5s'] + client['responses_later']} Antworten oder "
        "Hinweisen kamen später als 5 s. Ein Teil davon ist Überlast, nicht Fehler: 100 "
        "Personen ohne Denkpause liegen weit über dem Durchsatz"
        + (
            f" (Stack B mit 100 Personen ohne Fehler: p95 aller Antworten und Hinweise "
            f"{baseline['all_responses']['p95_ms']} ms)."
            if baseline
            else "."
        )
    )
    never = db.get("turns_stored_reply_never_shown", 0)
    if never:
        text += (
            f" {never} Antworten stehen in der Datenbank, kamen aber nie bei der Person an "
            "(auch nicht nach 120 s): Sie wurden gespeichert und verschickt, während die "
            "Person nach einem Verbindungsabbruch neu verband – nach dem Lesen des Verlaufs "
            "für den Willkommens-Frame, aber bevor der neue Socket beim PersonHub angemeldet "
            "war (bot/websocket.py ChatSocket.welcome: erst `open`, dann `attach`)."
        )
    kill = next((r for r in fault["in_flight"] if r["what"] == "SIGKILL gateway-1"), None)
    if kill and kill["stalled_20s"]:
        text += (
            f" Nach dem SIGKILL des Gateways warteten {kill['stalled_20s']} Nachrichten "
            "länger als 20 s: Das tote Gateway hielt die Redis-Sperre ihres Gesprächs "
            "(bot/cluster/locks.py, LEASE_SECONDS = 30), das Nachholen der Antwort auf der "
            "anderen Instanz wartet, bis sie abläuft."
        )
    return [text, ""]
