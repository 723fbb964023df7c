#!/usr/bin/python3
"""PyTorch peer of the C++ engine: the full example model (ALiBi + GLU + PostLN, D 288, 6 heads,
6 layers, F 1152, V 2000, dropout as the example) in fp32, from tools/golden_model.py.

Benchmark mode (peer of bench/train_step): forward + backward + AdamW on random token batches;
prints per-step times and, as its LAST line, `tokens_per_second: <x>`.
  /usr/bin/python3 tools/pytorch_peer.py --batch 8 --seq 512 --steps 5 [--threads 2] [--sdpa]
      [--bf16] [--compile] [--device cuda [--tf32]]
  build/venv/bin/python tools/pytorch_peer.py --best ...   (every setup; the best fp32 and bf16)

Learning mode (peer of bench/learning_run): trains on the token ids bench/learning_run wrote (one
sample per line, in train order) with the same recipe: AdamW(lr 3e-4, wd 0.01, betas 0.9/0.999,
eps 1e-8), warmup + linear decay where update k uses lambda(k-1), batches taken in file order,
right padding with PAD and labels -100; evaluates (mean of per-batch mean losses) at step 0 and
every --eval-steps; writes a JSON summary.
  /usr/bin/python3 tools/pytorch_peer.py --train-tokens F --valid-tokens F --steps 600 \
      --eval-steps 100 --logging-steps 10 --summary out.json [--threads 2]
"""
import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_model as gm  # noqa: E402


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def benchmark(args):
    torch.manual_seed(0)
    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = args.tf32
        torch.backends.cudnn.allow_tf32 = args.tf32
    model = gm.example_model(alibi=not args.abspe).train().to(device)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    print(f"parameters: {n_params}")
    # bf16 as Hugging Face's `bf16: true` does it: f32 master weights and optimizer, the forward
    # under autocast (GEMMs in bf16) on the model's device, backward outside it.
    forward = torch.compile(model) if args.compile else model
    precision = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.bf16)
    times = []
    for step in range(args.warmup + args.steps):
        ids = torch.randint(0, 2000, (args.batch, args.seq)).to(device)
        sync(device)
        t0 = time.perf_counter()
        with precision:
            _, loss = forward(ids, ids)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        sync(device)  # GPU kernels run asynchronously: time them to completion
        dt = time.perf_counter() - t0
        tag = "warmup" if step < args.warmup else "step"
        print(f"{tag} {step}: {dt * 1e3:.1f} ms loss {loss.item():.4f}")
        if step >= args.warmup:
            times.append(dt)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb: {rss_mb:.1f}")
    mean = sum(times) / len(times)
    print(f"tokens_per_second: {args.batch * args.seq / mean:.1f}")


def read_samples(path):
    with open(path) as f:
        return [[int(t) for t in line.split()] for line in f if line.strip()]


def collate(samples, pad_id):
    """Right padding to the longest sample; labels are the ids with -100 on padding."""
    t = max(len(s) for s in samples)
    ids = torch.full((len(samples), t), pad_id, dtype=torch.long)
    labels = torch.full((len(samples), t), -100, dtype=torch.long)
    for i, s in enumerate(samples):
        ids[i, : len(s)] = torch.tensor(s)
        labels[i, : len(s)] = torch.tensor(s)
    return ids, labels


def linear_lambda(warmup, total):
    def f(s):
        if s < warmup:
            return s / max(1, warmup)
        return max(0.0, (total - s) / max(1, total - warmup))
    return f


@torch.no_grad()
def evaluate(model, valid, batch, pad_id):
    model.eval()
    losses = []
    for i in range(0, len(valid), batch):
        ids, labels = collate(valid[i: i + batch], pad_id)
        losses.append(model(ids, labels)[1].item())
    model.train()
    return sum(losses) / len(losses)


