"""The report of `make bench-load`: bench/results/load.md built from the results
(throughput and latency per stack, CPU and RSS per process, the target on one instance
set, what it means); the fault run's part is in bench/load_report_fault.py."""

from __future__ import annotations

from typing import Any

from bench.load_report_fault import fault_markdown, fault_meaning

TARGET = {"users": 20, "answered_per_s": 40.0, "p95_ms": 1000.0}


def cell(usage: dict[str, float] | None) -> str:
    return f"{usage['cpu_percent']:.0f} % · {usage['rss_mib']:.0f}" if usage else "–"


def phase_row(label: str, phase: dict[str, Any]) -> str:
    latency = phase["latency"]
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(phase["outcomes"].items()) if k != "answer")
    return (
        f"| {label} | {phase['users']} | {phase['answered_per_s']} | {latency['p50_ms']} | "
        f"{latency['p95_ms']} | {latency['p99_ms']} | {phase['errors']}"
        f"{f' ({outcomes})' if outcomes else ''} | {phase['machine_busy_percent']} | "
        f"{phase['others_cpu_percent']} |"
    )


def process_table(phases: list[tuple[str, dict[str, Any]]]) -> str:
    names = sorted({name for _, phase in phases for name in phase["processes"]})
    order = ["haproxy", "gateway", "rasa", "actions", "postgresql", "redis", "load-generator"]
    names.sort(key=lambda n: (next(i for i, p in enumerate(order) if n.startswith(p)), n))
    head = "| Prozess | " + " | ".join(label for label, _ in phases) + " |\n"
    head += "| --- |" + " --- |" * len(phases) + "\n"
    rows = [
        f"| {name} | "
        + " | ".join(cell(phase["processes"].get(name)) for _, phase in phases)
        + " |"
        for name in names
    ]
    return head + "\n".join(rows) + "\n"


