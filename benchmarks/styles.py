"""Generated submissions in three homework styles, each with the items it must fail — the classes of
:mod:`bench_grading`.

* ``course`` — the course's function layout, graded with the built-in assignment: the entries of the submissions
  library (``tests/data/submissions/library.toml``), correct or with one mistake each, the learning rate drawn.
* ``class`` — a class whose methods share weights on the instance (``examples/class_methods.toml``: Keras layout,
  leaky ReLU 0.01, summed loss, ε-clipped logs, separate real and fake batches).
* ``keras`` — a three-layer discriminator step in the Keras layout, leaky ReLU 0.2 then tanh
  (``examples/keras_three_layers.toml``), and its sigmoid.

Each kind is a share of the class and a set of failed items; every grade is known in advance and checked.
"""
from pathlib import Path

from gancheck.homework.code import library, load_assignment
from gancheck.homework.code.spec import load_spec

EXAMPLES = Path(library.__file__).with_name("examples")

DIS, GEN = [(f"grad_decent_{net} · loss", f"grad_decent_{net} · step") for net in ("dis", "gen")]
BOTH_STEPS = {DIS[1], GEN[1]}

COURSE = {   # kind → (share of the class, library entry, the items it must fail)
    "correct": (0.40, "correct", set()),
    "wrong sign": (0.08, "wrong_sign", {DIS[1]}),
    "missing 1/N": (0.08, "missing_1_over_N", {"loss_stable · value", "loss_stable · stable", *DIS, *GEN}),
    "transposed": (0.08, "transposed_gradient", BOTH_STEPS),
    "wrong mask": (0.08, "wrong_mask", BOTH_STEPS),
    "saturating": (0.08, "saturating", set(GEN)),
    "in-place drelu": (0.08, "inplace_drelu", {"drelu · unchanged"}),
    "syntax error": (0.10, "syntax_error", {"forward_gen · defined", *GEN}),
    "never returns": (0.02, "infinite_loop", {"forward_dis · outputs", "forward_dis · stable", *DIS, *GEN}),
}

CLASS = '''import numpy as np


class GAN:
    def __init__(self, numbers, batch_size=64, input_layer_size_g=100, hidden_layer_size_g=128,
                 hidden_layer_size_d=128, learning_rate={lr}, image_size=28):
        self.batch_size, self.lr = batch_size, learning_rate
        n_in, n_h = image_size ** 2, hidden_layer_size_d
        self.W0_d = np.random.randn(n_in, n_h) * np.sqrt(2.0 / n_in)
        self.b0_d = np.zeros((1, n_h))
        self.W1_d = np.random.randn(n_h, 1) * np.sqrt(2.0 / n_h)
        self.b1_d = np.zeros((1, 1))

    def lrelu(self, x, derivative=False):
        if derivative:
            return np.where(x < 0, 0.01, 1.0)
        return np.maximum(x, 0.01 * x)

    def forward_discriminator(self, img):
        x = np.reshape(img, (self.batch_size, -1))
        self.z0_d = x @ self.W0_d + self.b0_d
        self.a0_d = self.lrelu(self.z0_d)
        z1 = self.a0_d @ self.W1_d + self.b1_d
        return z1, 1.0 / (1.0 + np.exp(-z1))

    def backward_discriminator(self, x_real, z1_real, a1_real, x_fake, z1_fake, a1_fake):
        total = [0, 0, 0, 0]
        for x, a1, d_a1 in ((x_real, a1_real, -1.0 / (a1_real + 1e-8)), (x_fake, a1_fake, 1.0 / (1.0 - a1_fake + 1e-8))):
            x = np.reshape(x, (self.batch_size, -1))
            z0 = {z0}
            dz1 = {dz1}
            dz0 = (dz1 @ self.W1_d.T) * self.lrelu(z0, derivative=True)
            grads = (x.T @ dz0, dz0.sum(axis=0, keepdims=True), self.lrelu(z0).T @ dz1, dz1.sum(axis=0, keepdims=True))
            total = [t + g for t, g in zip(total, grads)]
        self.W0_d {update}= self.lr * total[0]
        self.b0_d {update}= self.lr * total[1]
        self.W1_d {update}= self.lr * total[2]
        self.b1_d {update}= self.lr * total[3]
'''
RIGHT = {"z0": "x @ self.W0_d + self.b0_d", "dz1": "d_a1 * a1 * (1.0 - a1)", "update": "-"}
STEP = {"GAN.backward_discriminator · step"}
CLASSES = {
    "correct": (0.55, {}, set()),
    "stale cache": (0.15, {"z0": "self.z0_d"}, STEP),          # the fake batch's hidden layer for both halves
    "wrong sign": (0.15, {"update": "+"}, STEP),
    "no σ′": (0.15, {"dz1": "d_a1"}, STEP),
}

