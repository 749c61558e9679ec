"""docs/deploy.md names only what exists: every repository file it points at, every
`make` target, every `manage.py` command and every SANBAO_ variable (listed in
.env.example), so the deployment guide cannot drift from the code it describes."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
PATH = re.compile(r"(?<![\w/.])((?:ops|docs|tests|sanbao|config|requirements)/[\w./-]*\w)")


def test_every_file_the_guide_names_exists():
    named = set(PATH.findall(DOC)) | set(re.findall(r"(?<![\w/])(\.env\.example|\.ci/run)", DOC))
    assert {"ops/backup.sh", "ops/restore.sh", "ops/prod_check.py"} <= named
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing


def test_every_make_target_the_guide_names_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("$(VENV)", ".venv")
    targets = set(re.findall(r"^([\w./-]+):", makefile, re.M))
    named = set(re.findall(r"\bmake ([\w./-]*\w)", DOC))
    assert "prod-check" in named
    assert named <= targets, named - targets


def test_every_manage_py_command_the_guide_names_exists():
    named = set(re.findall(r"manage\.py (\w+)", DOC))
    assert {"migrate", "collectstatic", "db_worker", "run_daily_jobs"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


def test_every_setting_the_guide_names_is_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^(SANBAO_\w+)=", example, re.M))
    named = set(re.findall(r"\b(SANBAO_[A-Z_]+)\b", DOC))
    assert named <= listed, named - listed


def test_the_systemd_units_run_files_that_exist():
    for unit in (ROOT / "ops" / "systemd").glob("*.service"):
        for command in re.findall(r"^ExecStart=/srv/sanbao/(\S+)", unit.read_text(), re.M):
            if not command.startswith(".venv/"):
                assert (ROOT / command).exists(), (unit.name, command)
        text = unit.read_text()
        for name in re.findall(r"manage\.py (\w+)", text):
            assert name in get_commands(), (unit.name, name)


def test_every_unit_the_guide_names_is_in_ops_systemd():
    units = {p.name for p in (ROOT / "ops" / "systemd").iterdir()}
    named = set(re.findall(r"ops/systemd/([\w.-]+\.(?:service|timer))", DOC))
    assert named == units
