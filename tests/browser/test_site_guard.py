"""The guard every browser test runs under catches what it is there to catch."""

import pytest
from playwright.sync_api import Error


def test_a_request_to_another_address_is_stopped_and_reported(page, site_guard):
    # A link followed to another site: the policy of our pages does not govern navigation, the
    # guard does.
    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("http://192.0.2.1/avatar.png")
    assert site_guard.off_site == ["http://192.0.2.1/avatar.png"]
    site_guard.off_site.clear()


def test_a_resource_from_elsewhere_is_blocked_by_the_policy_and_reported(page, site_guard):
    page.goto("/fr/accounts/login/")
    page.evaluate("() => fetch('http://192.0.2.1/avatar.png').catch(() => null)")
    _reported(page, site_guard, 1)
    assert [(v["directive"], v["blocked"]) for v in site_guard.violations] == [
        ("connect-src", "http://192.0.2.1/avatar.png")
    ]
    site_guard.violations.clear()


def test_what_the_policy_blocks_is_reported(page, site_guard):
    page.goto("/fr/accounts/login/")
    page.evaluate(
        """() => {
            document.body.setAttribute("style", "color: red");
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }"""
    )
    _reported(page, site_guard, 2)
    assert page.evaluate("() => window.inlineRan === undefined")
    directives = sorted(v["directive"] for v in site_guard.violations)
    assert directives == ["script-src-elem", "style-src-attr"]
    site_guard.violations.clear()


@pytest.mark.parametrize("path", ["/fr/", "/en/accounts/login/"])
def test_every_page_is_served_with_the_policy(page, site_guard, path):
    page.goto(path)
    assert site_guard.without_policy == []
    assert site_guard.problems() == []


def _reported(page, site_guard, count: int) -> None:
    """Wait until the page has reported ``count`` violations (at most 10 s, a loaded CI)."""
    for _ in range(100):
        if len(site_guard.violations) >= count:
            return
        page.wait_for_timeout(100)