KERAS = '''import numpy as np
{imports}

def sigmoid(z):
    return {sigmoid}


def train_step(x, t, W1, b1, W2, b2, W3, b3, lr=0.05):
    N = x.shape[0]
    g1 = x @ W1 + b1
    a1 = np.where(g1 > 0, g1, 0.2 * g1)
    g2 = a1 @ W2 + b2
    a2 = np.tanh(g2)
    y = sigmoid(a2 @ W3 + b3)[:, 0]
    loss = -np.sum(t * np.log(y + 1e-8) + (1 - t) * np.log(1 - y + 1e-8)) / {n}
    dz = ((y - t) / {n})[:, None]
    dg2 = (dz @ W3.T) * {dtanh}
    dg1 = (dg2 @ W2.T) * np.where(g1 > 0, 1.0, 0.2)
    grads = (x.T @ dg1, dg1.sum(0, keepdims=True), a1.T @ dg2, dg2.sum(0, keepdims=True), a2.T @ dz,
             dz.sum(0, keepdims=True))
    new = [p - lr * g for p, g in zip((W1, b1, W2, b2, W3, b3), grads)]
    return (*new, loss)
'''
KERAS_RIGHT = {"imports": "from scipy.special import expit", "sigmoid": "expit(z)", "n": "N", "dtanh": "(1 - a2 ** 2)"}
KERASES = {
    "correct": (0.55, {}, set()),
    "tanh′ = 1 − a": (0.15, {"dtanh": "(1 - a2)"}, {"train_step · step"}),
    "summed loss": (0.15, {"n": "1"}, {"train_step · step", "train_step · loss"}),
    "overflowing σ": (0.15, {"imports": "", "sigmoid": "np.exp(z) / (1 + np.exp(z))"}, {"sigmoid · stable"}),
}


def _class_text(kind, rng):
    return CLASS.format(lr=rng.choice([1e-3, 5e-3, 1e-2]), **{**RIGHT, **CLASSES[kind][1]})


def _keras_text(kind, rng):
    return KERAS.format(**{**KERAS_RIGHT, **KERASES[kind][1]})


def _course_text(kind, rng):
    return library.text(COURSE[kind][1], alpha=rng.choice([0.001, 0.005, 0.01, 0.05, 0.1]))


# style → (assignment loader, kinds, text(kind, rng))
STYLES = {
    "course": (load_assignment, COURSE, _course_text),
    "class": (lambda: load_spec(EXAMPLES / "class_methods.toml"), CLASSES, _class_text),
    "keras": (lambda: load_spec(EXAMPLES / "keras_three_layers.toml"), KERASES, _keras_text),
}


def make_class(style, directory, students, rng):
    """Write ``students`` submissions of ``style`` into ``directory``; returns ``{student: kind}``."""
    _, kinds_of, text = STYLES[style]
    kinds = [kind for kind, (share, *_) in kinds_of.items() if kind != "correct"
             for _ in range(round(share * students))]
    kinds = (kinds + ["correct"] * students)[:students]   # correct ones fill the class: every mistake is in it
    rng.shuffle(kinds)
    roster = {}
    for i, kind in enumerate(kinds):
        student = f"{style}{i:04d}"
        (Path(directory) / f"{student}.py").write_text(text(kind, rng))
        roster[student] = kind
    return roster


def expected(style, kind):
    """The items a submission of this kind must fail."""
    return STYLES[style][1][kind][-1]
