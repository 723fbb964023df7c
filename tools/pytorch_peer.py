#!/usr/bin/python3
"""PyTorch peer of bench/train_step: the full example model (ALiBi + GLU + PostLN, D 288, 6 heads,
6 layers, F 1152, V 2000, dropout as the example), fp32, forward + backward + AdamW on random token
batches. Prints per-step times and, as its LAST line, `tokens_per_second: <x>`.

Run: /usr/bin/python3 tools/pytorch_peer.py --batch 8 --seq 512 --steps 5 [--threads 2] [--sdpa]
"""
import argparse
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_model as gm  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--abspe", action="store_true", help="AbsPE variant instead of ALiBi")
    ap.add_argument("--sdpa", action="store_true",
                    help="attention through F.scaled_dot_product_attention (torch >= 2.1)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    gm.USE_SDPA = args.sdpa
    print(f"torch {torch.__version__}, attention: {'sdpa' if args.sdpa else 'explicit'}")
    torch.manual_seed(0)
    model = gm.example_model(alibi=not args.abspe).train()
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    print(f"parameters: {n_params}")
    times = []
    for step in range(args.warmup + args.steps):
        ids = torch.randint(0, 2000, (args.batch, args.seq))
        t0 = time.perf_counter()
        _, loss = model(ids, ids)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        dt = time.perf_counter() - t0
        tag = "warmup" if step < args.warmup else "step"
        print(f"{tag} {step}: {dt * 1e3:.1f} ms loss {loss.item():.4f}")
        if step >= args.warmup:
            times.append(dt)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb: {rss_mb:.1f}")
    mean = sum(times) / len(times)
    print(f"tokens_per_second: {args.batch * args.seq / mean:.1f}")


if __name__ == "__main__":
    main()
