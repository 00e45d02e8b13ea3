"""Cursor pagination of the lists that grow with the chain: every list the gateway serves, but the
fixed list of problem types (tests/api/test_pagination.py holds every route to it).

A list answers at most `limit` items (default 100, at most 1,000) after `cursor`. When more
follow, the answer carries the cursor of the next page in `Link: <...>; rel="next"` (RFC 8288) and
in `Next-Cursor`; the last page has neither. A cursor is opaque: pass back the one given.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from starlette.responses import Response

from api.errors import ValidationFailed

T = TypeVar("T")
K = TypeVar("K")

MAX_LIMIT = 1000

#: The response headers of a paginated list, as the OpenAPI document states them.
HEADERS: dict[str, Any] = {
    "Link": {"description": 'The next page, `<...>; rel="next"`, when there is one.', "schema": {"type": "string"}},
    "Next-Cursor": {"description": "The cursor of the next page, when there is one.", "schema": {"type": "string"}},
}
#: What a paginated route's 200 answer declares besides its model (`responses=`).
PAGINATED: dict[int | str, dict[str, Any]] = {200: {"description": "One page of the list.", "headers": HEADERS}}


@dataclass(frozen=True)
class Page:
    limit: int
    cursor: str | None
    request: Request

    def key(self, decode: Callable[[str], K]) -> K | None:
        """The position after which this page starts (None: from the first item)."""
        if self.cursor is None:
            return None
        try:
            text = base64.urlsafe_b64decode(self.cursor.encode() + b"=" * (-len(self.cursor) % 4)).decode()
            return decode(text)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ValidationFailed("the cursor is not one this list gave", cursor=self.cursor) from None

    def answer(self, items: Sequence[T], response: Response, position: Callable[[T], str]) -> list[T]:
        """`items` (read with `limit + 1` asked for) cut to this page, with the next page's cursor
        in the headers of `response` when more follow."""
        page = list(items[: self.limit])
        if len(items) > self.limit:
            cursor = cursor_of(position(page[-1]))
            url = self.request.url.include_query_params(cursor=cursor, limit=self.limit)
            response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
            response.headers["Next-Cursor"] = cursor
        return page


def _page(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 100,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            pattern="^[A-Za-z0-9_-]+$",
            description="Where the page starts: the `Next-Cursor` of the page before.",
        ),
    ] = None,
) -> Page:
    return Page(limit, cursor, request)


PageDep = Annotated[Page, Depends(_page)]


def cursor_of(position: str) -> str:
    """The opaque cursor of the page after `position`."""
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def after_id(text: str) -> int:
    """A cursor of a list ordered by a numeric id: the last id of the page before."""
    value = int(text)
    if value < 0:
        raise ValueError("negative")
    return value
