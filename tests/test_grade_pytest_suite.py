"""What a student can import: the strategies, and the checks as a pytest suite against their own file."""
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gancheck.homework.code import library, load_assignment
from gancheck.homework.code.pytest_suite import checks_for
from gancheck.homework.code.strategies import _place_kinks, inputs, sample_inputs

LIBRARY = Path(__file__).parent / "data" / "submissions"
ASSIGNMENT = load_assignment()
BY_NAME = {f.name: f for f in ASSIGNMENT.functions}


@settings(max_examples=30)
@given(st.data())
def test_drawn_inputs_have_the_declared_shapes(data):
    function = data.draw(st.sampled_from(ASSIGNMENT.functions))
    example = data.draw(inputs(ASSIGNMENT, function))
    N = example.get("N") or next(np.shape(v)[0] for r, v in example.items() if ASSIGNMENT.shapes[r][0] == "N")
    assert 1 <= N <= 64
    for role, value in example.items():
        if role not in ("N", "latent_dim"):
            assert np.shape(value) == ASSIGNMENT.shape(role, N), role
            assert np.all(np.isfinite(value))
    if "D.t" in example:
        assert set(np.unique(example["D.t"])) <= {0.0, 1.0}


@given(st.integers(1, 8), st.dictionaries(st.integers(0, 24), st.sampled_from([1e-9, -1e-9, 1e-6]), max_size=3))
def test_kinks_put_pre_activations_where_asked(N, kinks):
    example = sample_inputs(ASSIGNMENT, BY_NAME["forward_dis"], N, np.random.default_rng(N))
    _place_kinks(example, "D", kinks)
    g = example["D.x"][0] @ example["D.U"].T + example["D.b"]
    for unit, offset in kinks.items():
        assert g[unit] == pytest.approx(offset, abs=1e-15)   # x₀·U_j is O(1): rounding is ~1e-16, far below 1e-9


def run_suite(path, *names):
    tests = checks_for(path, ASSIGNMENT)
    assert set(names) <= set(tests)
    outcomes = {}
    for name in names:
        try:
            tests[name]()
            outcomes[name] = "passed"
        except AssertionError as failure:   # Hypothesis adds its falsifying example as a note (PEP 678)
            outcomes[name] = "\n".join([str(failure)] + getattr(failure, "__notes__", []))
    return outcomes


def test_a_correct_file_passes_its_suite():
    names = ("test_loss_stable_value", "test_drelu_unchanged", "test_grad_decent_gen_step")
    assert run_suite(LIBRARY / "correct_notebook.ipynb", *names) == {name: "passed" for name in names}


def test_a_mistake_fails_with_the_graders_explanation(tmp_path):
    transposed = library.materialise("transposed_gradient", tmp_path)
    outcomes = run_suite(transposed, "test_forward_dis_outputs", "test_grad_decent_dis_step")
    assert outcomes["test_forward_dis_outputs"] == "passed"
    assert "∂l/∂U has its elements in the wrong order" in outcomes["test_grad_decent_dis_step"]
    # Hypothesis' own report is kept (its heading changed from "Falsifying example" to "Failing test case" in 6.16x).
    assert re.search("Falsifying example|Failing test case", outcomes["test_grad_decent_dis_step"])
    broken = tmp_path / "broken.py"
    broken.write_text("import numpy as np\n")
    assert "drelu is not defined in broken.py" in run_suite(broken, "test_drelu_values")["test_drelu_values"]
