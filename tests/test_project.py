"""The repository itself: workflows, CI and docs say what the code does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

from openings import config, frontmatter, schema
from openings.errors import Report


def workflow(name: str) -> dict:
    data = yaml.safe_load((REPO / ".github/workflows" / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_publish_workflow():
    flow = workflow("pages.yml")
    assert set(flow["on"]) == {"push", "workflow_dispatch", "schedule"}
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["on"]["schedule"][0]["cron"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["group"]
    build = steps(flow["jobs"]["build"])
    uses = [s.get("uses", "").split("@")[0] for s in build]
    runs = [s.get("run", "") for s in build]
    assert build[0]["with"]["fetch-depth"] == 0
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    assert "python -m pip install ." in runs
    make = next(i for i, r in enumerate(runs) if r.startswith("python build.py build"))
    assert "--keep-going" in runs[make] and "steps.pages.outputs.base_url" in runs[make]
    assert build[make]["continue-on-error"] is True  # broken roles never hold the site back
    assert "python build.py check" not in runs  # it would stop the job before the build
    cache = build[uses.index("actions/cache")]
    assert ".openings-cache" in cache["with"]["path"] and cache["with"]["restore-keys"]
    assert uses.index("actions/cache") < make < uses.index("actions/upload-pages-artifact")
    upload = build[uses.index("actions/upload-pages-artifact")]
    assert upload["with"] == {"path": "output", "include-hidden-files": True}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert steps(deploy)[0]["uses"].startswith("actions/deploy-pages@")
    # What changed, between the live site and this build, is announced after the deploy.
    diff = next(i for i, r in enumerate(runs) if r.startswith("python build.py diff"))
    assert make < diff and "steps.pages.outputs.base_url" in runs[diff]
    assert "output --format json > changes.json" in runs[diff]
    assert build[diff]["continue-on-error"] is True
    announce = flow["jobs"]["announce"]
    assert announce["needs"] == "deploy"
    assert announce["permissions"] == {"contents": "read"}
    tell = next(s for s in steps(announce) if "python build.py announce" in s.get("run", ""))
    assert tell["continue-on-error"] is True  # announcing never fails the run
    assert tell["env"]["GOOGLE_INDEXING_TOKEN"] == "${{ steps.google.outputs.access_token }}"
    auth = next(s for s in steps(announce) if s.get("id") == "google")
    assert auth["uses"].startswith("google-github-actions/auth@")
    assert auth["if"] == "env.HAS_GOOGLE_KEY == 'true'"  # only with the secret
    assert "secrets.GOOGLE_INDEXING_KEY" in announce["env"]["HAS_GOOGLE_KEY"]
    assert auth["with"]["access_token_scopes"] == "https://www.googleapis.com/auth/indexing"


def test_check_workflow_on_pull_requests():
    flow = workflow("check.yml")
    assert "pull_request" in flow["on"]
    runs = [s.get("run", "") for job in flow["jobs"].values() for s in steps(job)]
    assert "python build.py check" in runs
    assert any("pytest" in r for r in runs)
    summary = next(r for r in runs if r.startswith("python build.py diff"))
    assert summary == 'python build.py diff "origin/$BASE" HEAD >> "$GITHUB_STEP_SUMMARY"'
    assert flow["jobs"]["check"]["steps"][0]["with"]["fetch-depth"] == 0  # the base is there


def readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (REPO / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_ci_runs_the_readmes_test_command_word_for_word():
    build_cmd, test_cmd = readme_commands()
    assert build_cmd == "python3 -m pip install -e . && python3 build.py"
    assert "pytest" in test_cmd
    ci = [
        line
        for line in (REPO / ".ci/run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    assert ci == [test_cmd]


def test_every_key_is_documented():
    doc = (REPO / "docs/writing-roles.md").read_text()
    reader = frontmatter.Reader(Path("x"), 1, Report(REPO))
    keys = set(schema.role_schema(reader)) | set(config.SCHEMA) | set(schema.SALARY_SCHEMA)
    for key in sorted(keys):
        assert f"`{key}`" in doc, key
    readme = (REPO / "README.md").read_text()
    for option in (
        "--content",
        "--output",
        "--theme",
        "--base-url",
        "--drafts",
        "--quiet",
        "--host",
        "--port",
        "--strict",
    ):
        assert f"`{option}" in readme, option


def test_changelog_has_an_unreleased_section():
    assert "## Unreleased" in (REPO / "CHANGELOG.md").read_text()


def test_the_package_type_checks():
    """mypy, as configured in pyproject.toml, finds nothing in the package."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


MODULE_LINES = 310  # "about 300": a module past it is doing more than one job


def test_each_module_of_the_package_stays_about_300_lines():
    long = {
        path.name: lines
        for path in sorted((REPO / "openings").glob("*.py"))
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert not long, f"split these modules by job: {long}"
