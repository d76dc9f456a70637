"""Database layer: SQLAlchemy 2.0 models, engine factory and the message store."""
