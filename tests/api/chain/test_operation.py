"""An idempotent request's transactions are numbered in the order it sends them, from 1, and their
final states wait to be written with its answer (api.chain.operation)."""

from __future__ import annotations

from api.chain.operation import Operation


def test_steps_are_numbered_from_one_and_marks_kept_for_the_answer() -> None:
    op = Operation(7, resumed=True)
    assert [op.next_seq(), op.next_seq()] == [1, 2] and op.seq == 2
    op.marks.append(("0xa", "mined", 12))
    assert Operation(8).marks == [] and not Operation(8).resumed  # each request its own
