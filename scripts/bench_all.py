"""Run the benchmarks and, with --write, turn what they print into docs/dev/benchmarks.md.

The figures in the developers' guide are never typed in by hand: this script runs each
benchmark script, shows its output as it comes, and writes the page with the date, the
machine, its load and each script's output verbatim.

    .venv/bin/python scripts/bench_all.py                      # the quick ones (make bench)
    .venv/bin/python scripts/bench_all.py --write docs/dev/benchmarks.md
    .venv/bin/python scripts/bench_all.py --national --write docs/dev/benchmarks.md

The quick benchmarks take a few minutes; --national (make bench-national) runs the
national-scale ones instead, which take long (a million alumni, built once and cached in
$TMPDIR). Writing the page replaces only the section of what was run: the national section
stays as it was last captured until the national benchmarks run again.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Bench:
    title: str
    argv: tuple[str, ...]  # the script under scripts/ and its arguments

    @property
    def command(self) -> str:
        return "python scripts/" + " ".join(self.argv)

    def summary(self) -> str:
        """The script's own description: the first paragraph of its docstring."""
        text = (ROOT / "scripts" / self.argv[0]).read_text(encoding="utf-8")
        doc = re.match(r'\s*"""(.*?)"""', text, re.S)
        first = doc.group(1).strip().split("\n\n")[0] if doc else ""
        return " ".join(first.split())


QUICK = (
    Bench("Intake of SIAPkerja exports", ("bench_intake.py",)),
    Bench("Survey answers: chat parsing, classification, forms, matching",
          ("bench_answers.py",)),
    Bench("WhatsApp replies read right (held-out corpus, blind sets G to P)",
          ("bench_wa.py",)),
    Bench("Blast delivery reports and respondent codes", ("bench_delivery.py",)),
    Bench("Recap (step 8) and its workbooks", ("bench_recap.py",)),
    Bench("Pre-run copy and restore of the store", ("bench_snapshot.py",)),
    Bench("Staff app in Chromium: click to content, memory, closed tabs", ("bench_app.py",)),
)
NATIONAL = (
    Bench("Steps 7-9 on a national store, and the whole pipeline", ("bench_national.py",)),
    Bench("Matching cost per answer at national scale",
          ("bench_answers.py", "--lines", "--rows", "--match", "0", "--match-scale", "100000",
           "1000000", "3000000", "--match-alumni", "1000000")),
)
SECTIONS = {"quick": QUICK, "national": NATIONAL}
HEADINGS = {
    "quick": "Quick benchmarks (`make bench`)",
    "national": "National benchmarks (`make bench-national`)",
}


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 ** 2:.0f} GB memory"
    except (OSError, AttributeError):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    return [
        f"{cpu}, {os.cpu_count()} cores{memory}",
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"code at commit {commit}",
    ]


def load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # pragma: no cover - Windows
        return "?"


def run(bench: Bench) -> str:
    """Run one benchmark, echoing its output, and return it with its wall time and load."""
    print(f"\n== {bench.title}: {bench.command}", flush=True)
    before, start = load(), time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / bench.argv[0]),
                             *bench.argv[1:]], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip())
    status = proc.wait()
    took = time.perf_counter() - start
    tail = (f"[{took:.0f} s wall; load average {before} at the start, {load()} at the end"
            + (f"; EXIT STATUS {status}" if status else "") + "]")
    return "\n".join(lines + [tail])


def section(kind: str, outputs: list[str], when: str) -> str:
    parts = [f"<!-- bench:{kind} start -->", f"## {HEADINGS[kind]}", "",
             f"Captured {when}.", ""]
    for bench, output in zip(SECTIONS[kind], outputs):
        parts += [f"### {bench.title}", "", f"`{bench.command}`: {bench.summary()}", "",
                  "```text", output, "```", ""]
    parts.append(f"<!-- bench:{kind} end -->")
    return "\n".join(parts)


def not_captured(kind: str) -> str:
    commands = "\n".join(f"    {b.command}" for b in SECTIONS[kind])
    return (f"<!-- bench:{kind} start -->\n## {HEADINGS[kind]}\n\nNot captured yet. "
            f"Run `python scripts/bench_all.py{' --national' if kind == 'national' else ''} "
            f"--write docs/dev/benchmarks.md`; it runs:\n\n{commands}\n\n<!-- bench:{kind} end -->")


def page(previous: str, kind: str, new_section: str) -> str:
    kept = {}
    for other in SECTIONS:
        found = re.search(rf"<!-- bench:{other} start -->.*?<!-- bench:{other} end -->",
                          previous, re.S)
        kept[other] = found.group(0) if found else not_captured(other)
    kept[kind] = new_section
    head = (
        "# Benchmarks\n\n"
        "<!-- Generated by scripts/bench_all.py; do not edit by hand: run the script. -->\n"
        "Every figure on this page is what a benchmark script printed, written here by\n"
        "`scripts/bench_all.py --write docs/dev/benchmarks.md` (quick ones) or with `--national`\n"
        "(national ones); each section says when and on which machine. Wall times on a shared\n"
        "machine move with its load (given before and after each script): compare figures of\n"
        "one capture with each other and with their baselines, not across captures. Tests never\n"
        "assert speed; each script prints its targets beside its figures.\n"
    )
    return head + "\n" + "\n\n".join(kept[k] for k in SECTIONS) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true",
                        help="run the national-scale benchmarks (long) instead of the quick ones")
    parser.add_argument("--write", type=Path, default=None, metavar="PAGE",
                        help="write the figures into this Markdown page (docs/dev/benchmarks.md)")
    args = parser.parse_args(argv)
    kind = "national" if args.national else "quick"
    started = datetime.now().astimezone()
    outputs = [run(bench) for bench in SECTIONS[kind]]
    if args.write:
        when = (f"{started:%Y-%m-%d %H:%M %Z} on " + "; ".join(machine()))
        previous = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(page(previous, kind, section(kind, outputs, when)), encoding="utf-8")
        print(f"\nwritten: {args.write}")
    return 1 if any("EXIT STATUS" in out.rsplit("\n", 1)[-1] for out in outputs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
