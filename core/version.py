"""The version of govspeech: one place, read by the package, its metadata (pyproject.toml) and saved models."""

__version__ = "0.1.0"
