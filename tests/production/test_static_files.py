"""collectstatic with the production profile's storage (WhiteNoise, hashed names)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_hashes_and_compresses_the_vendored_files(tmp_path):
    # The vendored Bootstrap names a source map that is not vendored: Django's own
    # hashed storage fails collectstatic on it; ours leaves the comment alone.
    storages = dict(settings.STORAGES)
    storages["staticfiles"] = {"BACKEND": "sanbao.core.staticfiles.StaticFilesStorage"}
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/bootstrap.min.css"
    assert (tmp_path / hashed).exists()
    assert (tmp_path / (hashed + ".gz")).exists()
    assert "sanbao/sanbao.css" in manifest
