"""Moved to painopts.wording (one module for how values read); kept so that code
written against the old name still imports."""

from painopts.wording import *  # noqa: F403
