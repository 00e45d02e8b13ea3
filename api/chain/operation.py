"""The idempotent request a transaction is sent for, passed down explicitly from api.idempotency
to whatever sends (api.chain.writer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.chain.journal import Mark


@dataclass
class Operation:
    """One claimed Idempotency-Key being served: its record id, whether it resumes an interrupted
    attempt (only then can the journal hold its transactions already), how many transactions it
    has sent, and their final states, written with the request's answer in one database
    transaction rather than one each."""

    idempotency_id: int
    resumed: bool = False
    seq: int = 0
    marks: list[Mark] = field(default_factory=list)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq
