import json
import re

import pytest

from tests.charts.seeding import seed_with_rates


@pytest.fixture
def seeded(db):
    seed_with_rates()


def figures(response) -> dict:
    """The plotly figures a page embeds, by their element id."""
    html = response.content.decode()
    found = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {name: json.loads(text) for name, text in found}
