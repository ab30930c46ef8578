"""govspeech: label the sentences of Chinese work-conference speeches with their roles."""

__version__ = "0.1.0"
__all__ = ["__version__"]
