"""What list pages share: pagination with an elided page range (the DSFR pagination), and a
paginator that stops counting at a cap for the lists that can hold a million rows."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

LIST_PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: an exact COUNT of a team's million open tasks costs more than the
    page itself (bench/results/casework-*). Past the cap, `capped` is true and the list is paged
    up to the cap (the filters narrow it)."""

    def __init__(self, object_list, per_page: int, cap: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


def page_of(rows, number: str | None, size: int = LIST_PAGE_SIZE, *, cap: int | None = None):  # type: ignore[no-untyped-def]
    paginator = Paginator(rows, size) if cap is None else CappedPaginator(rows, size, cap)
    page = paginator.get_page(number)
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
