"""The staff app as one page in one tab, one kernel per tab: a menu of buttons swaps the
content, the address says which page it is (`/?halaman=alumni`).

Reload, back/forward and a bookmark open the same page:
  * on load the kernel reads the query string (Voila's QUERY_STRING; with preheated
    kernels `voila.utils.get_query_string()` waits for the request that takes the kernel);
  * on a click the kernel sends one line of JavaScript through a hidden Output widget:
    history.pushState and document.title (no extra package, no front-end extension);
  * back/forward (popstate) and in-page links `?halaman=NAME` click the menu button of that
    page (app.js, shown once per tab).
Pages are built on their first visit and kept (their lists read the store again when shown
again); the home page is rebuilt each visit. A page replaced for good is closed with every
widget under it, so a tab's kernel does not grow however many pages staff open.

Why this design, and the figures behind it: docs/dev/app.md.
"""

from __future__ import annotations

import html
import importlib
import json
import os
from collections.abc import Callable
from importlib import resources
from urllib.parse import parse_qs

import ipywidgets as w
from IPython.display import HTML, display

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.ui.feedback import error_html, style_tag
from kebekerjaan.ui.widgets import close_whole

PARAM = "halaman"
APP_TITLE = "Survei Kebekerjaan"


def page_script(home: str) -> str:
    """app.js with its constants, as a <script> (runs: Voila renders cell outputs trusted)."""
    code = resources.files("kebekerjaan.ui.app").joinpath("app.js").read_text(encoding="utf-8")
    code = code.replace("__PARAM__", PARAM).replace("__HOME__", home)
    return f"<script>{code}</script>"


def page_from_query(query: str | None, names, default: str) -> str:
    value = parse_qs(query or "").get(PARAM, [""])[0]
    return value if value in names else default


def request_query() -> str:
    """The query string of the request that opened this tab.

    With --preheat_kernel the notebook runs before any request; get_query_string()
    then blocks until Voila hands this kernel to a request (the cells above it ran ahead)."""
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


def close_unused(old: w.Widget, *kept: w.Widget) -> None:
    """Close a replaced page and all under it that no kept root still shows."""
    close_whole(old, *kept)


def refresh_lists(widget: w.Widget) -> None:
    """Lists on a kept page (LiveTable, the inbox, the review queue) read the store again."""
    if callable(getattr(widget, "refresh", None)):
        widget.refresh()
    for child in getattr(widget, "children", ()):
        refresh_lists(child)