def learn(args):
    train = read_samples(args.train_tokens)
    valid = read_samples(args.valid_tokens)
    torch.manual_seed(args.seed)
    model = gm.example_model(vocab=args.vocab).train()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, linear_lambda(args.warmup_steps, args.steps))
    initial = evaluate(model, valid, args.batch, args.pad_id)
    print(f"step 0: eval_loss {initial:.4f}", flush=True)
    evals, logged, window = [{"step": 0, "loss": initial}], [], []
    batches = [train[i: i + args.batch] for i in range(0, len(train), args.batch)]
    tokens, t0 = 0, time.perf_counter()
    for step in range(1, args.steps + 1):
        ids, labels = collate(batches[(step - 1) % len(batches)], args.pad_id)
        _, loss = model(ids, labels)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        sched.step()
        tokens += int((labels != -100).sum())
        window.append(loss.item())
        if step % args.logging_steps == 0 or step == args.steps:
            logged.append({"step": step, "loss": sum(window) / len(window)})
            print(f"step {step}: loss {logged[-1]['loss']:.4f} "
                  f"({tokens / (time.perf_counter() - t0):.0f} tokens/s)", flush=True)
            window = []
        if step % args.eval_steps == 0:
            evals.append({"step": step, "loss": evaluate(model, valid, args.batch, args.pad_id)})
            print(f"step {step}: eval_loss {evals[-1]['loss']:.4f}", flush=True)
    runtime = time.perf_counter() - t0
    summary = {"implementation": f"pytorch {torch.__version__}", "steps": args.steps,
               "threads": args.threads,
               "parameters": sum(p.numel() for p in model.parameters()),
               "initial_eval_loss": initial, "final_eval_loss": evals[-1]["loss"],
               "eval": evals, "train_loss": logged, "train_runtime_s": runtime,
               "wall_time_s": time.perf_counter() - START, "tokens_per_second": tokens / runtime}
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=2)
    print(f"final eval_loss {summary['final_eval_loss']:.4f}, train {runtime:.1f} s, "
          f"{summary['tokens_per_second']:.1f} tokens/s")


START = time.perf_counter()

# The setups --best runs, each in a fresh process (so peak RSS is its own).
SETUPS = [("eager fp32", []), ("eager fp32 sdpa", ["--sdpa"]), ("compile fp32", ["--compile"]),
          ("eager bf16 autocast", ["--bf16"]), ("eager bf16 autocast sdpa", ["--bf16", "--sdpa"]),
          ("compile bf16 autocast", ["--compile", "--bf16"])]


def best(args, passthrough):
    """Runs every setup and prints each one's tokens/s and peak RSS, then the best per dtype."""
    import subprocess
    results = {}
    for name, flags in SETUPS:
        cmd = [sys.executable, os.path.abspath(__file__), *passthrough, *flags]
        out = subprocess.run(cmd, capture_output=True, text=True)
        fields = dict(line.split(": ", 1) for line in out.stdout.splitlines()
                      if line.startswith(("tokens_per_second:", "peak_rss_mb:")))
        if out.returncode != 0 or "tokens_per_second" not in fields:
            print(f"setup {name}: failed (exit {out.returncode}): {out.stderr.strip()[-300:]}")
            continue
        results[name] = (float(fields["tokens_per_second"]), float(fields["peak_rss_mb"]))
        print(f"setup {name}: {results[name][0]:.1f} tokens/s, peak RSS {results[name][1]:.0f} MB",
              flush=True)
    for dtype in ("fp32", "bf16"):
        ok = {n: r for n, r in results.items() if dtype in n}
        if ok:
            name = max(ok, key=lambda n: ok[n][0])
            print(f"best_{dtype}: {name}: {ok[name][0]:.1f} tokens/s, peak RSS {ok[name][1]:.0f} MB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu",
                    help="benchmark mode: cpu or cuda[:N] (the model and batches on that device)")
    ap.add_argument("--tf32", action="store_true", help="cuda: f32 matmuls on TF32 tensor cores")
    ap.add_argument("--abspe", action="store_true", help="AbsPE variant instead of ALiBi")
    ap.add_argument("--sdpa", action="store_true",
                    help="attention through F.scaled_dot_product_attention (torch >= 2.1)")
    ap.add_argument("--bf16", action="store_true", help="forward under bf16 autocast (on --device)")
    ap.add_argument("--compile", action="store_true", help="torch.compile the model")
    ap.add_argument("--best", action="store_true",
                    help="run eager/sdpa/compile x fp32/bf16, each in its own process; print the best")
    ap.add_argument("--train-tokens", help="learning mode: train samples from bench/learning_run")
    ap.add_argument("--valid-tokens", help="learning mode: evaluation samples")
    ap.add_argument("--eval-steps", type=int, default=100)
    ap.add_argument("--logging-steps", type=int, default=10)
    ap.add_argument("--warmup-steps", type=int, default=100)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--vocab", type=int, default=2000)
    ap.add_argument("--pad-id", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--summary", help="learning mode: write the JSON summary here")
    args = ap.parse_args()
    if args.best:
        passthrough = [a for a in sys.argv[1:] if a != "--best"]
        return best(args, passthrough)
    torch.set_num_threads(args.threads)
    gm.USE_SDPA = args.sdpa
    print(f"torch {torch.__version__}, attention: {'sdpa' if args.sdpa else 'explicit'}, "
          f"{'bf16 autocast' if args.bf16 else 'fp32'}{', compiled' if args.compile else ''}")
    if args.train_tokens:
        if not args.valid_tokens:
            ap.error("--train-tokens needs --valid-tokens")
        learn(args)
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
