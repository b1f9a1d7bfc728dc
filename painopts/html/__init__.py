"""HTML for any Document: one self-contained file that travels.

Inline CSS and SVG only: no scripts, no web fonts, no outside requests (a Content
Security Policy in the page says so to the browser too). Jinja2 renders it with
autoescaping on, so catalogue text can never become markup; it is imported only here,
inside :func:`render_html`, so no other command pays for it at start-up.
"""

from __future__ import annotations

from painopts.html.render import render_html, render_view

__all__ = ["render_html", "render_view"]
