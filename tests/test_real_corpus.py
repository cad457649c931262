"""The real corpus (tests/data/real): each entry graded by its ≤ 30-line assignment, in-process, and by an independent
finite-difference check written for that code alone (tests/data/real/independent.py); the verdicts must agree."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from gancheck.homework.code.behaviour import check_derivative, check_sigmoid
from gancheck.homework.code.calls import InProcess
from gancheck.homework.code.spec import load_spec
from gancheck.homework.code.spec.grade import Grader

REAL = Path(__file__).parent / "data" / "real"


def module(path):
    spec = importlib.util.spec_from_file_location(path.stem + "_" + path.parent.name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ind = module(REAL / "independent.py")


def graded(name, source="reconstruction.py"):
    spec = load_spec(REAL / name / "assignment.toml")
    grader = Grader(spec, InProcess(vars(module(REAL / name / source))))
    with np.errstate(all="ignore"):
        return {f.name: grader.grade(f) for f in spec.functions}


def test_every_assignment_is_short_and_loads():
    for path in REAL.glob("*/assignment.toml"):
        assert len(path.read_text().splitlines()) <= 30, path
        load_spec(path)


# ---- independent checks: own forward, own loss, own central differences ----

def kouridi_independent(order_real_last=False):
    mod = module(REAL / "kouridi_gan" / "reconstruction.py")
    rng = np.random.default_rng(1)
    gan = mod.GAN([0], batch_size=3, hidden_layer_size_d=6, image_size=2)
    W0, b0, W1, b1 = rng.normal(0, .5, (4, 6)), rng.normal(0, .1, (1, 6)), rng.normal(0, .4, (6, 1)), np.zeros((1, 1))
    xr, xf = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    gan.W0_d, gan.b0_d, gan.W1_d, gan.b1_d = W0.copy(), b0.copy(), W1.copy(), b1.copy()
    first, last = (xf, xr) if order_real_last else (xr, xf)
    zf_ = gan.forward_discriminator(first)
    zl_ = gan.forward_discriminator(last)
    (zr, yr), (zf, yf) = (zl_, zf_) if order_real_last else (zf_, zl_)
    gan.backward_discriminator(xr, zr, yr, xf, zf, yf)
    params = [W0, b0, W1, b1]

    def loss():
        out = lambda x: ind.sig(np.maximum(x @ W0 + b0, 0.01 * (x @ W0 + b0)) @ W1 + b1)
        return float(np.sum(ind.bce(out(xr), 1.0)) + np.sum(ind.bce(out(xf), 0.0)))
    grads = ind.central(loss, params)
    return ind.agrees([W0, b0, W1, b1], [gan.W0_d, gan.b0_d, gan.W1_d, gan.b1_d], grads, 1e-3)


def test_kouridi_gan_stale_cache():
    assert not kouridi_independent()       # as train() runs it: the real half reads the fake forward's cache
    verdict = graded("kouridi_gan")["GAN.backward_discriminator"]["step"]
    assert not verdict[0] and "disagrees with finite differences" in verdict[1]


def test_kouridi_nn_l2_only_in_the_gradient():
    mod = module(REAL / "kouridi_nn" / "reconstruction.py")
    for lmbda, expected in ((0.0, True), (0.1, False)):
        rng = np.random.default_rng(2)
        net = mod.NeuralNetwork([3, 4, 1], 1, 0.5, lmbda)
        W1, b1, W2, b2 = rng.normal(size=(4, 3)) * .6, rng.normal(size=(4, 1)) * .1, rng.normal(size=(1, 4)) * .5, \
            np.zeros((1, 1))
        x, t = rng.normal(size=(3, 1)), np.ones((1, 1))
        net.parameters.update(W1=W1.copy(), b1=b1.copy(), W2=W2.copy(), b2=b2.copy())
        net._forward_propagate(x), net._calculate_gradients(t), net._update_parameters()
        loss = lambda: float(np.sum(ind.bce(ind.sig(W2 @ ind.sig(W1 @ x + b1) + b2), t)))
        grads = ind.central(loss, [W1, b1, W2, b2])
        after = [net.parameters[k] for k in ("W1", "b1", "W2", "b2")]
        assert ind.agrees([W1, b1, W2, b2], after, grads, 0.5) is expected
    verdict = graded("kouridi_nn")["NeuralNetwork._update_parameters"]["step"]
    assert not verdict[0] and "∂l/∂parameters['W1']" in verdict[1] and "∂l/∂parameters['b1'], ∂l/∂parameters['b2'] right" in verdict[1]


def test_abhishek_gan_double_sigmoid_and_gradient_sign_mask():
    mod = module(REAL / "abhishek_gan" / "reconstruction.py")
    rng = np.random.default_rng(3)
    gan = mod.GAN(sizes=(4, 5, 3))
    d = gan.discriminator.d
    for k, shape in (("Whl1", (5, 4)), ("Whl2", (3, 5)), ("Wout", (1, 3))):
        d[k] = rng.normal(0, 1 / np.sqrt(shape[1]), shape)
    before = {k: v.copy() for k, v in d.items()}
    x, t = rng.normal(size=(4, 6)), (np.arange(6) % 2).reshape(1, 6).astype(float)
    gan.train_discriminator_over_batch(x, t, freeze_weights=False)
    p = [before[k] for k in ("Whl1", "bhl1", "Whl2", "bhl2", "Wout", "bout")]

    def loss():
        lr = lambda g: np.where(g > 0, g, 0.2 * g)
        y = ind.sig(p[4] @ lr(p[2] @ lr(p[0] @ x + p[1]) + p[3]) + p[5])
        return float(np.mean(ind.bce(y, t)))
    grads = ind.central(loss, p)
    assert not ind.agrees(p, [d[k] for k in ("Whl1", "bhl1", "Whl2", "bhl2", "Wout", "bout")], grads, 1e-4)
    verdict = graded("abhishek_gan")["GAN.train_discriminator_over_batch"]
    assert not verdict["step"][0] and verdict["loss"][0]   # the mean loss it returns is right; its step is not


def test_shinseung_gan_adam_is_not_a_gradient_step():
    mod = module(REAL / "shinseung_gan" / "reconstruction.py")
    rng = np.random.default_rng(4)
    gan = mod.GAN(sizes=(4, 5, 3), learning_rate=1e-3)
    p = [rng.normal(0, .6, (4, 5)), rng.normal(0, .1, 5), rng.normal(0, .5, (5, 3)), rng.normal(0, .1, 3),
         rng.normal(0, .6, (3, 1)), np.zeros(1)]
    names = ("d_W0", "d_b0", "d_W1", "d_b1", "d_W2", "d_b2")
    for n, v in zip(names, p):
        setattr(gan, n, v.copy())
    xr, xf = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
    zr, yr = gan.discriminator(xr)
    zf, yf = gan.discriminator(xf)
    gan.backprop_dis(zr, yr, xr, zf, yf, xf)

    def loss():
        out = lambda x: ind.sig(np.maximum(np.maximum(x @ p[0] + p[1], 0) @ p[2] + p[3], 0) @ p[4] + p[5])
        return float(np.sum(ind.bce(out(xr), 1.0)) + np.sum(ind.bce(out(xf), 0.0)))
    grads = ind.central(loss, p)
    after = [getattr(gan, n) for n in names]
    assert not ind.agrees(p, after, grads, 1e-3)
    moved = [np.abs(b - a) for b, a in zip(p, after)]      # Adam's first step: |Δθ| ≈ lr wherever g ≠ 0
    assert max(float(np.max(m)) for m in moved) <= 1e-3 * (1 + 1e-9)
    verdict = graded("shinseung_gan")["GAN.backprop_dis"]["step"]
    assert not verdict[0]


def test_matkovski_constructor_crashes_but_its_backward_is_right():
    mod = module(REAL / "matkovski_nn" / "reconstruction.py")
    with pytest.raises(TypeError):
        mod.NeuralNetwork(3, 4, 1)
    rng = np.random.default_rng(5)
    net = object.__new__(mod.NeuralNetwork)        # the independent check bypasses the broken constructor
    p = [rng.normal(size=(3, 4)) * .6, rng.normal(size=(1, 4)) * .1, rng.normal(size=(4, 1)) * .5, np.zeros((1, 1))]
    net.W1, net.b1, net.W2, net.b2 = (a.copy() for a in p)
    x, t = rng.normal(size=(5, 3)), (np.arange(5) % 2).reshape(5, 1).astype(float)
    net.forward(x), net.backward(x, t, 0.1)
    loss = lambda: float(np.mean(ind.bce(ind.sig(ind.sig(x @ p[0] + p[1]) @ p[2] + p[3]), t)))
    assert ind.agrees(p, [net.W1, net.b1, net.W2, net.b2], ind.central(loss, p), 0.1)
    verdict = graded("matkovski_nn")["NeuralNetwork.backward"]["step"]
    assert not verdict[0] and "TypeError" in verdict[1]


def test_mlfs_activations_softmax_diagonal_and_softplus_overflow():
    mod = module(REAL / "mlfs_activations" / "activation_functions.py")
    rng = np.random.default_rng(6)
    g, a_bar = rng.uniform(0.05, 3, (5, 3)) * rng.choice([-1, 1], (5, 3)), rng.normal(size=(5, 3))
    expected = {"Sigmoid": True, "TanH": True, "ReLU": True, "LeakyReLU": True, "ELU": True, "SELU": True,
                "SoftPlus": True, "Softmax": False}
    for name, right in expected.items():
        act = getattr(mod, name)()
        own = ind.central(lambda: float(np.sum(a_bar * act.function(g))), [g])[0]
        assert np.allclose(a_bar * act.gradient(g), own, rtol=1e-5, atol=1e-7) is right, name
        assert (check_derivative(act.function, act.gradient) is None) is right, name
    with np.errstate(all="ignore"):
        assert not np.isfinite(mod.SoftPlus().function(np.array([710.0])))[0]   # log(1 + e^710) = inf
        assert check_sigmoid(mod.Sigmoid().function) is None
    verdicts = graded("mlfs_activations", "activation_functions.py")
    assert verdicts["ReLU.gradient"]["values"][0] and verdicts["TanH.gradient"]["values"][0]
    assert verdicts["SoftPlus.gradient"]["stable"][0]        # its derivative σ is stable; the function is not


# ---- end to end: `gancheck grade` in the kernel sandbox, one file and split into two ----

ENTRIES = {"kouridi_gan": "reconstruction.py", "kouridi_nn": "reconstruction.py", "abhishek_gan": "reconstruction.py",
           "shinseung_gan": "reconstruction.py", "matkovski_nn": "reconstruction.py",
           "mlfs_activations": "activation_functions.py"}
# entry → (the entry file of its two-file form, the module split off, the top-level names moved there)
TWO_FILES = {"abhishek_gan": ("GAN.py", "Discriminator", {"Discriminator"}),
             "shinseung_gan": ("gan.py", "ops", {"relu", "sigmoid", "epsilon"})}


def split(source, module, names):
    """``(entry text, module text)``: the top-level definitions of ``names`` moved to ``module``, imported back."""
    import ast

    lines, moved, kept, imported = source.splitlines(keepends=True), [], [], set()
    tree = ast.parse(source)
    imports = "".join("".join(lines[n.lineno - 1:n.end_lineno]) for n in tree.body
                      if isinstance(n, (ast.Import, ast.ImportFrom)))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        defined = {getattr(node, "name", None)} | {n.id for t in getattr(node, "targets", []) for n in ast.walk(t)
                                                    if isinstance(n, ast.Name)}
        text = "".join(lines[node.lineno - 1:node.end_lineno])
        if defined & names:
            moved.append(text)
            imported |= defined - {None}
        else:
            kept.append(text)
    head = imports + f"from {module} import {', '.join(sorted(imported))}\n\n\n"
    return head + "\n\n".join(kept), imports + "\n\n" + "\n\n".join(moved)


def grade_json(capsys, path, assignment, *more):
    from gancheck.cli import main

    code = main(["grade", str(path), "--assignment", str(assignment), "--format", "json", *more])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    return {f"{i['function']} · {i['check']}": i for i in report["items"]}, report


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_graded_end_to_end_in_the_sandbox_as_in_process(capsys, name):
    expected = {f"{f} · {item}": ok for f, items in graded(name, ENTRIES[name]).items() for item, (ok, _) in
                items.items()}
    items, _ = grade_json(capsys, REAL / name / ENTRIES[name], REAL / name / "assignment.toml")
    assert {k: i["passed"] for k, i in items.items()} == expected


@pytest.mark.parametrize("name", sorted(TWO_FILES))
def test_a_two_file_form_grades_the_same(capsys, tmp_path, name):
    entry, module, names = TWO_FILES[name]
    main_text, module_text = split((REAL / name / "reconstruction.py").read_text(), module, names)
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / entry).write_text(main_text)
    (folder / f"{module}.py").write_text(module_text)
    one, _ = grade_json(capsys, REAL / name / "reconstruction.py", REAL / name / "assignment.toml")
    two, report = grade_json(capsys, folder, REAL / name / "assignment.toml", "--single")   # one student's files
    assert {k: i["passed"] for k, i in two.items()} == {k: i["passed"] for k, i in one.items()}, two
    assert any(f"a submission of 2 files: {entry} (the entry) and {module}.py" in n for n in report["notes"])
