"""docs/hooks/listing.py: what the pages show of the package's code — the lines without the docstring, the file and
first line in the title, and links only to API entries that exist (the reference renders documented objects only)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "hooks"))
import listing  # noqa: E402

from gancheck import losses, metrics  # noqa: E402
from gancheck.experiments import vae  # noqa: E402


def test_a_listing_leaves_the_docstring_out_and_links_the_reference():
    shown = listing.code(vae.kl_normal)
    assert shown.startswith('```python title="gancheck/experiments/vae.py, from line ')
    assert "def kl_normal(mu, sigma):" in shown and "return 0.5 * (mu**2" in shown
    assert ".. math::" not in shown and "Appendix B" not in shown  # the docstring stays in the API reference
    assert "[`kl_normal`][gancheck.experiments.vae.kl_normal]" in shown


def test_several_functions_of_one_file_share_a_block_and_undocumented_ones_get_no_link():
    shown = listing.code(losses.wasserstein_critic_value, losses.wasserstein_critic)
    assert shown.count("```") == 2 and "from lines " in shown
    assert "def wasserstein_critic_value" in shown and "def wasserstein_critic(" in shown
    assert "[gancheck.losses.wasserstein_critic]" in shown
    assert "[gancheck.losses.wasserstein_critic_value]" not in shown  # no docstring: no entry to link


def test_a_listing_of_two_files_is_refused():
    with pytest.raises(ValueError, match="one listing shows one file"):
        listing.code(losses.clip_weights, metrics.ring_quality)
