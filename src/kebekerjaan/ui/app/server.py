"""Serving the staff app with Voila: loopback by default, a password beyond it.

Voila serves one notebook (notebooks/aplikasi/app.ipynb) at `/`: each browser tab gets one
kernel, which shows every page in turn (router.py), with the input cells stripped and
execute requests refused, so staff see forms and tables, never code. One kernel waits
ready (preheated) for the next tab; a closed tab's kernel is shut down at once (its
beacon) or within 40 s (the culler). Handlers added to Voila's own: `/berkas/<run>/<file>`
serves the reports and lists under the workspace's outputs/ (only those kinds of file,
only after login when a password is set), `/unggah/<token>/<name>` receives an upload
into a staging folder (ui/uploads.py moves it into the inbox), the old page addresses
`/voila/render/<page>.ipynb` open `/?halaman=<page>`, and the close-tab beacon is accepted.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shutil
import socket
import tempfile
from datetime import date
from pathlib import Path

from kebekerjaan.core.config import ENV_WORKSPACE, load_settings
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.workspace import Workspace

APP_NOTEBOOK = "app.ipynb"
# What a page may link to under outputs/: reports, lists, posters, messages.
SERVED_SUFFIXES = (".pdf", ".html", ".xlsx", ".csv", ".png", ".txt")
FILES_PREFIX = "/berkas/"
ENV_AS_OF = "KEBEKERJAAN_AS_OF"
_HASHED = ("argon2:", "sha1:", "sha256:", "sha512:")


def pages_dir() -> Path:
    """notebooks/aplikasi/ of the checkout, or of the installed package."""
    from kebekerjaan.core.runner import notebooks_dir

    return notebooks_dir() / "aplikasi"


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def hashed_password(password: str) -> str:
    """The password as Jupyter's identity provider checks it (plain text is hashed here)."""
    if not password:
        return ""
    if password.startswith(_HASHED):
        return password
    from jupyter_server.auth.security import passwd

    return passwd(password)


def check_listen(host: str, password: str) -> None:
    """Refuse to serve beyond this computer without a password, and say why."""
    if not is_loopback(host) and not password:
        raise KebekerjaanError(
            f"Aplikasi tidak dijalankan di alamat {host}: tanpa sandi, siapa pun di jaringan "
            "kantor dapat membuka dan mengubah data alumni. Isi [aplikasi] password di "
            "kebekerjaan.toml (teks biasa atau hasil hash), atau jalankan di 127.0.0.1 "
            "(hanya komputer ini)."
        )


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise KebekerjaanError(
                    f"Port {port} sudah dipakai program lain; pilih port lain dengan --port."
                ) from None
            raise KebekerjaanError(f"Tidak dapat mendengarkan di {host}:{port}: {exc.strerror}.") from None


def voila_argv(ws: Workspace, *, host: str, port: int, password: str,
               open_browser: bool = False) -> list[str]:
    """Voila's command line for the staff app (kept apart so it can be tested). With
    `open_browser`, Voila opens the default browser on the app once it listens."""
    argv = [
        str(pages_dir() / APP_NOTEBOOK),  # one notebook: the whole app, at "/"
        f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0",
        f"--Voila.open_browser={open_browser}",
        "--Voila.log_level=ERROR", "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--HTMLExporter.language_code=id",  # <html lang="id">; router.py sets each page's title
        # One kernel waits with the imports done for the next tab; Voila starts another 1 s
        # after it is taken. The store and the date are read only after the request.
        "--preheat_kernel=True", "--pool_size=1",
        # A tab closed without its beacon (a crash, a lost network) is freed 30-40 s after
        # its last message; an open tab (connected) or a running step (busy) never is.
        "--MappingKernelManager.cull_idle_timeout=30", "--MappingKernelManager.cull_interval=10",
        "--MappingKernelManager.cull_connected=False",
    ]
    if password:
        argv += [f"--PasswordIdentityProvider.hashed_password={hashed_password(password)}",
                 "--PasswordIdentityProvider.allow_password_change=False"]
    return argv


