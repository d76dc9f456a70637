"""Personal data: retention, erase and access on request (GDPR Art. 15, 17)."""
