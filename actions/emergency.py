"""IT-security emergencies: recognised in the person's words, answered with first steps.

An emergency is something that has happened (files encrypted, an account taken over, a
phishing link clicked, a phone lost), not a question on how to prevent it.
"""

from __future__ import annotations

import re

from actions.context import words

EMERGENCY_GUIDE = "it-notfall-sofortmassnahmen"
RANSOMWARE = "Dateien verschlüsselt oder Erpressung: Was tun Sie sofort?"
HACKED = "E-Mail-Konto oder Zugang gehackt: Was jetzt?"
PHISHING = "Auf einen Phishing-Link geklickt: Was tun?"
LOST_DEVICE = "Handy oder Laptop mit Firmendaten verloren: Was tun?"
WHOM_TO_TELL = "Wen muss ich bei einem IT-Notfall informieren?"

DEVICE = r"(handy|smartphone|iphone|diensthandy|firmenhandy|laptop|notebook|tablet|ipad|rechner)"
LOST = (
    r"(verloren|verlorn|geklaut|gestohlen|liegen ?gelassen|liegen ?lassen|weg ist|(ist|is) weg|"
    r"nicht mehr da|abhanden)"
)
INTRUDER = r"(jemand|irgendwer|irgendjemand|fremde\w*|unbekannte\w*|hacker)"
ACCOUNT = r"(e ?mail|postfach|mailkonto|konto|account|system|netzwerk|rechner|pc)\b"
# (pattern on the folded text, section of the emergency guide), the first match wins
INCIDENTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(verschluesselt|verschlusselt|encrypted|loesegeld\w*|erpress\w*|"
            r"ransomware ?(drauf|befall|angriff)|bitcoin ?(zahlen|fordern|forderung)|"
            r"(trojaner|virus|schadsoftware) ?(drauf|eingefangen|auf dem|auf unserem|"
            r"auf meinem|im netz|eingeschleppt))"
        ),
        RANSOMWARE,
    ),
    (
        re.compile(
            r"\b(gehackt|gehacked|gekapert|(konto|account|postfach|zugang|e ?mail) "
            r"(wurde |ist )?(uebernommen|geknackt)|"
            r"(mails?|spam|rechnungen|nachrichten) (\w+ ){0,3}in (meinem|unserem|unserm) namen|"
            # someone else inside the mailbox, or invoices with a changed bank account
            rf"{INTRUDER} (\w+ ){{0,3}}(in|im) (\w+ ){{0,2}}{ACCOUNT} (\w+ ){{0,2}}drin|"
            rf"{INTRUDER} .{{0,40}}(eingeloggt|eingehackt|eingedrungen)|"
            r"(rechnung\w*|mails?) (\w+ ){0,5}(falsche\w*|fremde\w*|geaenderte\w*) "
            r"(iban|bankverbindung|kontoverbindung|kontonummer))"
        ),
        HACKED,
    ),
    (
        re.compile(
            r"\b((link|anhang|datei|mail)\w* .{0,40}(geklickt|angeklickt|gedrueckt|"
            r"draufgedrueckt|getippt|geoeffnet|aufgemacht|runtergeladen)|(geklickt|"
            r"angeklickt|gedrueckt|geoeffnet|aufgemacht) .{0,40}(link|anhang)|"
            r"(passwort|kennwort|zugangsdaten|pin|tan|bankdaten) .{0,30}(eingegeben|"
            r"eingetippt|eingetragen|angegeben|verraten|rausgegeben)|"
            r"auf (eine |ne )?phishing\w* .{0,20}reingefallen)"
        ),
        PHISHING,
    ),
    (
        re.compile(
            rf"\b({DEVICE}\w* .{{0,40}}{LOST}|{LOST} .{{0,30}}{DEVICE}|"
            # "diensthandy weg", not "die Daten vom Handy weg"
            rf"(?<!vom )(?<!von )(?<!dem ){DEVICE}\w* weg\b)"
        ),
        LOST_DEVICE,
    ),
]


def incident_in(text: str) -> str | None:
    """The emergency guide's section for the incident `text` reports, or None."""
    folded = " ".join(words(text))
    for pattern, section in INCIDENTS:
        if pattern.search(folded):
            return section
    return None
