#!/usr/bin/python3
"""Prints the learning curves of bench/learning_run (ours) and tools/pytorch_peer.py (peer) side
by side and checks issue 5's acceptance; used by tools/learning_parity.sh.

  learning_compare.py OURS_SUMMARY PEER_SUMMARY|- [--ci]
  learning_compare.py --from-logs OUT_DIR   (learning_parity.sh's OUT_DIR: runs still going or cut)

Acceptance: ours final eval < 4.0 and |ours - peer| < 0.1. --ci: both initial eval losses in
[7.6, 7.8], both falling, initial losses within 0.1. Exit status 1 when the check fails."""
import json
import re
import sys


def from_logs(out):
    ours = {"eval": [], "train_loss": []}
    with open(f"{out}/ours.log") as f:
        for line in f:
            m = re.match(r"step 0: eval_loss ([0-9.]+)", line)
            if m:
                ours["eval"].append({"step": 0, "loss": float(m.group(1))})
    try:
        with open(f"{out}/ours/logs/trainer_logs.json") as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    for line in text.splitlines():  # one record per line; tolerate an unterminated file
        line = line.strip().rstrip(",")
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        for key, dst in (("eval_loss", "eval"), ("loss", "train_loss")):
            if isinstance(rec.get(key), (int, float)):
                ours[dst].append({"step": rec["global_step"], "loss": rec[key]})
        if "tokens_per_second" in rec:
            ours["last_window_tokens_per_second"] = rec["tokens_per_second"]
    peer = {"eval": [], "train_loss": []}
    try:
        with open(f"{out}/peer.log") as f:
            lines = f.readlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        t = re.search(r"\(([0-9]+) tokens/s\)", line)
        if t:
            peer["cumulative_tokens_per_second"] = float(t.group(1))
        m = re.match(r"step (\d+): (eval_loss|loss) ([0-9.]+)", line)
        if m:
            dst = "eval" if m.group(2) == "eval_loss" else "train_loss"
            peer[dst].append({"step": int(m.group(1)), "loss": float(m.group(3))})
    return ours, peer


def table(title, a, b):
    steps = sorted({r["step"] for r in a} | {r["step"] for r in (b or [])})
    da = {r["step"]: r["loss"] for r in a}
    db = {r["step"]: r["loss"] for r in (b or [])}
    fmt = lambda d, s: f"{d[s]:.4f}" if s in d else "-"
    print(f"\n{title}\n| step | ours | peer | ours - peer |\n|---|---|---|---|")
    for s in steps:
        diff = f"{da[s] - db[s]:+.4f}" if s in da and s in db else "-"
        print(f"| {s} | {fmt(da, s)} | {fmt(db, s)} | {diff} |")


def timing(name, s):
    if "train_runtime_s" in s:
        print(f"{name}: {s['implementation']}, {s['threads']} threads, train {s['train_runtime_s']:.1f} s"
              f" (wall {s['wall_time_s']:.1f} s), {s['tokens_per_second']:.1f} tokens/s")


def check(ours, peer, ci):
    ok = True
    o0, o1 = ours["eval"][0]["loss"], ours["eval"][-1]["loss"]
    if ci:
        runs = [("ours", ours)] + ([("peer", peer)] if peer else [])
        for name, s in runs:
            a, b = s["eval"][0]["loss"], s["eval"][-1]["loss"]
            if not 7.6 <= a <= 7.8 or not b < a:
                print(f"FAIL: {name} eval loss {a:.4f} -> {b:.4f} (want 7.6-7.8, then falling)")
                ok = False
        if peer and abs(o0 - peer["eval"][0]["loss"]) >= 0.1:
            print(f"FAIL: initial eval losses differ by {o0 - peer['eval'][0]['loss']:+.4f}")
            ok = False
        return ok
    print(f"\nfinal eval loss: ours {o1:.4f} (from {o0:.4f})", end="")
    if o1 >= 4.0:
        ok = False
    if peer:
        p1 = peer["eval"][-1]["loss"]
        print(f", peer {p1:.4f}, difference {o1 - p1:+.4f}")
        ok = ok and abs(o1 - p1) < 0.1
    else:
        print(" (no peer run)")
        ok = False
    print("acceptance:", "PASS" if ok else "FAIL (want ours < 4.0 and |ours - peer| < 0.1)")
    return ok


def main():
    args = sys.argv[1:]
    if args and args[0] == "--from-logs":
        ours, peer = from_logs(args[1])
        table("eval loss", ours["eval"], peer["eval"])
        table("train loss (mean of each logging window, same batches)", ours["train_loss"],
              peer["train_loss"])
        print(f"\nours: last logging window {ours.get('last_window_tokens_per_second', 0):.1f} "
              f"tokens/s; peer: {peer.get('cumulative_tokens_per_second', 0):.1f} tokens/s so far")
        return 0
    ci = "--ci" in args
    args = [a for a in args if a != "--ci"]
    with open(args[0]) as f:
        ours = json.load(f)
    peer = None
    if args[1] != "-":
        with open(args[1]) as f:
            peer = json.load(f)
    table("eval loss", ours["eval"], peer["eval"] if peer else None)
    table("train loss (mean of each logging window, same batches)", ours["train_loss"],
          peer["train_loss"] if peer else None)
    print()
    timing("ours", ours)
    if peer:
        timing("peer", peer)
    return 0 if check(ours, peer, ci) else 1


if __name__ == "__main__":
    sys.exit(main())
