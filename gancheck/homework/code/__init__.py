"""Grading students' NumPy GAN code as handed in — a script or a notebook — with evidence for every verdict.

The pipeline, one module per step:

* :mod:`.assignment` (+ ``assignment.toml``) — the homework as data: functions, signatures, shapes, points, limits.
* :mod:`.files`, :mod:`.source` — a submission's files checked and decoded, then reduced to its imports and
  definitions (no training loop, no ``plt.show()``).
* :mod:`.sandbox`, :mod:`.worker`, :mod:`.wire`, :mod:`.replies` — the student's code in a kernel sandbox of its own
  (:mod:`gancheck.homework.isolation`); plain data only crosses the boundary, and every reply is checked against the
  protocol's schema. :mod:`.session` — a submission's life there (restarts after a kill, memoised calls).
* :mod:`.reference` — the expected values, from gancheck's core networks in the homework's layout.
* :mod:`.strategies`, :mod:`.checks`, :mod:`.diagnose` — properties per function on fixed, seeded inputs, compared in
  the grader's process, failures simplified and explained (sign, 1/N, transpose, mistake models).
* :mod:`.spec`, :mod:`.behaviour` — assignment format 2: a step against finite differences of the student's own loss.
* :mod:`.instructor`, :mod:`.proctor` — an instructor's own tests, run in the student's sandbox.
* :mod:`.grader`, :mod:`.report`, :mod:`.batch` — one submission, its text/JSON/Gradescope reports, a whole class
  (a process per student).
* :mod:`.pytest_suite` — the same checks as a student's own pytest suite.
"""
from .assignment import BUILTIN, Assignment, load_assignment
from .batch import grade_directory
from .grader import grade_file

__all__ = ["BUILTIN", "Assignment", "grade_directory", "grade_file", "load_assignment"]
