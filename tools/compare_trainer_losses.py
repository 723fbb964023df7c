#!/usr/bin/env python3
"""Compares the per-step losses of two training runs' trainer_logs.json.

  tools/compare_trainer_losses.py A.json B.json [--rel-limit R] [--abs-limit X] [--first N]

Both runs must log the same steps. Fails (exit 1) when, over the first N logged steps (all by
default), the largest relative difference exceeds R or the largest absolute difference exceeds X.
Prints both curves and the figures, for gpu_check.sh's summary.
"""
import argparse
import json
import sys


def losses(path):
    """step -> loss of a trainer_logs.json; exits naming the file when it cannot be read."""
    try:
        with open(path) as f:
            records = json.load(f)
        return {r.get("global_step", r.get("step")): float(r["loss"])
                for r in records if isinstance(r, dict) and "loss" in r}
    except (OSError, ValueError, TypeError) as e:
        sys.exit(f"compare_trainer_losses: cannot read the losses of '{path}': {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rel-limit", type=float, default=None)
    ap.add_argument("--abs-limit", type=float, default=None)
    ap.add_argument("--first", type=int, default=None, help="compare only the first N steps")
    args = ap.parse_args()
    a, b = losses(args.a), losses(args.b)
    print(f"{args.a}: {a}")
    print(f"{args.b}: {b}")
    for path, curve in ((args.a, a), (args.b, b)):
        if not curve:
            sys.exit(f"FAIL: '{path}' holds no logged losses")
    if set(a) != set(b):
        sys.exit("FAIL: the runs logged different steps")
    steps = sorted(a)[: args.first] if args.first else sorted(a)
    worst_rel = max(abs(a[s] - b[s]) / max(abs(a[s]), 1e-12) for s in steps)
    worst_abs = max(abs(a[s] - b[s]) for s in steps)
    print(f"{len(steps)} losses: worst relative difference {worst_rel:.2e} "
          f"(limit {args.rel_limit}), worst absolute {worst_abs:.2e} (limit {args.abs_limit})")
    if args.rel_limit is not None and worst_rel > args.rel_limit:
        sys.exit("FAIL: relative difference over the limit")
    if args.abs_limit is not None and worst_abs > args.abs_limit:
        sys.exit("FAIL: absolute difference over the limit")


if __name__ == "__main__":
    main()
