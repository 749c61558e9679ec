"""The demo catalog matches what the catalog pages offer as an example."""

from __future__ import annotations

from sanbao.catalog.importing import COLUMNS
from sanbao.catalog.views import IMPORT_TEMPLATE_ROWS
from sanbao.demo.catalog import PRODUCT_MODELS
from sanbao.demo.people import ORGANISATIONS


def test_the_csv_template_names_models_and_organisations_of_the_demo_catalogue():
    models = {m["code"] for m in PRODUCT_MODELS}
    organisations = {o["code"] for o in ORGANISATIONS}
    for row in IMPORT_TEMPLATE_ROWS:
        named = dict(zip(COLUMNS, row, strict=True))
        assert named["model_code"] in models
        assert not named["channel_org_code"] or named["channel_org_code"] in organisations
