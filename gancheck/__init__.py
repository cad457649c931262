"""gancheck: teach and verify the mathematics of Generative Adversarial Networks.

Core (plain NumPy): :mod:`gancheck.nn`, :mod:`gancheck.losses`, :mod:`gancheck.optim`, :mod:`gancheck.train`,
:mod:`gancheck.targets`, :mod:`gancheck.metrics`, :mod:`gancheck.divergences`, :mod:`gancheck.gradcheck`.
"""
__version__ = "0.1.0"


class GancheckError(ValueError):
    """Bad input to gancheck: the message is one line meant for the user (the CLI prints it and exits with status 2)."""
