"""Checking pages at a phone's and a computer's width: axe, the page checks on the HTML the server sent, nothing
wider than the screen, and a full-page screenshot of each kept under test-artifacts/ for people to look at."""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Response

from tests.browser.conftest import SentPage, assert_accessible
from tests.pagecheck import page_problems

SCREENS = {
    "phone": {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


class Screen:
    """One tab on one screen size whose every page is checked and kept as a screenshot."""

    def __init__(self, context: BrowserContext, folder: Path, prefix: str, width: int):
        self.page = context.new_page()
        self.folder = folder
        self.prefix = prefix
        self.width = width
        self.count = 0
        self._sent: Response | None = None
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{self.prefix}-*.png"):  # an earlier run's pages, perhaps no longer in the wizard
            old.unlink()

        def keep(response: Response) -> None:
            if response.request.is_navigation_request() and response.frame == self.page.main_frame \
                    and response.status == 200:
                self._sent = response

        self.page.on("response", keep)

    def check(self, name: str) -> None:
        """axe, the page checks and the width, then a screenshot named `nn-name`."""
        page = self.page
        assert_accessible(page)
        assert self._sent is not None and self._sent.url == page.url, \
            f"the last page sent was {self._sent and self._sent.url}, the tab shows {page.url}"
        problems = page_problems(SentPage(self._sent))
        assert not problems, f"{page.url}:\n" + "\n".join(problems)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(self.folder / f"{self.prefix}-{self.count:02d}-{name}.png"), full_page=True)
        assert scroll_width <= self.width, \
            f"{page.url} is {scroll_width} px wide on a {self.width} px screen: {wider_than(page, self.width)}"
        self.count += 1


def wider_than(page: Page, width: int) -> list[str]:
    """The innermost elements that reach past the right-hand edge of the screen, for the failure message."""
    return page.evaluate("""width => {
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5);
        return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (typeof e.className === 'string' && e.className.trim()
                         ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                      + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
    }""", width)
