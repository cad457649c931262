"""Hypothesis profiles: ``dev`` (quick, the default on a workstation) and ``ci`` (more examples, derandomised so a
CI run is reproducible, no deadline because CI machines are shared). CI selects ``ci`` through the ``CI`` variable;
``HYPOTHESIS_PROFILE`` overrides either."""
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id):
    """The documentation site, built once per test run (see ``tests/sitebuild.py``); ``GANCHECK_SITE=DIR`` uses a site
    already built into DIR instead (while working on the site's tests)."""
    from sitebuild import shared_site

    if os.environ.get("GANCHECK_SITE"):
        return Path(os.environ["GANCHECK_SITE"])
    base = tmp_path_factory.getbasetemp()
    return shared_site(base if worker_id == "master" else base.parent)
