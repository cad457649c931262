"""Isolation by the kernel for everything a student hands in: one bubblewrap sandbox per child process.

* :mod:`.sandbox` — the design, the threat model, and :func:`~.sandbox.spawn` / :class:`~.sandbox.Process`;
* :mod:`.seccomp` — the syscall filter (compiled by libseccomp);
* :mod:`.confine` — the first code run inside: limits, filter, then the entry point.

The code grader (:mod:`gancheck.homework.code.sandbox`) and the formula checker
(:mod:`gancheck.homework.formulas.sandbox`) both start their children here.
"""
