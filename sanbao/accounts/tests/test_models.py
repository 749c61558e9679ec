"""A person's name as the platform shows it (issue 10 item 17): Chinese names
family name first and without a space (张伟), other names given name first."""

from __future__ import annotations

import pytest

from sanbao.accounts.models import User
from sanbao.testkit.cast import login_client_for


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("伟", "张", "张伟"),
        ("晓明", "欧阳", "欧阳晓明"),
        ("Wei", "Zhang", "Wei Zhang"),
        ("Jing", "", "Jing"),
        ("", "张", "张"),
        ("", "", "wzhang"),
    ],
)
def test_the_display_name_puts_a_chinese_family_name_first(first, last, shown):
    assert User(username="wzhang", first_name=first, last_name=last).display_name == shown


def test_the_top_bar_and_the_welcome_show_the_family_name_first(agent_a_clerk):
    agent_a_clerk.first_name, agent_a_clerk.last_name = "伟", "张"
    agent_a_clerk.save(update_fields=["first_name", "last_name"])
    page = login_client_for(agent_a_clerk, language="zh-hans").get("/").content.decode()
    assert "张伟" in page
    assert "伟 张" not in page
