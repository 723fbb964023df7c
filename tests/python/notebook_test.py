"""Runs a project notebook top to bottom in a Jupyter kernel and fails on any error cell.

    notebook_test.py MODULE_DIR WORKSPACE PROJECT [--steps N]
    notebook_test.py MODULE_DIR --scaffold FORGATHER_EXE [--steps N]

MODULE_DIR holds the built `forgather` package (build/<preset>/python); WORKSPACE is copied to a
scratch folder (so the source tree gets no output_models) and PROJECT/project_index.ipynb in the
copy runs there on the synthetic stories. Besides "no error cell", the checks below look at what
the example notebook must show: the rendered config, a parameter count, a loss plot, the dragon
story, and a comparison of both runs. With --scaffold, `forgather ws create` and `project create`
make the workspace and project first, and the notebook the scaffold wrote runs.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
            parts.append(out["data"].get("text/markdown", ""))
    return "".join(parts)


def has_image(nb):
    return any(
        "image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", [])
    )


def error_cells(nb):
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("module_dir")
    parser.add_argument("workspace", nargs="?")
    parser.add_argument("project", nargs="?", help="the project folder inside the workspace")
    parser.add_argument("--scaffold", metavar="FORGATHER_EXE",
                        help="create a workspace and project with this executable and run theirs")
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--save", help="also write the executed notebook here")
    parser.add_argument("--expect", action="append", default=[],
                        help="text the notebook's outputs must contain (repeatable)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="fg_notebook_")
    try:
        if args.scaffold:
            exe = os.path.abspath(args.scaffold)
            subprocess.run([exe, "ws", "create", "--name", "Lab"], cwd=scratch, check=True)
            workspace = os.path.join(scratch, "lab")
            subprocess.run([exe, "project", "create", "--name", "Tiny"], cwd=workspace, check=True)
            project = os.path.join(workspace, "tiny")
        else:
            workspace = os.path.join(scratch, os.path.basename(os.path.normpath(args.workspace)))
            shutil.copytree(args.workspace, workspace,
                            ignore=shutil.ignore_patterns("output_models", "__pycache__"))
            project = os.path.join(workspace, args.project)
        path = os.path.join(project, "project_index.ipynb")
        nb = nbformat.read(path, as_version=4)
        # The kernel inherits this environment: the built module, offline data, few steps.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [os.path.abspath(args.module_dir)] + os.environ.get("PYTHONPATH", "").split(os.pathsep)
        ).rstrip(os.pathsep)
        os.environ["FORGATHER_DATASET"] = "synthetic"
        os.environ["FORGATHER_NOTEBOOK_STEPS"] = str(args.steps)
        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        client = NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": project}})
        start = time.monotonic()
        try:
            client.execute()
        except CellExecutionError as e:
            if args.save:
                nbformat.write(nb, args.save)
            print(f"FAIL: a cell raised:\n{e}", file=sys.stderr)
            return 1
        seconds = time.monotonic() - start
        if args.save:
            nbformat.write(nb, args.save)
        errors = error_cells(nb)
        if errors:
            print("FAIL: error cells:\n  " + "\n  ".join(errors), file=sys.stderr)
            return 1
        text = "\n".join(cell_text(c) for c in nb.cells if c.cell_type == "code")
        problems = [f"no output contains {want!r}" for want in args.expect if want not in text]
        if not has_image(nb):
            problems.append("no plot (image/png output) was produced")
        if problems:
            print("FAIL:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        print(f"ok: {len(nb.cells)} cells of {path} ran in {seconds:.1f} s")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
