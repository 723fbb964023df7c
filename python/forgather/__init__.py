"""Forgather C++ from Python: projects, configs, training, generation and run reports.

    import forgather
    proj = forgather.Project("examples/external_workspace_example/alibi_glu_project", "baseline.yaml")
    print(proj.pp())
    result = proj.train(max_steps=20, logging_steps=5)
    print(forgather.generate(result.output_dir, "once upon a time", max_new_tokens=40))

The work happens in the C++ library (the extension forgather._forgather); this file adds the
progress display and keeps the keyword-argument API. See docs/python.md.
"""

import os as _os

_here = _os.path.dirname(_os.path.abspath(__file__))
if _os.path.isdir(_os.path.join(_here, "templatelib")):
    # A wheel (pip install .) carries the template library inside the package.
    _os.environ.setdefault("FORGATHER_DIR", _here)

# As the forgather executable does (core/openmp_env.h): OpenMP reads its wait policy when it
# loads with the extension below, and passive waiting keeps 2 threads from falling below 1 when
# another process is busy on a core. It has no effect if OpenMP was already loaded.
_os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from ._forgather import (  # noqa: E402
    ConfigError,
    Error,
    IoError,
    Model,
    Run,
    ShapeError,
    Tensor,
    TrainResult,
    compare,
    eval,
    from_numpy,
    generate,
    load_run,
)
from ._forgather import Project as _Project  # noqa: E402
from ._progress import make_progress  # noqa: E402

__all__ = [
    "ConfigError",
    "Error",
    "IoError",
    "Model",
    "Project",
    "Run",
    "ShapeError",
    "Tensor",
    "TrainResult",
    "compare",
    "eval",
    "from_numpy",
    "generate",
    "load_run",
]


class Project(_Project):
    """A project directory and one of its configs.

    Project(path=".", config="", **template_vars): `config` is a name under the project's
    config prefix ("" for the default config); template_vars are the template variables the
    CLI's dynamic options would set.
    """

    def train(self, max_steps=None, progress=True, log=None, **overrides):
        """Trains the config's model in this process and returns a TrainResult.

        max_steps caps the run; overrides are TrainingArguments keys (learning_rate=1e-3,
        logging_steps=5, output_dir=..., overwrite_output_dir=True, ...). progress=True shows
        a progress line (updated in place in a notebook); a callable receives each step's
        figures as a dict instead. log receives the trainer's log lines (default: print).
        The GIL is released while training runs.
        """
        if progress is True:
            on_progress, done = make_progress()
        elif callable(progress):
            on_progress, done = progress, None
        else:
            on_progress, done = None, None
        try:
            return self._train(max_steps, overrides, on_progress, log)
        finally:
            if done is not None:
                done()

    def __repr__(self):
        return f"Project({self.path!r}, {self.config_name!r})"
