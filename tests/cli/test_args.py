"""The shared arguments: points in time, document hashes and the SDK's enums by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from sdap.cli._args import document_hash, named, names, parse_time, show_time
from sdap.documents import file_hash
from sdap.errors import InvalidArgument
from sdap.types import AssetCategory, Role


def now() -> int:
    return 1_800_000_000


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("1893456000", 1_893_456_000),
        ("2030-01-01", 1_893_456_000),
        ("2030-01-01T00:00:00Z", 1_893_456_000),
        ("2030-01-01T05:00:00+05:00", 1_893_456_000),
        ("+90s", 1_800_000_090),
        ("+2h", 1_800_007_200),
        ("+30d", 1_800_000_000 + 30 * 86_400),
        ("+1y", 1_800_000_000 + 365 * 86_400),
    ],
)
def test_times(text: str, seconds: int) -> None:
    assert parse_time(text, "--until", now) == seconds


def test_a_time_is_read_from_the_chain_only_when_relative() -> None:
    def no_chain() -> int:
        raise AssertionError("asked the chain")

    assert parse_time("2030-01-01", "--until", no_chain) == 1_893_456_000
    with pytest.raises(InvalidArgument, match="--until: '-5d' is not a time"):
        parse_time("-5d", "--until", now)
    assert show_time(1_893_456_000) == "2030-01-01 00:00:00Z (1893456000)"
    assert show_time(0) == "none" and show_time(0, zero="the start") == "the start"


def test_a_document_is_a_hash_or_a_file_hashed(tmp_path: Path) -> None:
    pdf = tmp_path / "decision.pdf"
    pdf.write_bytes(b"%PDF-1.7 decision to issue")
    assert document_hash("decision", None, pdf) == file_hash(pdf)
    assert document_hash("decision", "0x" + "ab" * 32, None) == bytes.fromhex("ab" * 32)
    with pytest.raises(InvalidArgument, match="give --decision HASH or --decision-file PATH"):
        document_hash("decision", "0x" + "ab" * 32, pdf)
    with pytest.raises(InvalidArgument, match="--decision must be 32 bytes"):
        document_hash("decision", "0xabcd", None)


@pytest.mark.parametrize("text", ["intellectual_property", "INTELLECTUAL_PROPERTY", "intellectual-property", " Goods "])
def test_an_enum_member_is_named_as_the_sdk_names_it(text: str) -> None:
    parse = named(AssetCategory.GOODS, AssetCategory.INTELLECTUAL_PROPERTY)
    expected = AssetCategory.GOODS if "oods" in text else AssetCategory.INTELLECTUAL_PROPERTY
    assert parse(text) is expected


def test_only_the_members_offered_are_accepted() -> None:
    parse = named(AssetCategory.GOODS, AssetCategory.SERVICES)
    with pytest.raises(typer.BadParameter, match="goods or services"):
        parse("money")
    assert names(*Role) == "regulator, operator, verifier, compliance, supervisor or settlement_agent"
