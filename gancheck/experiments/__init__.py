"""The lecture's GAN experiments, reproduced with gancheck's own NumPy GAN and *measured*.

Each experiment is one module with

* ``VARIANTS``: ``{"fast": {...}, "full": {...}}``, the default parameters of the seconds-long variant (tests, docs)
  and of the full one;
* ``run(variant="fast", seed=0, **params) -> dict``: plain data (arrays, numbers, lists) with a ``headline`` entry,
  a dict of the few numbers the experiment is about;
* ``plot(data) -> matplotlib.figure.Figure``: the figure (Agg backend; nothing is shown).

:data:`EXPERIMENTS` maps the command-line name to the module; modules are imported only when asked for.
"""
import importlib

from .. import GancheckError

EXPERIMENTS = {
    "d-star": "d_star",                # 1. D → D* (Goodfellow et al. 2014, Fig. 1)
    "saturation": "saturation",        # 2. saturating vs non-saturating G loss on x²
    "vanishing": "vanishing",          # 3. vanishing gradients (Arjovsky & Bottou 2017)
    "mode-collapse": "mode_collapse",  # 4. the 8-Gaussians ring
    "noise": "noise",                  # 5. instance and label noise
    "wgan": "wgan",                    # 6. WGAN with weight clipping (Arjovsky et al. 2017)
    "f-divergence": "f_divergence",    # 7. fitting a Gaussian to a mixture under five divergences
    "digits": "digits",                # 8. the lecture's MLP GAN on scikit-learn's 8×8 digits
    "vae": "vae",                      # 9. the VAE's KL term and the reparameterisation trick
    "dcgan": "dcgan",                  # 10. the DCGAN report's convolutional GAN on the same digits
}


def load(name):
    """The module of the experiment called ``name``."""
    if name not in EXPERIMENTS:
        raise GancheckError(f"unknown experiment {name!r}; choose from {', '.join(EXPERIMENTS)}")
    return importlib.import_module(f".{EXPERIMENTS[name]}", __name__)


def resolve(variants, variant, params):
    """The parameters of ``variant`` updated by ``params``; unknown variants and parameter names are errors."""
    if variant not in variants:
        raise GancheckError(f"unknown variant {variant!r}; choose from {', '.join(variants)}")
    base = variants[variant]
    unknown = sorted(set(params) - set(base))
    if unknown:
        raise GancheckError(f"unknown parameter(s) {', '.join(unknown)}; this experiment takes {', '.join(base)}")
    return {**base, **params}


def to_plain(obj):
    """``obj`` with NumPy arrays and scalars turned into lists and Python numbers: ready for ``json.dump``."""
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if hasattr(obj, "tolist"):  # ndarray and NumPy scalars
        return obj.tolist()
    return obj
