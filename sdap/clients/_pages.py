"""Pages of the asset's and the exchange's records, which have no index to filter on: read in id
order until a page is full or none are left."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sdap import _validate as check
from sdap.errors import InvalidArgument

T = TypeVar("T")


def page_limit(limit: int) -> int:
    """A page's size: at least one (an empty page would say nothing about what is left)."""
    limit = check.uint(limit, "limit")
    if limit < 1:
        raise InvalidArgument(f"limit must be at least 1, got {limit}")
    return limit


def first_matching(ids: range, read: Callable[[int], T], keep: Callable[[T], bool], limit: int) -> list[T]:
    """The first `limit` records among `ids` that `keep` accepts, each read with its own call: the
    asset's records have no index to filter on, so a page reads until it is full or none are left."""
    found: list[T] = []
    for record_id in ids:
        record = read(record_id)
        if keep(record):
            found.append(record)
            if len(found) == limit:
                break
    return found
