"""Deliberately wrong candidates for the derivations' claims: derivation → [(claim label, wrong form, kind, what)].

Kinds: a flipped sign, a factor 2, a missing 1/N (or 1/m, or ½), KL's (or another asymmetric quantity's) arguments
swapped, a slide's slip as the slides write it, and other realistic mistakes. ``test_derivations`` requires each to be
rejected by both the symbolic decision and the numeric check."""
import sympy as sp

from derivations import backprop as bp
from derivations import elbo, information, reparameterisation, vae, wgan_algorithm
from derivations.activations import Relu
from derivations.conjugates import LOG2
from derivations.duality import x1
from derivations.keras import n_in, n_out

CATEGORIES = ("sign", "factor 2", "missing 1/N", "swapped KL arguments", "slide's slip", "other")

D, G = bp.forward_symbols("D"), bp.forward_symbols("G")
N = bp.N
Dbar, Gbar = bp.symbols("D"), bp.symbols("G")
z, t = sp.Symbol("z", real=True), sp.Symbol("t", real=True)
z_r, z_f = sp.symbols("z_r z_f", real=True)
a, b = sp.symbols("a b", positive=True)
p, q = sp.symbols("p q", positive=True)
mu, sigma = vae.mu, vae.sigma
theta, theta_pos = sp.Symbol("theta", real=True), sp.Symbol("theta", positive=True)
M, eps = sp.symbols("M epsilon", positive=True)
c, H, n = sp.Symbol("c", positive=True), *sp.symbols("H n", integer=True, positive=True)
v = sp.Symbol("v", real=True)
P4, Q4 = information.P_SYM, information.Q_SYM
WP, WQ = information.WEATHER_P, information.WEATHER_Q
SIG = 1 / (1 + sp.exp(-z))
W_ = sp.LambertW(sp.exp(1 - t))
R = reparameterisation


def _jsd_integrand(factor):
    m = (p + q) / 2
    return factor * (p * sp.log(p / m) + q * sp.log(q / m)) / 2


def _bits(terms):
    return sum(terms) / sp.log(2)


KL_REVERSED = (1 + mu**2) / (2 * sigma**2) + sp.log(sigma) - sp.Rational(1, 2)  # KL(N(0, 1) ‖ N(μ, σ²))
POST_MEAN, POST_VAR = elbo.POST_MEAN, elbo.POST_VAR
GAP_REVERSED = sp.log(elbo.v / sp.sqrt(POST_VAR)) + (POST_VAR + (elbo.m - POST_MEAN) ** 2) / (2 * elbo.v**2) - sp.S.Half
RECONSTRUCTION = sp.log(2 * sp.pi * elbo.s**2) / 2 + ((elbo.x - elbo.m) ** 2 + elbo.v**2) / (2 * elbo.s**2)

