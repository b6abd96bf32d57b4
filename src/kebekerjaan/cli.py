"""The `kebekerjaan` command: init, sample, run, laporan, demo, formulir, gabung, aplikasi,
pintasan.

Exit codes (a scheduled task's log and Task Scheduler's "Last Run Result" show them):
0 done; 1 failed, a problem staff can fix, the store as it was; 2 internal error, the
store as it was; 3 the run's data are saved but an output could not be made (the PDF
report: the message says what and how to make it later); 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.rules.labels import OUTPUT_GROUPS, count_label, labelled_outputs

DEMO_AS_OF = date(2026, 11, 27)
EXIT_OK, EXIT_FAILED, EXIT_INTERNAL, EXIT_SAVED_WITH_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_WORKSPACE_HELP = ("folder kerja (bawaan: KEBEKERJAAN_WORKSPACE, folder repositori, folder ini bila "
                   "berisi kebekerjaan.toml, atau Dokumen/kebekerjaan)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"tanggal '{text}' tidak sah; tulis sebagai TTTT-BB-HH, mis. 2026-11-27"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The `kebekerjaan` command line (also read by tests/test_docs.py, which checks that
    every command the docs name exists)."""
    p = argparse.ArgumentParser(
        prog="kebekerjaan",
        description="Survey Kebekerjaan Alumni Pelatihan (SOP KDI/PM/09): langkah demi langkah.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    s = sub.add_parser("init", help="siapkan folder kerja baru (folder masuk, basis data, pengaturan)")
    s.add_argument("folder", type=Path)

    s = sub.add_parser("sample", help="tulis data contoh sintetis ke folder kerja")
    s.add_argument("folder", type=Path)
    s.add_argument("--alumni", type=int, default=400, help="kira-kira jumlah baris alumni")
    s.add_argument("--seed", type=int, default=2026, help="benih acak (hasil sama untuk benih sama)")
    s.add_argument("--as-of", type=_date, default=DEMO_AS_OF, help="tanggal acuan data contoh")
    s.add_argument("--bpvp", default=None,
                   help='nama singkat BPVP contoh, mis. "BPVP Makassar" ([institution] short_name)')

    s = sub.add_parser("run", help="jalankan notebook langkah SOP dengan papermill")
    s.add_argument("--workspace", type=Path, default=None, help=_WORKSPACE_HELP)
    s.add_argument("--as-of", type=_date, default=None, help="tanggal acuan (bawaan: hari ini)")
    s.add_argument("--steps", default=None, help="nomor langkah dipisah koma, mis. 1,7,8")
    s.add_argument("--periode", default=None,
                   help="periode ringkasan jawaban (langkah 6), rekap dan laporan: caturwulan "
                        "(mis. 2026-III) atau tahun (mis. 2026); bawaan: caturwulan tanggal acuan")
    s.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")

    s = sub.add_parser("laporan", help="buat ulang laporan PDF dan HTML dari proses yang sudah "
                                       "selesai (mis. setelah PDF gagal dibuat)")
    s.add_argument("--workspace", type=Path, default=None, help=_WORKSPACE_HELP)
    s.add_argument("--proses", default=None, metavar="ID_PROSES",
                   help="id proses (nama foldernya di outputs/, mis. 20261127-070000); bawaan: "
                        "proses berhasil terbaru yang membuat laporan")

    s = sub.add_parser("aplikasi", help="buka halaman petugas di peramban (Voila), tanpa kode")
    s.add_argument("--workspace", type=Path, default=None, help=_WORKSPACE_HELP)
    s.add_argument("--host", default=None,
                   help="alamat yang didengarkan (bawaan: [aplikasi] host, 127.0.0.1); selain "
                        "komputer ini wajib ada [aplikasi] password")
    s.add_argument("--port", type=int, default=None, help="port (bawaan: [aplikasi] port, 8866)")
    s.add_argument("--as-of", type=_date, default=None, help="tanggal acuan (bawaan: hari ini)")
    s.add_argument("--buka", action="store_true",
                   help="buka aplikasi di peramban begitu siap (pintasan desktop memakainya)")

    s = sub.add_parser("pintasan", help="buat pembuka aplikasi, skrip proses terjadwal dan "
                                        "pintasan desktop untuk instalasi ini")
    s.add_argument("--workspace", type=Path, default=None, help=_WORKSPACE_HELP)
    s.add_argument("--conda", type=Path, default=None,
                   help="conda yang menjalankan lingkungan ini (bawaan: CONDA_EXE, atau conda "
                        "milik lingkungan ini); tanpa conda: program kebekerjaan lingkungan ini")
    s.add_argument("--desktop", type=Path, default=None,
                   help="folder Desktop untuk pintasannya (bawaan: Desktop pengguna)")

    s = sub.add_parser("formulir", help="tulis skrip Google Apps Script yang membuat Google Form "
                                        "survei dari kuesioner")
    s.add_argument("--workspace", type=Path, default=None,
                   help=_WORKSPACE_HELP + "; skrip ditulis di outputs/formulir/")

    s = sub.add_parser("gabung", help="gabungkan basis data beberapa BPVP ke satu folder kerja "
                                      "nasional")
    s.add_argument("sumber", type=Path, nargs="+", metavar="FOLDER_BPVP",
                   help="folder kerja tiap BPVP (nama BPVP dari [institution] short_name-nya)")
    s.add_argument("--ke", type=Path, required=True, metavar="FOLDER_NASIONAL",
                   help="folder kerja nasional (dibuat bila belum ada)")

    s = sub.add_parser("demo", help="data contoh + seluruh proses di folder sementara")
    s.add_argument("folder", type=Path, nargs="?", default=None)
    s.add_argument("--alumni", type=int, default=400)
    s.add_argument("--seed", type=int, default=2026)
    return p


def main(argv: list[str] | None = None) -> int:
    """Every command ends with an Indonesian message, never a traceback: a problem staff
    can fix is named with what to do; anything else points to a log with the details. The
    exit code and the last message say what became of the store (module docstring)."""
    from kebekerjaan.core.console import safe_streams

    safe_streams()  # a cp1252 or ASCII console or log file never kills a finished run
    args = build_parser().parse_args(argv)
    args.saved = []  # runs whose store changes are kept, as they finish
    try:
        return _dispatch(args)
    except KebekerjaanError as exc:
        print(f"GAGAL: {exc}{_saved_before(args)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"GAGAL: dihentikan oleh pengguna (Ctrl-C).{_saved_before(args)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence for staff
        from kebekerjaan.core.errors import describe_storage_error, storage_problem

        if storage_problem(exc):
            print(f"GAGAL: {describe_storage_error(exc)}{_saved_before(args)}", file=sys.stderr)
            return EXIT_FAILED
        log = _write_error_log(args, exc)
        where = f" Rincian teknis untuk pengembang: {log}" if log else ""
        if args.saved:
            print(f"PERHATIAN: terjadi galat internal ({type(exc).__name__}) setelah proses "
                  f"{', '.join(args.saved)} selesai. Data proses itu sudah tersimpan di basis data "
                  f"dan hasilnya ada di folder outputs/; yang gagal hanya langkah sesudahnya.{where}",
                  file=sys.stderr)
            return EXIT_SAVED_WITH_PROBLEMS
        print(f"GAGAL: terjadi galat internal ({type(exc).__name__}). Basis data tidak diubah "
              f"oleh proses yang gagal.{where}", file=sys.stderr)
        return EXIT_INTERNAL


def _saved_before(args) -> str:
    """For a failure after an earlier run of the same command (the demo) was kept."""
    if not getattr(args, "saved", None):
        return ""
    return f" (Proses sebelumnya, {', '.join(args.saved)}, sudah selesai dan tersimpan.)"


def _write_error_log(args, exc: BaseException) -> Path | None:
    """The traceback, in the workspace's private data folder (it may quote personal data)."""
    import traceback
    from datetime import datetime

    from kebekerjaan.core.config import default_workspace

    root = getattr(args, "workspace", None) or getattr(args, "folder", None) or default_workspace()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for folder in (Path(root) / "data" / "log", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"galat-{datetime.now():%Y%m%d-%H%M%S}.log"
            path.write_text(f"kebekerjaan {' '.join(sys.argv[1:])}\n{text}", encoding="utf-8")
            path.chmod(0o600)  # a traceback may quote personal data
            return path
        except OSError:
            continue
    return None


def _dispatch(args) -> int:
    from kebekerjaan.core.workspace import init_workspace, open_workspace

    if args.command == "init":
        ws = init_workspace(args.folder)
        print(f"Folder kerja siap: {ws.root}")
        print(f"  taruh ekspor SIAPkerja di: {ws.inbox('alumni')}")
        print(f"  pengaturan: {ws.config_path}")
        return 0
    if args.command == "sample":
        from kebekerjaan.demo.sample import write_sample

        ws = init_workspace(args.folder)
        if args.bpvp:
            from kebekerjaan.core.merge import set_institution

            set_institution(ws.config_path, name=_full_bpvp_name(args.bpvp), short_name=args.bpvp)
        paths = write_sample(ws.root, n_alumni=args.alumni, seed=args.seed, as_of=args.as_of)
        print(f"Data contoh sintetis ditulis ke {ws.root}:")
        for path in paths:
            print(f"  {path}")
        return 0
    if args.command == "run":
        ws = open_workspace(args.workspace)
        return _run(ws, args.as_of, args.steps, progress=not args.no_progress, periode=args.periode,
                    saved=args.saved)
    if args.command == "laporan":
        return _laporan(open_workspace(args.workspace), args.proses)
    if args.command == "pintasan":
        from kebekerjaan.ui.app.launcher import make_launchers

        make_launchers(args.workspace, conda=args.conda, desktop=args.desktop)
        return EXIT_OK
    if args.command == "gabung":
        return _gabung(args.sumber, args.ke)
    if args.command == "demo":
        return _demo(args)
    if args.command == "aplikasi":
        from kebekerjaan.ui.app.server import serve

        serve(open_workspace(args.workspace), host=args.host, port=args.port, as_of=args.as_of,
              open_browser=args.buka)
        return EXIT_OK
    if args.command == "formulir":
        from kebekerjaan.steps.answers.formulir import write_form_script

        script, howto = write_form_script(open_workspace(args.workspace))
        print(f"Skrip pembuat Google Form ditulis: {script}")
        print(f"Cara memakainya (3 langkah): {howto}")
        print("Ringkasnya: tempel skrip di https://script.google.com, jalankan buatFormulir sekali,")
        print("lalu salin baris form_link, prefill_link dan code_entry dari Log eksekusi ke")
        print("kebekerjaan.toml bagian [survey].")
        return 0
    raise AssertionError(args.command)


def _run(ws, as_of, steps, progress: bool, periode: str | None = None,
         saved: list | None = None) -> int:
    from kebekerjaan.core.runner import StepFailed, run
    from kebekerjaan.rules.periods import resolve_period

    if periode:
        resolve_period(periode, date.today())  # a typo stops the run before step 1
    try:
        result = run(ws, as_of=as_of, steps=steps, progress=progress, periode=periode)
    except StepFailed as exc:  # what the steps before the failure read still matters
        manifest = exc.executed.parent.parent / "manifest.json"
        if manifest.exists():
            for step in json.loads(manifest.read_text(encoding="utf-8"))["steps"]:
                for line in unread_lines(step.get("inputs", [])):
                    print(f"Langkah {step['step']}: {line}", file=sys.stderr)
        raise
    if saved is not None:
        saved.append(result.run_dir.name)
    _report(result)
    return EXIT_SAVED_WITH_PROBLEMS if result.problems else EXIT_OK


def _laporan(ws, run_id: str | None) -> int:
    from kebekerjaan.core.publish import render_again
    run_dir, written, problems = render_again(ws, run_id)
    for _, label, path in labelled_outputs(written):
        print(f"{label}: {path}")
    if problems:
        raise KebekerjaanError(f"Laporan proses {run_dir.name} belum lengkap: " + " ".join(problems))
    print(f"Laporan proses {run_dir.name} dibuat ulang. Basis data tidak diubah.")
    return EXIT_OK


def _full_bpvp_name(short: str) -> str:
    short = short.strip()
    if short.upper().startswith("BPVP "):
        return "Balai Pelatihan Vokasi dan Produktivitas " + short[5:].strip()
    return short


def _gabung(sources: list[Path], dest: Path) -> int:
    from kebekerjaan.core.merge import MERGED, merge_workspaces

    report = merge_workspaces(sources, dest, progress=True)
    for m in report:
        print(m.summary())
        if m.status == MERGED:
            print("  " + " · ".join(f"{k} {v}" for k, v in m.counts.items() if v))
    if report.conflicts:
        review = _write_merge_conflicts(report)
        print(f"\n{len(report.conflicts)} data perlu ditinjau (NIK yang sama dengan nama atau nomor "
              f"HP berbeda di BPVP lain, atau kode responden kembar): {review}")
    if report.manifest:
        print(f"\nRingkasan penggabungan: {report.manifest}")
    print(f"Folder kerja nasional: {Path(dest).resolve()}")
    print("  jalankan: kebekerjaan run --workspace "
          f"{Path(dest).resolve()} --steps 7,8,9 (jawaban dicocokkan dan direkap per BPVP)")
    if report.stopped:
        print(f"GAGAL: penggabungan berhenti: {report.stopped}", file=sys.stderr)
        return 1
    if report.refused:
        print(f"PERHATIAN: {len(report.refused)} dari {len(report)} BPVP tidak digabung (alasannya "
              "di atas); yang lain sudah digabung.", file=sys.stderr)
        return 1
    return 0


def _write_merge_conflicts(report) -> Path:
    """The merge's conflicts as a spreadsheet for staff, beside its manifest."""
    import pandas as pd

    from kebekerjaan.io.excel import write_workbook

    frame = pd.DataFrame(report.conflicts).rename(columns={
        "jenis": "Jenis", "nik": "NIK", "kolom": "Kolom", "nilai_nasional": "Nilai di data nasional",
        "bpvp_lain": "BPVP lain dengan NIK ini", "nilai_bpvp_ini": "Nilai dari BPVP ini",
        "bpvp": "BPVP ini", "dipakai": "Dipakai"})
    return write_workbook(report.run_dir / "tinjau_gabungan.xlsx", {"Perlu ditinjau": frame})


def _report(result) -> None:
    """The run summary, steps in the order they ran (what a step says of today's answers
    follows the step that read them), each named by its SOP number."""
    from kebekerjaan.core.order import order_note

    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    print()
    note = order_note(manifest.get("parameters", {}).get("order", []))
    if note:
        print(note)
    for step in manifest["steps"]:
        print(f"Langkah {step['step']} ({step['notebook']}): {step['status']}, "
              f"{step['duration_s']:.1f} detik")
        counts = [f"{count_label(k)} {v}"
                  for k, v in step.get("counts", {}).items() if isinstance(v, int)]
        if counts:
            print("  " + " · ".join(counts))
        for line in unread_lines(step.get("inputs", [])):
            print("  " + line)
        # Notes name what staff must know: how each file's columns were read, columns
        # not used, settings to fix.
        for note in step.get("notes", []):
            print(f"  - {note}")
    print(f"\nProses selesai. Folder hasil: {result.run_dir}")
    # The files by what they are for, the same list the staff app shows (rules/labels.py).
    group = None
    for kind, label, path in labelled_outputs(result.produced):
        if kind != group:
            group = kind
            print(f"  {OUTPUT_GROUPS[kind]}:")
        print(f"    {label}: {path}")
    print(f"  Manifest: {result.manifest}")
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    for line in manifest.get("output_notes", []):
        print(f"  - {line}")
    if result.problems:
        print("\nPERHATIAN: data proses ini sudah tersimpan, tetapi ada hasil yang belum dibuat:")
        for problem in result.problems:
            print(f"  - {problem}")
        if manifest.get("rerender"):
            print(f"  Setelah masalahnya diatasi, buat laporannya lagi dengan: {manifest['rerender']}")


def unread_lines(inputs: list[dict]) -> list[str]:
    """Each file a step refused or could not read, with its reason (never just a count)."""
    labels = {"failed": "ditolak", "unread": "tidak dibaca"}
    return [f"! berkas {i.get('file', '?')} {labels[i['status']]}: {i.get('message') or '-'}"
            for i in inputs if i.get("status") in labels]


def _demo(args) -> int:
    """Sample data, then the SOP steps as an office would run them over nine days.

    Nine days before the demo date staff collected the alumni data and sent the survey
    invitations (steps 1 and 4), with the inbox as it was that morning: the form and chat
    exports of that day, whose answers step 4 reads before inviting anyone. Since then the
    later exports came in, two answers came by phone and were typed in (step 6 happens in
    JupyterLab, which a demo cannot click through), the blast app's delivery report came
    back (failed numbers get no reminder), alumni answered through their personal links
    (matched by code, one code mistyped, one "tidak bersedia") and staff recorded one
    refusal by phone. On the demo date the other steps run, step 7 before the lists of
    steps 3-5: nobody who answered or refused is messaged, and the report shows answers
    from all three paths (form, WhatsApp group, typed in).
    """
    from kebekerjaan.core.runner import available_steps, run
    from kebekerjaan.core.workspace import init_workspace
    from kebekerjaan.demo.answers import (
        inbox_as_on,
        simulate_link_answers,
        simulate_staff_entries,
        use_sample_links,
    )
    from kebekerjaan.demo.sample import use_sample_target, write_sample

    folder = args.folder or Path(tempfile.mkdtemp(prefix="kebekerjaan-demo-"))
    ws = init_workspace(folder)
    write_sample(ws.root, n_alumni=args.alumni, seed=args.seed, as_of=DEMO_AS_OF)
    use_sample_links(ws.config_path)  # personal links with the codes in them
    use_sample_target(ws.config_path)  # a target for the report's target against realisation
    print(f"Folder kerja demo (data sintetis): {ws.root}")
    earlier = DEMO_AS_OF - timedelta(days=9)
    later = inbox_as_on(ws, earlier)  # what came in after that morning waits aside
    print(f"\n== {earlier:%d-%m-%Y}: data alumni dihimpun dan undangan survei disiapkan ==")
    first = run(ws, as_of=earlier, steps="1,4", progress=True)
    args.saved.append(first.run_dir.name)
    _report(first)
    arrived = later.arrive()
    print(f"\nSejak itu masuk {len(arrived)} berkas: ekspor formulir dan obrolan WhatsApp yang lebih "
          "baru, daftar lowongan.")
    names = simulate_staff_entries(ws, DEMO_AS_OF)
    print(f"Contoh langkah 6: petugas mencatat {len(names)} jawaban yang diterima lewat "
          f"telepon ({', '.join(names)}).")
    after = simulate_link_answers(ws, earlier, DEMO_AS_OF, seed=args.seed)
    if after:
        print(f"Sejak undangan: laporan kirim aplikasi blast masuk ({after['failed']} nomor gagal, "
              f"{after['not_on_whatsapp']} bukan pengguna WhatsApp); {after['link_answers']} "
              f"alumni menjawab lewat tautan pribadi (1 kode salah ketik, 1 tidak bersedia); "
              f"{after['refusals']} penolakan dicatat petugas lewat telepon.")
    rest = ",".join(str(s.number) for s in available_steps() if s.number != 1)
    print(f"\n== {DEMO_AS_OF:%d-%m-%Y}: langkah {rest} ==")
    second = run(ws, as_of=DEMO_AS_OF, steps=rest, progress=True)
    args.saved.append(second.run_dir.name)
    _report(second)
    print(f"\nHalaman petugas (tanpa kode) untuk folder ini: kebekerjaan aplikasi --workspace {ws.root} "
          f"--as-of {DEMO_AS_OF.isoformat()}")
    return EXIT_SAVED_WITH_PROBLEMS if first.problems or second.problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
