"""The text of ``gancheck grade --assignment-template``: a format-2 assignment with every field explained."""
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

GUIDE = """\
# A gancheck assignment, format 2 — copy, edit, then `gancheck grade --assignment hw.toml SUBMISSIONS`.
#
# [nets.NAME]    sizes = [n_in, hidden…, n_out]; activations, one per layer: "relu", "tanh", "sigmoid",
#                "identity" or { name = "leaky_relu", alpha = 0.2 }; weight layout "out_in" (n_out, n_in, the
#                lecture's), "in_out" (n_in, n_out, Keras') or "vector" (one output); bias "vector" (n,), "row" (1, n),
#                "column" (n, 1) or "scalar"; samples = "rows" (N, n) or "columns" (n, N). One value, or one per
#                layer. Optional `shapes = { W1 = [25, 2] }` must equal what the layout gives (a transpose is an error).
# [losses.NAME]  form = "bce" (D) | "nonsaturating" | "minimax" (G); reduction = "mean" | "sum"; epsilon = the ε of a
#                student's log(y + ε), accepted within 20ε; batches = "together" | "separate" (real and fake);
#                latent = "normal" | "uniform" (low, high); rng = "np.random" | "default_rng" | "argument".
# [[functions]]  role = "D.step" | "G.step" | "D.forward" | "G.forward" | "loss" | "sigmoid" | "derivative";
#                call = "function" or "Class.method" (constructor = { … } keywords), or a `sequence` of calls on one
#                instance; args/returns are roles in the student's order — D.W1, D.b1 … (layer k of net D),
#                D.x, D.t, D.x_real, D.x_fake, D.g1, D.a1, D.z, D.y, D.loss, G.x (latent), N, latent_dim —,
#                "@name" intermediates, "_" ignored, or { value = … } constants; kwargs = { keyword = role or
#                { value = … } }; attributes = { "D.W1" = "W0_d" } for parameters held on the instance (paths like
#                d['Whl1'] or layers[0].W); alpha = a declared learning rate (else recovered at N = 1);
#                points = { item = points }; hidden = [items scored but not explained until released].
# [[tests]]      name = "test_…" (a function in the instructor's tests file), points, hidden.
# [imports]      allowed = ["numpy", "scipy", "math"]; stubbed = ["matplotlib"] (imported as a no-op stub).
#
"""


def template():
    """The commented template: the field guide above, then the course's own homework in this format."""
    return GUIDE + (EXAMPLES / "course_functions.toml").read_text(encoding="utf-8")