WRONG = {
    "vae": [("KL 1-D", mu**2 + sigma**2 - 1 - sp.log(sigma**2), "missing 1/N", "missing factor ½"),
            ("KL 1-D", -(mu**2 + sigma**2 - 1 - sp.log(sigma**2)) / 2, "sign", "−KL, the slides' variational loss"),
            ("KL 1-D", KL_REVERSED, "swapped KL arguments", "KL(N(0, 1) ‖ N(μ, σ²))"),
            ("KL 1-D", (mu**2 + sigma**2 - 1 - sp.log(sigma)) / 2, "other", "log σ for log σ²"),
            ("KL diagonal d=2", 2 * vae.kl_closed(mu, sigma), "factor 2", "the first coordinate twice")],
    "reparameterisation": [
        ("pathwise d/dsigma", R.pathwise("mu"), "other", "E[f'(z)] without the factor ε"),
        ("pathwise d/dmu", -R.pathwise("mu"), "sign", "flipped sign"),
        ("score d/dmu", sp.Integer(0), "slide's slip", "the density's dependence on θ ignored: E[∇θ f] = 0"),
        ("score d/dsigma", 2 * R.score("sigma"), "factor 2", "factor 2"),
        ("reparam d/dmu", 3 * mu**2, "other", "E[f'] without the variance term"),
        ("reparam d/dsigma", -6 * mu * sigma, "sign", "flipped sign")],
    "elbo": [("ELBO", -sp.log(2 * sp.pi * elbo.s**2) / 2 - ((elbo.x - elbo.m) ** 2 + elbo.v**2) / (2 * elbo.s**2)
              + elbo.KL_PRIOR, "slide's slip", "+KL: the slides' var. loss = −KL, added to the loss"),
             ("ELBO gap", GAP_REVERSED, "swapped KL arguments", "KL(p(z|x) ‖ q)"),
             ("VAE loss", RECONSTRUCTION - elbo.KL_PRIOR, "sign", "reconstruction − KL"),
             ("log p(x)", elbo.log_normal(elbo.x, 0, elbo.s**2), "other", "the decoder's variance for the evidence's"),
             ("ELBO gap", 2 * elbo.GAP, "factor 2", "factor 2")],
    "entropy": [("H(P) bits", -sum(w * sp.log(w) for w in WP), "other", "nats, not bits"),
                ("H(P) bits", sum(w * sp.log(w, 2) for w in WP), "sign", "flipped sign"),
                ("H uniform", 2 * sp.log(information.N_SIGNALS, 2), "factor 2", "factor 2"),
                ("table 2 length", sp.Rational(8, 5), "other", "table 1's length")],
    "cross-entropy": [("H(P,Q) bits", -_bits(y * sp.log(x) for x, y in zip(WP, WQ)), "swapped KL arguments",
                       "H(Q, P) for H(P, Q)"),
                      ("min_Q H(P,Q)", 2 * information.entropy(P4), "factor 2", "factor 2"),
                      ("min_Q H(P,Q)", -information.entropy(P4), "sign", "flipped sign")],
    "kl": [("KL(P||Q) bits", _bits(y * sp.log(y / x) for x, y in zip(WP, WQ)), "swapped KL arguments",
            "KL(Q ‖ P) for KL(P ‖ Q)"),
           ("H(P,Q) = H(P) + KL(P||Q)", information.entropy(P4) - information.kl(P4, Q4), "sign", "H(P) − KL"),
           ("min_Q KL(P||Q)", sp.log(2), "other", "log 2 for 0"),
           ("KL(Q||P) bits", 2 * _bits(y * sp.log(y / x) for x, y in zip(WP, WQ)), "factor 2", "factor 2")],
    "jsd-definition": [("JSD(Q||P)", information.kl(P4, Q4), "other", "KL(P ‖ Q): not symmetric"),
                       ("JSD(Q||P)", sum((m * sp.log(m / x) + m * sp.log(m / y)) / 2 for x, y in zip(P4, Q4)
                                         for m in [(x + y) / 2]), "swapped KL arguments", "½KL(M ‖ P) + ½KL(M ‖ Q)"),
                       ("JSD max", 2 * sp.log(2), "factor 2", "f-GAN's 2·JSD scale"),
                       ("JSD min", -sp.log(2), "sign", "−log 2")],
    "optimal-d": [("D*", b / (a + b), "other", "a and b swapped"), ("D*", 2 * a / (a + b), "factor 2", "factor 2")],
    "jsd": [("V(G,D*)", -(p + q) * sp.log(2) + _jsd_integrand(1), "factor 2", "JSD without its factor 2"),
            ("V(G,D*)", (p + q) * sp.log(2) + _jsd_integrand(2), "sign", "flipped sign of log 2")],
    "optimal-g": [("min C(G)", 2 * sp.log(2), "sign", "+log 4"), ("min C(G)", -4 * sp.log(2), "factor 2", "−2 log 4"),
                  ("argmin q_i", 1 - p, "other", "the complement of P")],
    "bce": [("loss", t * sp.log(1 + sp.exp(-2 * z)) + (1 - t) * sp.log(1 + sp.exp(z)), "factor 2",
             "factor 2 inside the softplus"),
            ("dL/dz", t - SIG, "sign", "flipped sign"), ("dL/dz", 2 * (SIG - t), "factor 2", "factor 2"),
            ("-V' per pair", sp.log(1 + sp.exp(z_r)) + sp.log(1 + sp.exp(-z_f)), "other", "labels swapped")],
    "disc-backprop": [("D.z_bar", D["y"] - D["t"], "missing 1/N", "missing 1/N"),
                      ("D.z_bar", (D["t"] - D["y"]) / N, "sign", "flipped sign"),
                      ("D.W_bar", 2 * Dbar["z_bar"] * D["h"], "factor 2", "factor 2"),
                      ("D.W_bar", Dbar["z_bar"] * D["g"], "other", "pre-activation where the activation belongs"),
                      ("D.g_bar", Dbar["h_bar"] * Relu(D["g"]), "other", "ReLU where its derivative belongs"),
                      ("D.x_bar", Dbar["g_bar"] * D["W"], "other", "wrong weight")],
    "gen-backprop": [("D.z_bar", D["y"] - 1, "missing 1/N", "missing 1/N"),
                     ("G.y_bar", -Gbar["D.x_bar"], "sign", "flipped sign"),
                     ("G.U_bar", 2 * Gbar["g_bar"] * G["x"], "factor 2", "factor 2"),
                     ("G.g_bar", Gbar["h_bar"] * sp.Heaviside(D["g"], 0), "other", "ReLU mask on D's pre-activation")],
    "gen-backprop-minimax": [("D.z_bar", (D["y"] - 1) / N, "other", "non-saturating form in the minimax chain"),
                             ("D.z_bar", D["y"] / N, "sign", "flipped sign"),
                             ("D.z_bar", -D["y"], "missing 1/N", "missing 1/N")],
    "saturation": [("d/dz log(1-σ)", SIG, "sign", "flipped sign"), ("d/dz -log σ", -2 * (1 - SIG), "factor 2",
                                                                    "factor 2"),
                   ("ratio", sp.exp(-z), "other", "inverted ratio"), ("minimax limit", sp.Integer(-1), "other",
                                                                       "wrong limit")],
    "strong-discriminator": [("JSD disjoint", 2 * sp.log(2), "factor 2", "factor 2"),
                             ("max V disjoint", -2 * sp.log(2), "other", "−log 4, the value at P_G = P_data"),
                             ("minimax gradient bound", M * eps, "other", "without 1/(1 − ε)"),
                             ("minimax gradient bound", -M * eps / (1 - eps), "sign", "flipped sign")],
    "fdivergences": [("KL", q * sp.log(q / p), "swapped KL arguments", "reverse KL"),
                     ("Jensen-Shannon", _jsd_integrand(2), "factor 2", "f-GAN's 2×JSD"),
                     ("Pearson chi2", (p - q) ** 2 / p, "other", "Neyman χ² for Pearson's"),
                     ("Jeffrey", -(p - q) * sp.log(p / q), "sign", "flipped sign")],
    "fgan-conjugates": [("f* KL", sp.exp(t), "other", "e^t for e^(t − 1)"),
                        ("f* reverse KL", 1 + sp.log(-t), "sign", "flipped sign"),
                        ("f* JS", -2 * sp.log(2 - sp.exp(t)), "factor 2", "factor 2"),
                        ("f* Jeffrey", W_ + 1 / W_ + t - 1, "other", "− 1 for − 2"),
                        ("f* Pearson", t**2 / 2 + t, "factor 2", "t²/2 for t²/4"),
                        ("dom JS", sp.Interval.open(-sp.oo, 2 * LOG2), "factor 2", "t < 2 log 2"),
                        ("dom reverse KL", sp.Interval.open(0, sp.oo), "sign", "t > 0"),
                        ("g_f reverse KL", sp.exp(v), "sign", "e^v: the wrong side of 0"),
                        ("g_f JS", -sp.log(1 + sp.exp(-v)), "other", "the GAN's activation, missing log 2")],
    "wasserstein": [("W1 uniform shift", 2 * theta_pos, "factor 2", "factor 2"),
                    ("W1 two-point", p - q, "other", "p − q without the absolute value"),
                    ("W1 two-point", -sp.Abs(p - q), "sign", "flipped sign"),
                    ("W1 uniform widths", sp.Rational(1, 2), "factor 2", "the difference of the half-widths, twice")],
    "parallel-lines": [("W parallel lines", theta, "other", "θ for |θ|"),
                       ("W parallel lines", 2 * sp.Abs(theta), "factor 2", "factor 2"),
                       ("JSD parallel lines", sp.Integer(0), "other", "zero for disjoint supports"),
                       ("KL parallel lines", sp.log(2), "other", "finite KL")],
    "kantorovich-rubinstein": [("KR dual value", theta, "other", "θ for |θ|"),
                               ("KR dual value", 2 * sp.Abs(theta), "factor 2", "factor 2"),
                               ("optimal critic", sp.sign(theta) * x1, "sign", "the critic that scores P_θ higher"),
                               ("optimal critic", -2 * sp.sign(theta) * x1, "factor 2", "a 2-Lipschitz critic")],
    "weight-clipping": [("K(c)", H * sp.sqrt(n) * c, "other", "c for c²"),
                        ("K(c)", 2 * H * sp.sqrt(n) * c**2, "factor 2", "factor 2"),
                        ("K(c)", H * n * c**2, "other", "n for √n")],
    "wgan-algorithm": [("dV'/df(x^i)", sp.Integer(1), "slide's slip", "the slide's V' without 1/m on the real sum"),
                       ("dV'/df(x*^i)", 1 / wgan_algorithm.m, "sign", "flipped sign"),
                       ("E[V']", wgan_algorithm.m * (wgan_algorithm.mu_P - wgan_algorithm.mu_Q), "missing 1/N",
                        "missing 1/m"),
                       ("dL_G/df(G(z^i))", -2 / wgan_algorithm.m, "factor 2", "factor 2")],
    "keras-parameters": [("Dense params", n_in * n_out, "other", "the bias forgotten"),
                         ("Dense params", 2 * (n_in * n_out + n_out), "factor 2", "factor 2"),
                         ("MNIST generator", sp.Integer(81284), "other", "a bias on the bias-free layer"),
                         ("1-D GAN trainable", sp.Integer(223), "other", "the frozen discriminator counted")],
}
