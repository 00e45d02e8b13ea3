"""How a document is anchored on-chain (sdap/documents.py): the SHA-256 of its bytes, as
`sha256sum` prints it."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from sdap.documents import document_hash, file_hash


def test_a_document_is_anchored_by_the_sha256_of_its_bytes(tmp_path: Path) -> None:
    content = b"Decision No. 7 to issue 1,000 units\n"
    path = tmp_path / "decision.pdf"
    path.write_bytes(content)
    assert document_hash(content) == hashlib.sha256(content).digest() == file_hash(path) == file_hash(str(path))
    printed = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout
    assert printed.split()[0] == file_hash(path).hex()
