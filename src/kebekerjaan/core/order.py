"""The order a run executes its steps in: what each step reads, not its number.

Each step notebook declares in its metadata what it reads from the store and what it
writes into it: `"kebekerjaan": {"reads": [...], "writes": [...]}`, with names such as
"alumni", "answers" or "invitations" (the step's own business; a name nobody writes is
simply read). Among the chosen steps, a step runs after every other chosen step that writes
something it reads; among the steps free to run, the lowest SOP number goes first. So the
data decide: step 7 reads what came back (answers, refusals, delivery reports) before steps
3, 4 and 5 make their lists of whom to message, while the steps keep their SOP numbers as
their names. A full run: 1, 2, 7, 3, 4, 5, 6, 8, 9.

A step run without the steps it depends on does not wait for them: steps 3, 4 and 5 read
the inbox themselves first (steps/answers/collect.read_arrivals), so a list is never made
from a store that misses what is waiting.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from kebekerjaan.core.errors import KebekerjaanError


class _Step(Protocol):
    number: int
    notebook: Path


S = TypeVar("S", bound=_Step)


@dataclass(frozen=True)
class StepData:
    """What one step notebook declares it reads from and writes into the store."""

    reads: frozenset[str] = frozenset()
    writes: frozenset[str] = frozenset()


def step_data(notebook: Path) -> StepData:
    """The `kebekerjaan.reads` / `kebekerjaan.writes` metadata of a notebook (none: empty)."""
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    declared = meta.get("kebekerjaan", {})
    return StepData(frozenset(declared.get("reads", ())), frozenset(declared.get("writes", ())))


def execution_order(steps: Sequence[S], data: dict[int, StepData] | None = None) -> list[S]:
    """`steps` in the order to run them: each after the chosen steps that write what it
    reads, otherwise lowest SOP number first. `data` (by step number) defaults to what each
    notebook declares. A loop in the declarations is a developer's error, named."""
    if data is None:
        data = {s.number: step_data(s.notebook) for s in steps}
    by_number = {s.number: s for s in steps}
    needs: dict[int, set[int]] = {n: set() for n in by_number}
    for n in by_number:
        for m in by_number:
            if m != n and data[n].reads & data[m].writes:
                needs[n].add(m)
    ready = [n for n, first in needs.items() if not first]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for m, first in needs.items():
            if n in first:
                first.discard(n)
                if not first:
                    heapq.heappush(ready, m)
    if len(order) < len(by_number):
        stuck = sorted(set(by_number) - set(order))
        raise KebekerjaanError(
            "Urutan langkah tidak dapat ditentukan: langkah "
            + ", ".join(map(str, stuck)) + " saling menunggu data satu sama lain "
            "(metadata kebekerjaan.reads/writes notebook-nya).")
    return [by_number[n] for n in order]


def order_note(numbers: Sequence[int]) -> str | None:
    """The line that tells staff the steps did not run in number order, or None if they did."""
    if list(numbers) == sorted(numbers):
        return None
    return ("Urutan langkah: " + ", ".join(map(str, numbers)) + " (yang masuk — jawaban, "
            "penolakan, laporan kirim — dibaca sebelum daftar kirim disusun).")