class Router:
    """pages: (name, caption, build, keep); build() -> widget; keep=False rebuilds each visit."""

    def __init__(self, pages: list[tuple[str, str, Callable[[], w.Widget], bool]],
                 titles: dict[str, str], home: str):
        self.pages = {name: (caption, build, keep) for name, caption, build, keep in pages}
        self.titles, self.home = titles, home
        self.cache: dict[str, w.Widget] = {}
        self.current: str | None = None
        self.buttons: dict[str, w.Button] = {}
        for name, (caption, _, _) in self.pages.items():
            b = w.Button(description=caption, layout=w.Layout(width="auto", height="auto"))
            b.add_class("kb-nav")
            b.add_class(f"kb-nav-{name}")
            b.on_click(lambda _b, name=name: self.show(name))
            self.buttons[name] = b
        self.heading = w.HTML()
        self.notice = w.HTML()  # e.g. a killed run undone when the tab opened
        self.content = w.Box(layout=w.Layout(display="block", max_width="100%"))
        self._js = w.Output(layout=w.Layout(display="none"))
        nav = w.HBox(list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap"))
        nav.add_class("kb-menu")
        self.box = w.VBox([nav, self.heading, self.notice, self.content, self._js],
                          layout=w.Layout(max_width="100%"))
        self.box.add_class("kb-app")

    def _ipython_display_(self):
        display(HTML(style_tag() + page_script(self.home)))
        display(self.box)

    def build(self, name: str) -> w.Widget:
        _, build, keep = self.pages[name]
        widget = self.cache.get(name) if keep else None
        if widget is not None:
            refresh_lists(widget)
            return widget
        try:
            widget = build()
        except KebekerjaanError as exc:  # a broken kebekerjaan.toml, a missing folder...
            return w.HTML(error_html(str(exc)))
        except Exception as exc:  # no traceback for staff; the message still says what broke
            return w.HTML(error_html(f"Halaman ini gagal dimuat ({type(exc).__name__}: {exc})."))
        if keep:
            self.cache[name] = widget
        return widget

    def show(self, name: str, replace: bool = False) -> None:
        """Show page `name`; replace=True for the first page of a tab (no extra history entry).
        The address and title change first (messages arrive in order), then the content."""
        if name not in self.pages:
            name = self.home
        url = f"?{PARAM}={name}"
        title = f"{self.pages[name][0]} — {APP_TITLE}"
        how = "replaceState" if replace else "pushState"
        js = (f"if (location.search !== {json.dumps(url)}) history.{how}(null, '', {json.dumps(url)});"
              f"document.title = {json.dumps(title)};")
        self._js.outputs = ({"output_type": "display_data", "metadata": {},
                             "data": {"application/javascript": js}},)
        for n, b in self.buttons.items():
            b.button_style = "primary" if n == name else ""
        self.heading.value = f"<h2>{html.escape(self.titles.get(name, name))}</h2>"
        self.current = name
        old = self.content.children[0] if self.content.children else None
        widget = self.build(name)
        self.content.children = (widget,)
        if old is not None and old is not widget and old not in self.cache.values():
            close_unused(old, self.box, *self.cache.values())


# What the page builders import lazily. Imported before warm_up() takes its snapshot: a
# widget made at import time would be shared by every page and must not be closed with the
# throw-away pages.
PAGE_MODULES = ("kebekerjaan.core.runner", "kebekerjaan.core.store", "kebekerjaan.steps.alumni",
                "kebekerjaan.steps.answers.records", "kebekerjaan.steps.answers.manual",
                "kebekerjaan.steps.answers.mapping", "kebekerjaan.steps.vacancies.gather",
                "kebekerjaan.steps.outreach.invite", "kebekerjaan.ui.answers",
                "kebekerjaan.ui.mapping", "kebekerjaan.ui.uploads", "kebekerjaan.ui.widgets",
                "kebekerjaan.ui.app.pages")


def warm_up(workspace: str = "", as_of: str = "") -> None:
    """For a preheated kernel, before any request: build every page once and close it, so the
    first visit of a page pays no import or first-call cost. Nothing built here is shown: the
    store and the date are read again after the request. Without preheat it would only delay
    the page, so it does nothing then."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    from ipywidgets.widgets.widget import _instances  # every open widget of the kernel

    for module in PAGE_MODULES:
        importlib.import_module(module)
    from kebekerjaan.ui.app import pages

    before = set(_instances)
    try:
        ctx = pages.open_page(workspace, as_of, recover=False)
        for build in pages.BUILDERS.values():
            build(ctx)
    except Exception:  # a broken workspace is reported on the page, after the request
        pass
    for model_id in set(_instances) - before:
        w.Widget.close(_instances[model_id])


def staff_router(workspace: str = "", as_of: str = "") -> Router:
    """The kebekerjaan pages (kebekerjaan.ui.app.pages.BUILDERS) in one router. The workspace
    and the date are read on the first page built (after the request, never ahead)."""
    from kebekerjaan.ui.app import pages

    opened: list = []
    router: list[Router] = []

    def context():
        if not opened:
            ctx = pages.open_page(workspace, as_of)
            opened.append(ctx)
            if ctx.notices:  # said once, above every page of this tab
                router[0].notice.value = "".join(
                    f"<p class='kb-peringatan'><b>PERHATIAN:</b> {html.escape(n)}</p>"
                    for n in ctx.notices)
        return opened[0]

    home = pages.HOME
    entries = [(name, caption, (lambda name=name: pages.BUILDERS[name](context())), name != home)
               for name, caption in pages.PAGES]
    router.append(Router(entries, pages.TITLES, home))
    return router[0]


def show_app(workspace: str = "", as_of: str = "", halaman: str = "") -> Router:
    """What the app notebook runs after the request: the page the address names (or
    `halaman`, e.g. under papermill), in the router."""
    app = staff_router(workspace, as_of)
    query = request_query()
    name = page_from_query(query, app.pages, "") or (halaman if halaman in app.pages else app.home)
    app.show(name, replace=True)
    return app
