"""What list pages share: pagination with an elided page range (the DSFR pagination)."""

from __future__ import annotations

from django.core.paginator import Paginator

LIST_PAGE_SIZE = 25


def page_of(rows, number: str | None, size: int = LIST_PAGE_SIZE):  # type: ignore[no-untyped-def]
    page = Paginator(rows, size).get_page(number)
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
