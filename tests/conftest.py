"""Hypothesis profiles: ``dev`` (quick, the default on a workstation) and ``ci`` (more examples, derandomised so a
CI run is reproducible, no deadline because CI machines are shared). CI selects ``ci`` through the ``CI`` variable;
``HYPOTHESIS_PROFILE`` overrides either."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
