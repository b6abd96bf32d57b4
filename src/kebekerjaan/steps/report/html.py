"""A piece of report HTML that a notebook cell displays (and nbconvert copies verbatim)."""

from __future__ import annotations

from html import escape


class Html:
    """Displayable HTML; str() gives the markup (tests read it)."""

    def __init__(self, markup: str, extra: dict | None = None):
        self.markup = markup
        self.extra = extra or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.markup, **self.extra}

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + str(other), {**self.extra, **getattr(other, "extra", {})})


def paragraphs(sentences: list[str], css: str = "narasi") -> Html:
    return Html(f'<div class="{css}">' + "".join(f"<p>{escape(s)}</p>" for s in sentences) + "</div>")
