"""Checks the Python module forgather against the CLI it shares its library with.

    module_test.py MODULE_DIR FORGATHER_EXE WORKSPACE

Errors arrive as exceptions with the CLI's file:line message; tensors share memory with NumPy
both ways where the layout allows and are copied where it does not; training runs with the GIL
released (a Python thread keeps running); generate, eval, load_run and compare read the run.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


def main():
    module_dir, exe, workspace_src = (os.path.abspath(p) for p in sys.argv[1:4])
    sys.path.insert(0, os.path.abspath(module_dir))
    import numpy as np

    import forgather

    scratch = tempfile.mkdtemp(prefix="fg_module_")
    try:
        workspace = os.path.join(scratch, "ws")
        shutil.copytree(workspace_src, workspace, ignore=shutil.ignore_patterns("output_models"))
        project = os.path.join(workspace, "alibi_glu_project")
        os.environ["FORGATHER_DATASET"] = "synthetic"
        os.chdir(project)

        # Errors: the same message as the CLI, file:line included, as forgather.ConfigError.
        broken = os.path.join(project, "templates", "configs", "broken.yaml")
        with open(broken, "w") as f:
            f.write("-- extends 'project.yaml'\nmain: {{ 1 + }}\n")
        cli = subprocess.run([exe, "-t", "broken.yaml", "pp"], capture_output=True, text=True)
        try:
            forgather.Project(".", "broken.yaml").pp()
            check(False, "a broken config raised nothing")
        except forgather.Error as e:
            check(str(e) in cli.stderr, f"Python error {str(e)!r} is not the CLI's {cli.stderr!r}")
            check("broken.yaml:2" in str(e), f"no file:line in {str(e)!r}")
            check(isinstance(e, forgather.ConfigError), f"{type(e).__name__} is not ConfigError")
            check(getattr(e, "line", None) == 2, f"line attribute {getattr(e, 'line', None)}")
        os.remove(broken)
        try:
            forgather.Project(".", "baseline.yaml").train(max_steps=1, learning_rat=0.1)
            check(False, "an unknown training argument raised nothing")
        except forgather.ConfigError as e:
            check("learning_rate" in str(e), f"no 'did you mean' in {str(e)!r}")
        try:
            forgather.generate(os.path.join(scratch, "missing"), "x")
            check(False, "a missing run directory raised nothing")
        except forgather.Error as e:
            check("missing" in str(e), f"the error does not name the directory: {e}")

        # The CLI's views of the project.
        proj = forgather.Project(".", "baseline.yaml")
        cli_pp = subprocess.run([exe, "-t", "baseline.yaml", "pp"], capture_output=True, text=True)
        check(proj.pp().strip() == cli_pp.stdout.strip(), "pp() differs from `forgather pp`")
        check("main" in proj.targets(), f"targets {proj.targets()}")
        check("baseline.yaml" in proj.ls(), "ls() does not list baseline.yaml")
        check("# Meta Config" in proj.meta(), "meta() is not the meta Markdown")
        model = proj.model()
        check(model.parameters == 9130484, f"parameters {model.parameters}")

        # NumPy views share the parameters' memory.
        params = model.named_parameters()
        name, array = next(iter(params.items()))
        again = model.named_parameters()[name]
        array.flat[0] = 12345.0
        check(again.flat[0] == 12345.0, "two views of one parameter do not share memory")
        check(sum(a.size for a in params.values()) == model.parameters, "parameter sizes")

        # NumPy -> Tensor: shared where contiguous and aligned, copied otherwise.
        a = np.arange(12, dtype=np.float32).reshape(3, 4)
        t = forgather.Tensor(a)
        a[0, 0] = 99.0
        check(np.asarray(t)[0, 0] == 99.0, "Tensor(array) copied a contiguous array")
        check(np.shares_memory(np.asarray(t), a), "np.asarray(Tensor) does not share memory")
        view = t.numpy()
        view[2, 3] = -1.0
        check(a[2, 3] == -1.0, "Tensor.numpy() is not a view")
        strided = np.arange(12, dtype=np.int64).reshape(3, 4)[:, ::2]
        s = forgather.Tensor(strided)
        check(s.shape == (3, 2) and s.dtype == "i64", f"strided copy {s.shape} {s.dtype}")
        check(np.array_equal(np.asarray(s), strided), "strided copy has other values")
        check(not np.shares_memory(np.asarray(s), strided), "a strided array was not copied")
        swapped = np.arange(4, dtype=">f4")
        check(np.array_equal(np.asarray(forgather.Tensor(swapped)), swapped), "byte-swapped copy")
        del t, a
        check(np.asarray(forgather.from_numpy(np.ones(3, np.int32))).sum() == 3, "int32 tensor")
        try:
            forgather.Tensor(np.ones(3, dtype=np.float16))
            check(False, "float16 raised nothing")
        except forgather.Error as e:
            check("float16" in str(e), f"the dtype error does not name float16: {e}")

        # Training with the GIL released: a Python thread keeps ticking throughout.
        ticks = []
        stop = threading.Event()

        def ticker():
            while not stop.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.005)

        lines = []
        thread = threading.Thread(target=ticker)
        thread.start()
        start = time.monotonic()
        result = proj.train(max_steps=4, logging_steps=1, overwrite_output_dir=True,
                            progress=False, log=lines.append)
        elapsed = time.monotonic() - start
        stop.set()
        thread.join()
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        check(result.global_step == 4 and len(result.losses) == 4, f"result {result}")
        check(np.all(np.isfinite(result.losses)), f"losses {result.losses}")
        check(len(set(result.losses.tolist())) == 4, f"losses are not per step: {result.losses}")
        first = forgather.load_run(result.output_dir)
        check(first.train_loss[:, 0].tolist() == [1, 2, 3, 4], f"train_loss {first.train_loss}")
        check(np.allclose(first.train_loss[:, 1], result.losses, rtol=1e-5),
              f"logged {first.train_loss[:, 1]} vs returned {result.losses}")
        check(any("train-loss" in line for line in lines), f"no train-loss log line in {lines}")
        check(max(gaps) < max(0.5, elapsed / 4), f"the thread stalled {max(gaps):.2f} s of {elapsed:.2f} s")

        seen = []
        proj.train(max_steps=2, overwrite_output_dir=True, progress=seen.append, log=lambda _: 0)
        check([s["step"] for s in seen] == [1, 2], f"progress steps {[s['step'] for s in seen]}")

        # Generation, evaluation and the run readers.
        pieces = []
        text = forgather.generate(result.output_dir, "once upon a time", max_new_tokens=12,
                                  on_text=lambda row, piece: pieces.append(piece))
        check(text.startswith("once upon a time"), f"generated {text!r}")
        check(text == "once upon a time" + "".join(pieces), "streamed pieces differ from the text")
        cli_gen = subprocess.run([exe, "generate", result.output_dir, "--prompt", "once upon a time",
                                  "--max-new-tokens", "12", "--no-stream"],
                                 capture_output=True, text=True)
        check(cli_gen.stdout.strip() == text.strip(), f"CLI {cli_gen.stdout!r} vs {text!r}")
        texts = forgather.generate(result.output_dir, ["a", "b"], max_new_tokens=3, greedy=True)
        check(isinstance(texts, list) and len(texts) == 2, f"two prompts gave {texts!r}")
        rows = forgather.eval(result.output_dir, [32, 64], max_blocks=1, batch_size=1)
        check([r["length"] for r in rows] == [32, 64], f"eval rows {rows}")
        check(os.path.isfile(os.path.join(result.output_dir, "eval_lengths.json")), "no eval file")
        run = forgather.load_run(result.output_dir)
        check(run.train_loss.shape[1] == 2 and run.last_step == 2, f"run {run} {run.last_step}")
        table = forgather.compare([result.output_dir])
        check(run.name in table, f"compare table lacks {run.name}: {table}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
