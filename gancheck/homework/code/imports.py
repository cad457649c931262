"""What a submission's ``import`` finds in its sandbox: stubs for plotting libraries, and the student's own modules.

Two finders go first on ``sys.meta_path`` (ahead of the file system):

* **Stubs** — ``matplotlib`` (the assignment's ``stubbed`` list) imports as a no-op stand-in: ``plt.plot(...)``,
  ``fig, ax = plt.subplots()``, ``ax[0].imshow(...)`` all do nothing, so plotting code loads and graded functions that
  plot on the side still run. The real library is not in the sandbox (it is large and writes caches).
* **The student's own modules** — in a multi-file submission, ``import discriminator`` gets ``discriminator.py``
  reduced like the entry file to its imports, definitions and constants (its training loop does not run), its
  statements run one by one so that a failing one is a note, not a lost module.

Everything else (NumPy, SciPy, the standard library) imports as usual. This runs inside the sandbox: standard
library only.
"""
import importlib.abc
import importlib.util
import sys
import types


class Nothing:
    """Whatever a plotting call returns: callable, indexable, iterable (``fig, ax = …``), a context manager."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


NOTHING = Nothing()


class Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return NOTHING


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, knows):
        self.knows = knows

    def find_spec(self, fullname, path=None, target=None):
        package = self.knows(fullname)
        if package is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=package)


class Stubs(_Finder):
    def __init__(self, names):
        super().__init__(lambda name: True if name.split(".")[0] in names else None)

    def create_module(self, spec):
        return Stub(spec.name)

    def exec_module(self, module):
        pass


class OwnModules(_Finder):
    """``modules``: name → ``{"file", "package", "statements": [{"source", "line"}]}``; ``run(statement, file,
    namespace)`` executes one (the worker's, so that tracebacks quote the student's lines); a statement that raises
    is recorded in ``notes`` as ``(file, line, exception)`` and skipped."""

    def __init__(self, modules, root, run, notes):
        super().__init__(lambda name: modules[name]["package"] if name in modules else None)
        self.modules, self.root, self.run, self.notes = modules, root, run, notes

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        entry = self.modules[module.__name__]
        module.__file__ = f"{self.root}/{entry['file']}"
        for statement in entry["statements"]:
            try:
                self.run(statement, entry["file"], module.__dict__)
            except BaseException as exc:   # the student's, whatever it is: that statement is skipped
                self.notes.append((entry["file"], statement["line"], exc))


def install(stubbed, modules, root, run, notes):
    sys.meta_path[:0] = [Stubs(set(stubbed)), OwnModules(modules, root, run, notes)]
