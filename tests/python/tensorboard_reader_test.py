"""TensorBoard compatibility, checked with the real reader: a short `forgather train` run's event
file, read by the tensorboard package's EventAccumulator, holds every scalar tag that
trainer_logs.json records, at the same steps and values (float32 in the event file).

usage: tensorboard_reader_test.py FORGATHER_BINARY
Needs build/venv (scripts/python-deps.sh). Trains a tiny scaffolded project on the synthetic
stories in a scratch directory.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

# trainer_logs.json key -> TensorBoard scalar tag
TAGS = {
    "loss": "train-loss",
    "learning_rate": "learning-rate",
    "grad_norm": "grad-norm",
    "max_grad_norm": "grad-norm[max]",
    "tokens_per_second": "tokens-per-second",
    "eval_loss": "eval-loss",
    "eval_perplexity": "eval-perplexity",
}


def run(cmd, cwd, env):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")


def train_tiny_run(forgather, scratch):
    env = dict(os.environ, FORGATHER_DATASET="synthetic", FORGATHER_CACHE=str(scratch / "cache"))
    run([forgather, "ws", "create", "--name", "TB Lab"], scratch, env)
    ws = scratch / "tb_lab"
    run([forgather, "project", "create", "--name", "Tiny"], ws, env)
    project = ws / "tiny"
    # Log every step and evaluate one batch every second step.
    config = project / "templates" / "configs" / "default.yaml"
    text = config.read_text()
    for old, new in (("logging_steps: 10", "logging_steps: 1"),
                     ("eval_steps: 50", "eval_steps: 2\n    max_eval_steps: 1")):
        if old not in text:
            sys.exit(f"FAIL: the scaffolded {config} no longer says '{old}'")
        text = text.replace(old, new)
    config.write_text(text)
    run([forgather, "-t", "default.yaml", "train", "--max-steps", "4"], project, env)
    logs = list((project / "output_models").glob("*/runs/*/trainer_logs.json"))
    if len(logs) != 1:
        sys.exit(f"FAIL: expected one trainer_logs.json under {project}/output_models, found {logs}")
    return logs[0].parent


def main():
    forgather = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="fg_tb_reader_") as tmp:
        run_dir = train_tiny_run(forgather, Path(tmp))
        records = json.loads((run_dir / "trainer_logs.json").read_text())
        expected = {}  # tag -> {step: value}
        for rec in records:
            for key, tag in TAGS.items():
                if key in rec:
                    expected.setdefault(tag, {})[rec["global_step"]] = rec[key]
        missing_kinds = {"train-loss", "eval-loss"} - expected.keys()
        if missing_kinds:
            sys.exit(f"FAIL: the run logged no {sorted(missing_kinds)}; records: {records}")

        acc = EventAccumulator(str(run_dir), size_guidance={"scalars": 0, "tensors": 0})
        acc.Reload()
        tags = set(acc.Tags()["scalars"])
        checked = 0
        for tag, by_step in sorted(expected.items()):
            if tag not in tags:
                sys.exit(f"FAIL: EventAccumulator found no scalar '{tag}'; it found {sorted(tags)}")
            got = {e.step: e.value for e in acc.Scalars(tag)}
            for step, value in by_step.items():
                if step not in got:
                    sys.exit(f"FAIL: '{tag}' has no event at step {step}; steps {sorted(got)}")
                if not math.isclose(got[step], value, rel_tol=1e-6, abs_tol=1e-12):
                    sys.exit(f"FAIL: '{tag}' at step {step}: event file {got[step]}, log {value}")
                checked += 1
        print(f"tensorboard reader: {len(expected)} tags, {checked} values match "
              f"trainer_logs.json ({run_dir.name})")


if __name__ == "__main__":
    main()
