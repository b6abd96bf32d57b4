"""The staff app in Chromium: page content after a menu click on a warm server (median of 5
per page, target 1 s), beside Voila's own start time and a tab's first page; the memory of
one tab's kernel however many pages it visits (target under 250 MB); kernels left alive;
how soon a closed tab's kernel is gone (closed as a person does, and vanished without a
word, as after a crash).

Serves `kebekerjaan aplikasi` on a sample workspace (200 alumni, alumni and answers
imported; built once in the folder given) and drives it with Playwright on
/usr/bin/chromium. Prints figures only; nothing here is asserted.

    .venv/bin/python scripts/bench_app.py                 # workspace in $TMPDIR
    .venv/bin/python scripts/bench_app.py /tmp/ws-app --rounds 5 --soak 20
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import psutil

AS_OF = date(2026, 11, 27)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Something inside each page's own widgets (not the menu or the heading): the page's content.
CONTENT = {
    "beranda": ".kb-kartu",
    "alumni": "text=Alumni per kejuruan dan tahun",
    "lowongan": "text=Lowongan yang masih buka",
    "jawaban": "text=Jawaban caturwulan ini",
    "tinjauan": ".kb-tinjauan .kb-kartu-jawaban",
    "pemetaan": ".kb-unggah-respons",
    "berkas": "text=Setiap jenis berkas punya folder masuk sendiri",
    "proses": ".kb-jalankan",
}


def prepare(folder: Path):
    from kebekerjaan.core.context import StepContext
    from kebekerjaan.core.workspace import Workspace, init_workspace

    if (folder / "kebekerjaan.toml").exists() and (folder / "data" / "kebekerjaan.sqlite").exists():
        return Workspace(folder)
    from kebekerjaan.demo.sample import write_sample
    from kebekerjaan.steps.alumni import collect_alumni
    from kebekerjaan.steps.answers.collect import collect_answers

    ws = init_workspace(folder)
    write_sample(ws.root, n_alumni=200, seed=11, as_of=AS_OF)
    setup = ws.outputs / "persiapan"
    collect_alumni(StepContext(ws, AS_OF, setup))
    collect_answers(StepContext(ws, AS_OF, setup))
    return ws


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernels(server: psutil.Process) -> list[psutil.Process]:
    found = []
    for p in server.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(p.cmdline()):
                found.append(p)
        except psutil.NoSuchProcess:
            pass
    return found


def rss_mb(proc: psutil.Process) -> float:
    try:
        return proc.memory_info().rss / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


def waiting(kernel: psutil.Process, port: int) -> bool:
    """A preheated kernel is ready once it waits for its request: it then holds a websocket
    to the server (/voila/query/<id>)."""
    try:
        return any(c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
                   for c in kernel.net_connections(kind="tcp"))
    except psutil.Error:
        return False


def wait_pool(server: psutil.Process, port: int, busy: set[int], timeout: float = 180) -> float:
    """Seconds until a kernel other than the tabs' (`busy`) waits ready for the next tab."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if any(k.pid not in busy and waiting(k, port) for k in kernels(server)):
            return time.monotonic() - t0
        time.sleep(0.2)
    raise TimeoutError("no preheated kernel became ready")


