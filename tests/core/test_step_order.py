"""The runner's order: what each step reads decides, not its number (core/order.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.order import StepData, execution_order, order_note, step_data
from kebekerjaan.core.runner import available_steps, select_steps


def numbers(spec: str | None) -> list[int]:
    return [s.number for s in execution_order(select_steps(spec, available_steps()))]


def test_a_full_run_reads_what_came_back_before_any_list_of_whom_to_message():
    assert numbers(None) == [1, 2, 7, 3, 4, 5, 6, 8, 9]


@pytest.mark.parametrize("spec, order", [
    ("3,4,5,7", [7, 3, 4, 5]),   # the lists after the answers, refusals and delivery reports
    ("5,7", [7, 5]),
    ("4,5", [4, 5]),             # invitations of the day before the reminders (5 reads them)
    ("1,4", [1, 4]),             # the demo's early run: alumni first
    ("7,8,9", [7, 8, 9]),        # `kebekerjaan gabung` tells staff to run these
    ("9,8", [8, 9]),
    ("6,7", [7, 6]),             # step 6's overview shows the answers read today
])
def test_a_subset_keeps_the_order_its_data_ask_for(spec, order):
    assert numbers(spec) == order


def test_every_step_notebook_declares_what_it_reads_and_writes():
    steps = available_steps()
    declared = {s.number: step_data(s.notebook) for s in steps}
    assert all(d.reads or d.writes for d in declared.values()), declared
    written = set().union(*(d.writes for d in declared.values()))
    # Each thing a step reads is either written by a step or comes from nowhere in a run
    # (nothing does today): a typo in a name would silently drop an ordering.
    assert set().union(*(d.reads for d in declared.values())) <= written


@dataclass(frozen=True)
class Fake:
    number: int
    notebook: Path = Path("-")


def test_without_data_the_sop_numbers_decide():
    steps = [Fake(3), Fake(1), Fake(2)]
    assert [s.number for s in execution_order(steps, {n: StepData() for n in (1, 2, 3)})] == [1, 2, 3]


def test_a_loop_in_the_declarations_is_named_not_run():
    data = {1: StepData(reads=frozenset({"b"}), writes=frozenset({"a"})),
            2: StepData(reads=frozenset({"a"}), writes=frozenset({"b"})),
            3: StepData()}
    with pytest.raises(KebekerjaanError, match="langkah 1, 2 saling menunggu"):
        execution_order([Fake(1), Fake(2), Fake(3)], data)


def test_staff_are_told_when_steps_ran_out_of_number_order():
    assert order_note([1, 2, 3]) is None
    note = order_note([1, 2, 7, 3, 4, 5, 6, 8, 9])
    assert note.startswith("Urutan langkah: 1, 2, 7, 3, 4, 5, 6, 8, 9")
    assert "dibaca sebelum daftar kirim disusun" in note