def serve(ws: Workspace, *, host: str | None = None, port: int | None = None,
          as_of: date | None = None, open_browser: bool = False) -> None:
    """Serve the staff pages until Ctrl-C (settings from [aplikasi] in kebekerjaan.toml)."""
    from kebekerjaan.core.console import safe_streams

    safe_streams()
    conf = ws.settings().aplikasi
    packaged = load_settings(None).aplikasi  # an emptied host or a port 0 means the default
    host = host or conf.host or packaged.host
    port = int(port or conf.port or packaged.port)
    password = conf.password
    check_listen(host, password)
    _check_port_free(host, port)
    # The kernels inherit these: every page works on this workspace and date.
    os.environ[ENV_WORKSPACE] = str(ws.root)
    if as_of:
        os.environ[ENV_AS_OF] = as_of.isoformat()
    else:
        os.environ.pop(ENV_AS_OF, None)
    # A preheated kernel fetches its request's query string from ws://VOILA_APP_IP:port
    # (default 127.0.0.1): a server bound to one other address must say which.
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if host in ("", "0.0.0.0", "*", "::") else host
    from kebekerjaan.ui.uploads import ENV_STAGING

    staging = tempfile.mkdtemp(prefix="kebekerjaan-unggah-")  # private (0700), emptied on exit
    os.environ[ENV_STAGING] = staging
    try:
        app = _app_class()(outputs_dir=str(ws.outputs), staging_dir=staging,
                           max_upload_bytes=int(conf.max_upload_mb) * 1_000_000)
        app.initialize(voila_argv(ws, host=host, port=port, password=password,
                                  open_browser=open_browser))
        shown = f"[{host}]" if ":" in host else host
        print(f"Aplikasi petugas berjalan di http://{shown}:{port}/ untuk folder kerja {ws.root}")
        if password:
            print("Masuk dengan sandi dari [aplikasi] password di kebekerjaan.toml.")
        print("Buka alamat itu di peramban. Tekan Ctrl-C (atau tutup jendela ini) untuk "
              "menghentikan aplikasi.", flush=True)
        app.start()
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _app_class():
    """Voila with our handlers and an Indonesian login page (imported lazily: Voila is big)."""
    from jupyter_server.auth.decorator import authorized
    from jupyter_server.base.handlers import AuthenticatedFileHandler, JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from traitlets import Integer, Unicode
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.voila_identity_provider import VoilaLoginHandler

    class HomeRedirect(JupyterHandler):
        """Voila's file tree and the old page addresses open the app (`/?halaman=...`)."""

        def get(self, name=None, *args):
            page = f"?halaman={name}" if name else ""
            self.redirect(url_path_join(self.base_url, page) if page else self.base_url)

    @web.stream_request_body
    class UploadHandler(JupyterHandler):
        """One uploaded file, streamed to <staging>/<token>/<name> (never into memory whole).

        The page script sends it with a header a page of another site cannot send without
        this server's CORS consent (never given): that, and the login, stand in for the xsrf
        cookie Voila does not set. The kernel that owns the token checks the file and moves
        it into the inbox (ui/uploads.py)."""

        def initialize(self, staging: str, limit: int):
            self.staging, self.limit = Path(staging), int(limit)
            self.part: Path | None = None
            self.fh = None
            self.received = 0

        def check_xsrf_cookie(self):
            if self.request.headers.get("X-Kebekerjaan-Unggah") != "1":
                raise web.HTTPError(403, "permintaan tanpa tanda aplikasi")
            origin = self.request.headers.get("Origin")
            if origin and origin.split("://", 1)[-1] != self.request.host:
                raise web.HTTPError(403, "permintaan dari situs lain")

        async def prepare(self):
            await super().prepare()
            if self.current_user is None:
                raise web.HTTPError(403, "belum masuk")
            if self.request.method != "PUT":
                return
            token, name = self.path_args
            name = Path(name.replace("\\", "/")).name
            if not name or name.startswith(".") or len(name) > 200:
                raise web.HTTPError(400, "nama berkas tidak sah")
            size = int(self.request.headers.get("Content-Length") or 0)
            if size > self.limit:
                raise web.HTTPError(413, f"berkas lebih besar dari batas {self.limit // 1_000_000} MB")
            self.request.connection.set_max_body_size(self.limit + 1)
            folder = self.staging / token
            folder.mkdir(mode=0o700, exist_ok=True)
            self.final = folder / name
            self.part = folder / f".{name}.bagian"
            self.fh = open(self.part, "wb")

        def data_received(self, chunk: bytes) -> None:
            if self.fh is None:
                return
            self.received += len(chunk)
            if self.received > self.limit:
                self._drop()
                raise web.HTTPError(413, f"berkas lebih besar dari batas {self.limit // 1_000_000} MB")
            self.fh.write(chunk)

        @web.authenticated
        def put(self, token: str, name: str):
            self.fh.close()
            self.fh = None
            os.replace(self.part, self.final)
            self.set_header("Content-Type", "application/json")
            self.finish('{"ok": true}')

        def _drop(self) -> None:
            if self.fh is not None:
                self.fh.close()
                self.fh = None
            if self.part is not None:
                self.part.unlink(missing_ok=True)

        def on_connection_close(self) -> None:
            self._drop()  # a page closed halfway leaves no half file

        def write_error(self, status_code: int, **kwargs) -> None:
            self._drop()
            exc = kwargs.get("exc_info", (None, None))[1]
            reason = getattr(exc, "log_message", None) or f"galat {status_code}"
            self.set_header("Content-Type", "application/json")
            import json

            self.finish(json.dumps({"pesan": reason}))

    class OutputFileHandler(AuthenticatedFileHandler):
        """Reports and lists of the workspace's runs, nothing else of the computer."""

        @property
        def content_security_policy(self) -> str:
            # The wa.me pages open WhatsApp from a click; their scripts stay sandboxed.
            return super().content_security_policy + " allow-popups allow-popups-to-escape-sandbox"

        @web.authenticated
        @authorized
        def get(self, path: str, include_body: bool = True):
            # A plain read of a report: no xsrf check, so a bookmarked or pasted link opens too
            # (login still applies when a password is set).
            return web.StaticFileHandler.get(self, path, include_body=include_body)

        def write_error(self, status_code: int, **kwargs) -> None:
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.finish("Berkas tidak ditemukan." if status_code == 404 else
                        f"Berkas tidak dapat dibuka (galat {status_code}).")

        def validate_absolute_path(self, root: str, absolute_path: str) -> str:
            parts = Path(absolute_path).relative_to(Path(root).resolve()).parts \
                if Path(absolute_path).is_relative_to(Path(root).resolve()) else None
            if (not parts or any(p.startswith(".") for p in parts)
                    or not absolute_path.lower().endswith(SERVED_SUFFIXES)):
                raise web.HTTPError(404)
            return super().validate_absolute_path(root, absolute_path)

    class PageClosedHandler(VoilaShutdownKernelHandler):
        """A closed page's kernel is shut down (Voila's own beacon carries no xsrf token and is
        refused, voila-dashboards/voila#1458); login still applies, the kernel id is a UUID."""

        def check_xsrf_cookie(self):
            return None

    class LoginHandler(VoilaLoginHandler):
        def _render(self, message=None):
            after = web.escape.url_escape(self.get_argument("next", default=self.base_url))
            from kebekerjaan.ui.feedback import error_html, style_tag

            error = f"<p>{error_html('Sandi salah. Coba lagi.')}</p>" if message else ""
            self.write(
                "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
                f"<title>Masuk — Survei Kebekerjaan</title>{style_tag()}</head>"
                "<body style='font-family:sans-serif;max-width:28em;margin:4em auto'>"
                "<h2>Aplikasi Survei Kebekerjaan Alumni</h2>"
                f"<form action='{self.base_url}login?next={after}' method='post'>"
                f"{self.xsrf_form_html()}"
                "<label for='password_input'><b>Sandi</b></label><br>"
                "<input type='password' name='password' id='password_input' autofocus "
                "style='width:100%;padding:.4em;margin:.4em 0'><br>"
                "<button type='submit' id='login_submit' style='padding:.4em 1.5em'>Masuk</button>"
                f"</form>{error}</body></html>"
            )

    class StaffApp(Voila):
        outputs_dir = Unicode("").tag(config=True)
        staging_dir = Unicode("").tag(config=True)
        max_upload_bytes = Integer(100_000_000).tag(config=True)

        def setup_template_dirs(self):
            super().setup_template_dirs()
            # Our loading screen (in Indonesian) is found before Voila's.
            self.template_paths.insert(0, str(Path(__file__).parent / "halaman"))

        def init_settings(self):
            settings = super().init_settings()
            if getattr(self, "identity_provider", None) is not None:
                self.identity_provider.login_handler_class = LoginHandler
            return settings

        def init_handlers(self):
            # Before Voila's own: in single-notebook mode its catch-all "/(.*)" comes last.
            ours = [
                (url_path_join(self.server_url, FILES_PREFIX, "(.*)"), OutputFileHandler,
                 {"path": self.outputs_dir}),
                (url_path_join(self.server_url, r"/unggah/([0-9a-f]{32})/([^/]+)"), UploadHandler,
                 {"staging": self.staging_dir or tempfile.gettempdir(),
                  "limit": self.max_upload_bytes}),
                (url_path_join(self.server_url, r"/voila/render/(\w+)\.ipynb"), HomeRedirect),
                (url_path_join(self.server_url, r"/voila/tree()(/.*)?"), HomeRedirect),
                (url_path_join(self.server_url, r"/voila/api/shutdown/(.*)"), PageClosedHandler),
            ]
            return ours + super().init_handlers()

    return StaffApp
