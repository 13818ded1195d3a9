"""Pages of a long list: how many there are, and which one to show."""


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill: at least one, so an empty list still has a first page."""
    return max(1, -(-total // per_page))


def page_within(page: int, total: int, per_page: int) -> tuple[int, int]:
    """The page to show (a page past the end shows the last one) and how many pages there are."""
    pages = page_count(total, per_page)
    return min(max(page, 1), pages), pages
