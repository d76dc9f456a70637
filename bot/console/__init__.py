"""Beraterkonsole: Anmeldung, Konsole, JSON-API und WebSocket für Beraterinnen und Berater."""
