"""werkbot gateway: owns conversations and channels, and talks to Rasa over HTTP."""
