"""Custom actions of werkbot, served by the rasa-sdk action server."""