def start(ws, port: int, log: Path) -> tuple[subprocess.Popen, float]:
    """The server, and Voila's own start time: launch to its first HTTP answer."""
    t0 = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "kebekerjaan", "aplikasi", "--workspace", str(ws.root),
         "--port", str(port), "--as-of", AS_OF.isoformat()],
        stdout=open(log, "w"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/", timeout=2)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if server.poll() is not None:
                sys.exit("aplikasi did not start:\n" + log.read_text())
            time.sleep(0.05)
    return server, time.monotonic() - t0


def gone_after(server: psutil.Process, pid: int, timeout: float = 120) -> float:
    t0 = time.monotonic()
    while any(k.pid == pid for k in kernels(server)):
        if time.monotonic() - t0 > timeout:
            return float("inf")
        time.sleep(0.1)
    return time.monotonic() - t0


def tab_kernel(server: psutil.Process, before: set[int], port: int) -> psutil.Process:
    """The kernel a tab took: it was the waiting one, so it no longer waits for a request."""
    for k in kernels(server):
        if k.pid in before and not waiting(k, port):
            return k
    (k,) = [k for k in kernels(server) if k.pid in before] or [None]
    return k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path,
                        default=Path(tempfile.gettempdir()) / "kebekerjaan-bench-app")
    parser.add_argument("--rounds", type=int, default=5, help="clicks per page (median of these)")
    parser.add_argument("--soak", type=int, default=20,
                        help="rounds of every page for the memory figure (after --rounds)")
    parser.add_argument("--no-vanish", action="store_true",
                        help="skip the tab that vanishes without its beacon (waits for the culler)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from kebekerjaan.ui.app.pages import PAGES

    ws = prepare(args.folder)
    port = free_port()
    log = args.folder / "bench_app.log"
    server, started = start(ws, port, log)
    proc = psutil.Process(server.pid)
    base = f"http://127.0.0.1:{port}"
    captions = dict(PAGES)
    try:
        ready = wait_pool(proc, port, set())
        print(f"Voila start (launch -> first HTTP answer): {started:.2f} s; "
              f"first preheated kernel ready {ready:.1f} s later")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            context.set_default_timeout(120_000)
            # A first tab fills the browser cache (Voila's scripts), as any second visit has.
            warm = context.new_page()
            warm.goto(base + "/")
            warm.locator(CONTENT["beranda"]).wait_for()
            warm.close(run_before_unload=True)
            wait_pool(proc, port, set())
            waiting_pids = {k.pid for k in kernels(proc) if waiting(k, port)}

            page = context.new_page()
            t0 = time.monotonic()
            page.goto(base + "/")
            page.locator(CONTENT["beranda"]).wait_for()
            first = time.monotonic() - t0
            kernel = tab_kernel(proc, waiting_pids, port)
            print(f"a tab's first page (address typed -> content, warm kernel, browser cache warm): "
                  f"{first:.2f} s")
            wait_pool(proc, port, {kernel.pid})  # the pool refilled: the server is warm again

            def click(name: str) -> float:
                t = time.monotonic()
                page.locator(f".kb-nav-{name}").click()
                page.locator(CONTENT[name]).first.wait_for(state="visible")
                return time.monotonic() - t

            names = [n for n, _ in PAGES if n != "beranda"] + ["beranda"]
            times: dict[str, list[float]] = {n: [] for n in names}
            for _ in range(args.rounds):
                for name in names:
                    times[name].append(click(name))
            print(f"\nmenu click -> page content (warm server, Chromium), median of {args.rounds}"
                  " (first visit builds the page; later ones reuse it):")
            print(f"  {'page':<20} {'median':>7} {'first':>7} {'worst':>7}")
            for name in names:
                t = times[name]
                print(f"  {captions[name]:<20} {statistics.median(t):6.2f}s {t[0]:6.2f}s {max(t):6.2f}s")
            every = [x for t in times.values() for x in t]
            print(f"  all {len(every)} clicks: median {statistics.median(every):.2f} s, "
                  f"worst {max(every):.2f} s; target: content within 1 s")

            memory = [rss_mb(kernel)]
            for _ in range(args.soak):
                for name in names:
                    click(name)
                memory.append(rss_mb(kernel))
            visits = len(every) + args.soak * len(names)
            print(f"\none tab's kernel RSS: {memory[0]:.0f} MB after {len(every)} pages, "
                  f"{memory[-1]:.0f} MB after {visits} pages (max {max(memory):.0f} MB); "
                  f"target under 250 MB")
            alive = kernels(proc)
            print(f"kernels alive with one tab open: {len(alive)} (the tab's + "
                  f"{len(alive) - 1} preheated waiting for the next tab), "
                  f"{sum(rss_mb(k) for k in alive):.0f} MB together; server "
                  f"{rss_mb(proc):.0f} MB; new browser tabs opened by the menu: "
                  f"{len(context.pages) - 1}")

            pid = kernel.pid
            page.close(run_before_unload=True)  # what closing a tab does: the beacon is sent
            print(f"\ntab closed (beacon): its kernel gone after {gone_after(proc, pid):.1f} s")
            if not args.no_vanish:
                wait_pool(proc, port, set())
                waiting_pids = {k.pid for k in kernels(proc) if waiting(k, port)}
                lost = context.new_page()
                lost.goto(base + "/?halaman=alumni")
                lost.locator(CONTENT["alumni"]).wait_for()
                pid = tab_kernel(proc, waiting_pids, port).pid
                context.close()  # no beforeunload: like a crash or a lost network
                print(f"tab vanished (no beacon): its kernel gone after {gone_after(proc, pid):.1f} s "
                      "(the culler; target within a minute)")
            browser.close()
    finally:
        server.send_signal(2)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