def markdown(results: dict[str, Any]) -> str:
    info = results["machine"]
    settings = results["settings"]
    lines = [
        "# Last-Benchmark: 1 und 2 Instanzen hinter HAProxy",
        "",
        f"{results['started']} bis {results['finished']}; {info['cpus']} Kerne "
        f"({info['cpu_model']}), {info['memory_gib']} GiB RAM; {info['haproxy']}, "
        f"{info['postgresql']}, {info['redis']}. Lastmittel beim Start "
        f"{results['loadavg_start']}. Code: Commit {results['code']['commit']} mit "
        f"{results['code']['changed_files']} ungesicherten Änderungen (Diff "
        f"{results['code']['diff_sha1']}).",
        "",
        "Aufbau wie `make run-cluster`: HAProxy vor je 1 (Stack A) bzw. 2 (Stack B) Gateways, "
        "Rasa-Servern und Action-Servern, PostgreSQL und Redis auf derselben Maschine; "
        "frische Datenbanken. Die Personen simuliert locust (bench/load_users.py, eigener "
        "Prozess, auf denselben Kernen): jede öffnet das Widget (WebSocket über HAProxy), "
        f"stellt Wissensfragen (21 verschiedene) ohne Denkpause, {settings['turns']} pro "
        "Gespräch, dann ein neues Gespräch; fragt der Bot nach dem Gewerk, antwortet sie "
        "(„Bäckerei“ …), das zählt als Runde. Eine Runde ist beantwortet mit der ersten "
        "Antwortblase des Bots nach der Quittung; gemessen wird Senden → erste Antwort. "
        f"Je Phase {settings['warmup']:.0f} s Anlauf, dann {settings['seconds']:.0f} s "
        "Messfenster. Grenzwerte pro Adresse hochgesetzt (alle Personen kommen von "
        "127.0.0.1).",
        "",
        "## Durchsatz und Latenz",
        "",
        "Fehler: Runden ohne Antwort des Bots im Fenster (notice = Hinweis „kurz nicht "
        "erreichbar“ nach Rasas 4-s-Zeitlimit im Gateway, timeout = 30 s nichts, closed = "
        "Verbindung verloren). Maschine = Auslastung aller Kerne; andere = CPU der Prozesse "
        "außerhalb des Benchmarks (% eines Kerns: Kerne × Auslastung − Summe der Tabelle "
        "unten), z. B. Tests, die nebenher liefen.",
        "",
        "| Stack | Personen | beantwortet/s | p50 ms | p95 ms | p99 ms | Fehler | Maschine % "
        "| andere % |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    tables: list[str] = []
    for label, stack in results["stacks"].items():
        rows = [(f"{p['users']} Pers.", p) for p in stack["phases"]]
        for phase in stack["phases"]:
            lines.append(phase_row(f"{label} ({stack['instances']}×)", phase))
        for phase in stack.get("rest_baseline", []):
            lines.append(phase_row("Rasa REST direkt (Baseline, 1 Rasa)", phase))
            rows.append((f"REST {phase['users']}", phase))
        tables.append(
            f"### Stack {label}: CPU (% eines Kerns) · RSS (MiB) je Prozess\n\n"
            f"Start bis alle gesund: {stack['startup_s']} s"
            + "".join(f"; {note}" for note in stack["startup_notes"])
            + ". Mittelwerte im Messfenster; "
            "postgresql und load-generator mit allen Kindprozessen (bei PostgreSQL zählt der "
            "gemeinsame Speicher in jedem Prozess mit).\n\n" + process_table(rows)
        )
    lines += ["", *tables]
    target = results.get("target_check")
    if target:
        lines += [
            "## Ziel auf einem Instanzsatz",
            "",
            f"≥ {TARGET['answered_per_s']:.0f} beantwortete Nachrichten/s bei p95 ≤ "
            f"{TARGET['p95_ms']:.0f} ms mit {TARGET['users']} Personen: gemessen "
            f"{target['answered_per_s']} /s, p95 {target['p95_ms']} ms – "
            f"**{'erreicht' if target['met'] else 'nicht erreicht'}**.",
            "",
        ]
    fault = results.get("fault")
    if fault:
        lines += fault_markdown(fault)
    lines += meaning(results)
    return "\n".join(lines) + "\n"


def meaning(results: dict[str, Any]) -> list[str]:
    stacks = results["stacks"]
    notes = []
    if "A" in stacks and "B" in stacks:
        for a, b in zip(stacks["A"]["phases"], stacks["B"]["phases"], strict=False):
            if a["answered_per_s"]:
                factor = b["answered_per_s"] / a["answered_per_s"]
                notes.append(f"{a['users']} Personen ×{factor:.2f}")
    return [
        "## Was das heißt",
        "",
        (
            f"Zwei Instanzsätze gegenüber einem (beantwortet/s): {', '.join(notes)}. "
            if notes
            else ""
        )
        + f"Die Maschine hat {results['machine']['cpus']} Kerne; alle Dienste, PostgreSQL, "
        "Redis und der Lastgenerator teilen sie. Die größten Posten sind Rasa (ein "
        "Python-Prozess je Instanz, NLU und Dialogvorhersage je Nachricht) und der "
        "Action-Server (Tabellen oben); mit zwei Sätzen ist die Maschine voll (Spalte "
        "Maschine %), ein Faktor 2 ist auf 2 Kernen nicht möglich. Der zweite Satz bringt "
        "hier vor allem Ausfallsicherheit; mehr Durchsatz bringen mehr Kerne oder Maschinen. "
        "Die Rasa-REST-Baseline (ohne Gateway, Widget, Speichern) zeigt, was das Gateway "
        "kostet. In geschlossener Schleife ohne Denkpause wächst bei voller Maschine die "
        "Wartezeit ungefähr mit Personen ÷ Durchsatz; wer länger als das 4-s-Zeitlimit des "
        "Gateways für Rasa wartet, bekommt den Hinweis „kurz nicht erreichbar“ (Spalte "
        "Fehler). Bei 100 Personen enden die meisten Runden so, und auch der Durchsatz "
        "beantworteter Nachrichten sinkt gegenüber 50 Personen (die Ursache ist hier nicht "
        "weiter zerlegt; naheliegend ist Arbeit, die Rasa nach dem Zeitlimit noch erledigt, "
        "und die sofortige Wiederholung). Grenzen der Messung: Lastgenerator auf denselben "
        "Kernen (seine CPU steht in der Tabelle); echte Menschen denken zwischen zwei "
        "Nachrichten, 100 gleichzeitige Personen erzeugen real weit weniger als 100 offene "
        "Anfragen; ein Lauf je Punkt, keine Wiederholungen.",
        "",
        *fault_meaning(results),
    ]


def target_check(stacks: dict[str, Any]) -> dict[str, Any] | None:
    phases = [p for p in stacks.get("A", {}).get("phases", []) if p["users"] == TARGET["users"]]
    if not phases:
        return None
    phase = phases[0]
    p95 = phase["latency"]["p95_ms"]
    met = phase["answered_per_s"] >= TARGET["answered_per_s"] and (
        p95 is not None and p95 <= TARGET["p95_ms"]
    )
    return {"answered_per_s": phase["answered_per_s"], "p95_ms": p95, "met": met}
