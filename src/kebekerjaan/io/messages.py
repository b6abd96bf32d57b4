"""Message wording lives in Jinja2 templates (templates/pesan/), editable by staff.

A workspace may carry its own `templates/pesan/` with the same file names: its
templates win over the shipped ones, so a BPVP changes wording without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from kebekerjaan.core.config import PROJECT_ROOT
from kebekerjaan.core.errors import KebekerjaanError


def shipped_templates_dir() -> Path:
    """The repository's templates/ when run from a checkout, else the installed copy."""
    here = PROJECT_ROOT / "templates"
    if here.is_dir():
        return here
    return Path(str(resources.files("kebekerjaan").joinpath("templates")))


@cache
def _environment(search_path: tuple[str, ...]):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path), encoding="utf-8"),
        undefined=jinja2.StrictUndefined,  # a misspelt field is an error, not a blank
        autoescape=False,  # plain-text messages (WhatsApp, Instagram)
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = _format_date
    return env


def render(name: str, workspace_root: Path | None = None, /, **context) -> str:
    """Render templates/pesan/<name> with `context`; workspace templates take precedence."""
    return template(name, workspace_root)(**context)


def template(name: str, workspace_root: Path | None = None, /):
    """templates/pesan/<name> loaded and compiled once, as a function of the context.

    For a list of thousands of messages: `render` per row would look the template up
    (and stat its file) again for every alumnus.
    """
    import jinja2

    search = []
    if workspace_root is not None:
        search.append(str(Path(workspace_root) / "templates" / "pesan"))
    search.append(str(shipped_templates_dir() / "pesan"))
    try:
        compiled = _environment(tuple(search)).get_template(name)
    except jinja2.TemplateNotFound:
        raise KebekerjaanError(f"Templat pesan '{name}' tidak ditemukan di templates/pesan/.") from None
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(name, exc) from None

    def fill(**context) -> str:
        try:
            text = compiled.render(**context)
        except jinja2.UndefinedError as exc:
            raise KebekerjaanError(
                f"Templat pesan '{name}' memakai isian yang tidak ada: {exc}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(name, exc) from None
        return text.strip()

    return fill


def _syntax_error(name: str, exc) -> KebekerjaanError:
    return KebekerjaanError(f"Templat pesan '{name}' salah tulis di baris {exc.lineno}: {exc.message}")


def _format_date(value, fmt: str = "d MMMM y") -> str:
    """Indonesian date, e.g. 27 November 2026 (babel)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        from datetime import date

        value = date.fromisoformat(value[:10])
    return _babel_date(value, fmt)


@cache
def _babel_date(value, fmt: str) -> str:
    # A list of 40,000 messages holds a few hundred distinct dates.
    from babel.dates import format_date

    return format_date(value, fmt, locale="id_ID")
