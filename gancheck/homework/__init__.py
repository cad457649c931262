"""Homework checking: students' hand-derived formulas (:mod:`.formulas`) and their code (:mod:`.code`)."""
