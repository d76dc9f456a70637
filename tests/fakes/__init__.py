"""Offline fakes of the Telegram Bot API and the WhatsApp Cloud API for gateway tests."""
