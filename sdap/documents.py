"""The platform's one rule for anchoring a document on-chain: its SHA-256.

Decisions to issue, rights evidence, risk notices, permits and identification files are anchored
by the sha256 of their bytes exactly as published, so anyone can check a document with
`sha256sum` and compare it with the hash in the contract's event (Law art. 5.1, 7.1). The CLI, the
gateway's decision watch and the demo all hash through this function.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def document_hash(content: bytes) -> bytes:
    """The 32-byte hash a document is anchored by."""
    return hashlib.sha256(content).digest()


def file_hash(path: str | Path) -> bytes:
    """`document_hash` of a file's bytes."""
    return document_hash(Path(path).read_bytes())
