"""digests: what a build depends on, found without importing what it need not."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest

from openings.digests import code_digest, installed_version


@pytest.mark.parametrize("name", ["nh3", "jinja2", "markupsafe", "watchdog"])
def test_an_installed_version_is_the_one_its_metadata_gives(name):
    assert installed_version(name) == metadata.version(name)


def test_a_library_that_is_not_installed_has_no_version():
    assert installed_version("no-such-library-here") == ""


def test_the_code_digest_imports_neither_nh3_nor_importlib_metadata():
    script = (
        "import sys; from openings.digests import code_digest; print(code_digest()); "
        "print('nh3' in sys.modules, 'importlib.metadata' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    digest, imported = done.stdout.splitlines()
    assert digest == code_digest()  # the same in every process
    assert imported == "False False"
