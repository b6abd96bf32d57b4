"""What a form says back to staff (saved, refused, a warning), the one way every form says it.

The colours live in ui/style.css, read here; a form carries the stylesheet itself
(`style_widget`), so it looks the same in JupyterLab and in the app. Messages are a live
region (role=status): a screen reader reads them out when they change.
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

import ipywidgets as w

MARKS = {"ok": "✔", "galat": "✖", "peringatan": "⚠", "redup": ""}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("kebekerjaan.ui").joinpath("style.css").read_text(encoding="utf-8")


def style_tag() -> str:
    return f"<style>{stylesheet()}</style>"


def style_widget() -> w.HTML:
    """An HTML widget holding only the stylesheet (shows nothing itself)."""
    box = w.HTML(style_tag(), layout=w.Layout(height="0", margin="0", overflow="hidden"))
    box.add_class("kb-gaya")
    return box


def said(kind: str, text: str, *, escape: bool = True) -> str:
    """One line of feedback: kind ok | galat | peringatan | redup."""
    body = html.escape(text) if escape else text
    mark = MARKS[kind]
    return f"<span class='kb-{kind}'>{mark + ' ' if mark else ''}{body}</span>"


def ok_html(text: str) -> str:
    return said("ok", text)


def error_html(text: str) -> str:
    return said("galat", text)


def warning_html(text: str) -> str:
    return said("peringatan", text)


def hint_html(text: str) -> str:
    return said("redup", text)


def required_mark() -> str:
    """The red star of a required field (not read out: the label says the rest)."""
    return "<span class='kb-wajib' aria-hidden='true'>*</span>"


class Feedback(w.HTML):
    """The message line of a form: ok(), error(), warning(), hint(), show() for lists."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("kb-pesan")

    def _put(self, body: str) -> None:
        self.value = f"<div role='status' aria-live='polite'>{body}</div>" if body else ""

    def ok(self, text: str) -> None:
        self._put(ok_html(text))

    def error(self, text: str) -> None:
        self._put(error_html(text))

    def warning(self, text: str) -> None:
        self._put(warning_html(text))

    def hint(self, text: str) -> None:
        self._put(hint_html(text))

    def show(self, markup: str) -> None:
        """Ready-made markup (built with said(), lists of files...)."""
        self._put(markup)

    def clear(self) -> None:
        self.value = ""

    @property
    def text(self) -> str:
        """What it says, without markup (for tests and logs)."""
        import re

        spaced = re.sub(r"<(?:li|br|div|p)\b[^>]*>", " ", self.value)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())
