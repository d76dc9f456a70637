"""Errors shared by the gateway's modules."""


class ConfigError(ValueError):
    """A setting in the environment that cannot be used."""
