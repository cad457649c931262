"""The convolution's derivation (derivations.conv) is judged as the lecture's are (tests/test_derivations.py): each
deliberately wrong form — the kernel not flipped in ∂L/∂x, the stride ignored in ∂L/∂K, a sign, a factor 2, the
adjoint claimed as its own left side — is rejected by the symbolic decision and by the numeric check."""
import numpy as np
import pytest

from derivations import conv, registry
from derivations.independence import violations

from wrong_candidates import CATEGORIES


@pytest.mark.parametrize("label,form,why", [pytest.param(label, form, why, id=why)
                                            for label, form, _, why in conv.WRONG])
def test_wrong_form_is_rejected_by_both_sides(label, form, why):
    d = registry.get("conv")
    assert d.decide({label: form}, labels=[label]) == {label: False}, f"{why} was proved"
    assert not d.check(np.random.default_rng(2), candidate={label: form}).passed, f"{why} passed the numeric check"


def test_wrong_forms_cover_every_claim_with_a_sign_or_factor_2_among_them():
    kinds = {kind for _, _, kind, _ in conv.WRONG}
    assert kinds <= set(CATEGORIES) and {"sign", "factor 2"} <= kinds
    assert {label for label, *_ in conv.WRONG} == {c.label for c in registry.get("conv").claims}


def test_the_oracle_is_a_loop_convolution_that_reaches_no_layer():
    assert violations(conv._gradients) == ()
    rng = np.random.default_rng(0)
    x, K, b = rng.normal(size=(5, 4, 2)), rng.normal(size=(3, 3, 2, 3)), rng.normal(size=3)
    y = conv.oracles.conv_forward(x, K, b, 2, ((1, 1), (0, 1)))
    padded = np.pad(x, ((1, 1), (0, 1), (0, 0)))
    assert y.shape == (3, 2, 3)
    for i, j, f in np.ndindex(*y.shape):  # the definition, one product at a time
        want = b[f] + sum(padded[2 * i + m, 2 * j + n, c] * K[m, n, c, f]
                          for m in range(3) for n in range(3) for c in range(2))
        assert y[i, j, f] == pytest.approx(want, abs=1e-12)
