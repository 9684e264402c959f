"""The Relay pagination helper: requests, cursors and pages, forward and backward."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from portal.core.errors import DomainError
from portal.core.pagination import (
    BY_ID,
    SortKey,
    cursor_of,
    decode_cursor,
    encode_cursor,
    page_of,
    page_request,
)


@dataclass(frozen=True)
class Row:
    id: int
    day: date


BY_DAY = SortKey("DAY", object(), lambda row: row.day, date.fromisoformat)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    error = exc.value.errors[0]
    return error.code, error.field


def test_a_forward_cursor_keeps_its_format_and_round_trips() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    assert cursor_of(Row(42, date(2026, 1, 2)), BY_ID) == encode_cursor(42)


def test_a_sorted_cursor_carries_the_sort_value_and_belongs_to_its_ordering() -> None:
    cursor = cursor_of(Row(7, date(2026, 3, 4)), BY_DAY)
    request = page_request(None, None, last=2, before=cursor, sort=BY_DAY)
    assert (request.after_pk, request.after_value, request.backward) == (7, date(2026, 3, 4), True)
    # the same cursor in ID order, or an ID cursor in day order, is refused
    with pytest.raises(DomainError) as in_id_order:
        page_request(2, cursor)
    assert _code(in_id_order) == ("INVALID_CURSOR", "after")
    with pytest.raises(DomainError) as in_day_order:
        page_request(None, None, last=2, before=encode_cursor(7), sort=BY_DAY)
    assert _code(in_day_order) == ("INVALID_CURSOR", "before")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"first": None, "after": None}, ("REQUIRED", "first")),
        ({"first": 2, "after": None, "last": 2}, ("INVALID_INPUT", "last")),
        ({"first": None, "after": encode_cursor(1), "last": 2}, ("INVALID_INPUT", "before")),
        ({"first": None, "after": None, "before": encode_cursor(1)}, ("REQUIRED", "last")),
        ({"first": 0, "after": None}, ("INVALID_PAGE_SIZE", "first")),
        ({"first": None, "after": None, "last": 101}, ("INVALID_PAGE_SIZE", "last")),
        ({"first": None, "after": None, "last": 2, "before": "??"}, ("INVALID_CURSOR", "before")),
    ],
)
def test_arguments_that_do_not_fit_are_typed_errors(
    kwargs: dict[str, object], expected: tuple[str, str]
) -> None:
    with pytest.raises(DomainError) as caught:
        page_request(**kwargs)  # type: ignore[arg-type]
    assert _code(caught) == expected


def test_a_backward_page_is_put_back_in_list_order() -> None:
    # the rows as the backward query reads them: nearest the cursor first, one extra
    rows = [Row(n, date(2026, 1, n)) for n in (9, 8, 7)]
    request = page_request(None, None, last=2, before=encode_cursor(10))
    page = page_of(rows, request, total=9)
    assert page.keys == [8, 9]
    assert (page.has_previous_page, page.has_next_page) == (True, True)
    assert page.cursors == (encode_cursor(8), encode_cursor(9))


def test_the_last_page_without_a_cursor_has_no_next_page() -> None:
    rows = [Row(n, date(2026, 1, n)) for n in (2, 1)]
    page = page_of(rows, page_request(None, None, last=2), total=2)
    assert page.keys == [1, 2]
    assert (page.has_previous_page, page.has_next_page) == (False, False)


def test_a_forward_page_says_what_precedes_and_follows() -> None:
    rows = [Row(n, date(2026, 1, n)) for n in (4, 5, 6)]
    page = page_of(rows, page_request(2, encode_cursor(3)), total=9)
    assert page.keys == [4, 5]
    assert (page.has_previous_page, page.has_next_page) == (True, True)
