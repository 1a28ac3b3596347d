"""workbench: a terminal fact-checking workbench."""

__version__ = "0.1.0"
