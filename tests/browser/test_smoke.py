import pytest

pytestmark = pytest.mark.browser


def test_the_admin_login_page_renders_offline(page, page_log):
    page.goto("/admin/login/")
    assert page.locator("input[name=username]").is_visible()
    assert page_log.outside_requests == []
    assert page_log.console_errors == []
