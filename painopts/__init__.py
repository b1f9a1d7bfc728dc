"""painopts: an offline explorer of interventional pain management options."""

__version__ = "0.1.0"
