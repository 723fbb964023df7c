#!/usr/bin/python3
"""Writes the PyTorch golden fixtures in tests/golden/*.safetensors.

Run: /usr/bin/python3 tools/make_golden.py [out_dir]   (Debian python3-torch 1.13)

Every fixture holds, under fixed key prefixes (see docs/nn.md):
  in.<name>        inputs (x float, ids/labels int64) and in.dy, the upstream gradient: the scalar
                   loss is sum(out.y * in.dy)
  param.<name>     parameters, named as in the PyTorch state dict (no "causal_lm." prefix)
  buffer.<name>    buffers (SinusoidalPE table)
  out.<name>       outputs (y; logits and loss for whole models)
  grad.in.x        gradient w.r.t. the float input
  grad.<name>      gradient of every trainable parameter
  adamw5.<name>    whole models only: parameters after 5 AdamW steps (lr 1e-3, wd 0.01) on the batch
The reference runs in float64 and is stored as float32, so it is exact to float32 rounding.
The header's __metadata__ holds the component and its arguments as JSON ("config").
"""
import json
import os
import struct
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_model as gm  # noqa: E402

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.float64:
            t = t.float()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def randomise(module, gen):
    """Random non-trivial parameters (norm weights near 1, slopes kept at their init)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "slope" in name:
                continue
            if name.endswith("weight") and p.dim() == 1:
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen, dtype=p.dtype))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=gen, dtype=p.dtype))


def component_fixture(module, x, gen, config):
    module = module.double().eval()
    if x.is_floating_point():
        x = x.double().requires_grad_(True)
    t = {}
    t["in.x" if x.is_floating_point() else "in.ids"] = x
    for n, p in module.named_parameters():
        t["param." + n] = p
    for n, b in module.named_buffers():
        t["buffer." + n] = b
    y = module(x)
    dy = torch.randn(y.shape, generator=gen, dtype=torch.float64)
    (y * dy).sum().backward()
    t["in.dy"], t["out.y"] = dy, y
    if x.is_floating_point():
        t["grad.in.x"] = x.grad
    for n, p in module.named_parameters():
        if p.requires_grad:
            t["grad." + n] = p.grad if p.grad is not None else torch.zeros_like(p)  # unused bias
    return t, {"config": json.dumps(config)}


def model_fixture(alibi, gen):
    torch.manual_seed(1234)
    cfg = dict(d=48, heads=6, layers=2, ffn=96, vocab=64, alibi=alibi, max_len=32, emb_drop=0.0,
               layer_drop=0.0, attn_drop=0.0, act_drop=0.0)
    model = gm.example_model(**cfg).double().train()
    ids = torch.randint(0, 64, (2, 16), generator=gen)
    labels = ids.clone()
    labels[1, 12:] = -100  # padding labels
    t = {"in.ids": ids, "in.labels": labels}
    for n, p in model.named_parameters():
        t["param." + n] = p.detach().clone()
    for n, b in model.named_buffers():
        t["buffer." + n] = b
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    for step in range(5):
        logits, loss = model(ids, labels)
        loss.backward()
        if step == 0:
            t["out.logits"], t["out.loss"] = logits.detach().clone(), loss.detach().clone()
            for n, p in model.named_parameters():
                t["grad." + n] = p.grad.detach().clone()
        opt.step()
        opt.zero_grad()
    for n, p in model.named_parameters():
        t["adamw5." + n] = p.detach().clone()
    meta = dict(cfg, model="CausalLM", optimizer="AdamW lr=1e-3 wd=0.01 betas=(0.9,0.999) eps=1e-8")
    return t, {"config": json.dumps(meta)}


def component_cases():
    d, h, ffn, b, t, v = 24, 4, 48, 2, 9, 50
    ln = lambda: nn.LayerNorm(d)
    alibi = lambda **kw: (lambda: gm.CausalAlibiAttn(d, h, **kw))
    glu = lambda: gm.GLUFeedforwardLayer(d, ffn, dropout=0.0)
    ids = lambda g: torch.randint(0, v, (b, t), generator=g)
    x = lambda g: torch.randn(b, t, d, generator=g)
    return {
        "linear": (lambda: nn.Linear(d, 24), x, {}),
        "linear_nobias": (lambda: nn.Linear(d, 24, bias=False), x, {}),
        "embedding": (lambda: nn.Embedding(v, d), ids, {}),
        "layer_norm": (ln, x, {"eps": 1e-5}),
        "rms_norm": (lambda: gm.RMSNorm(d), x, {"eps": "float32 epsilon"}),
        "sinusoidal_pe": (lambda: gm.SinusoidalPE(d, 16), x, {"max_sequence_length": 16}),
        "input_encoder_null": (lambda: gm.InputEncoder(d, v, dropout=0.0, positional_encoder=gm.NullPE()),
                               ids, {}),
        "input_encoder_sin": (lambda: gm.InputEncoder(d, v, dropout=0.0,
                                                      positional_encoder=gm.SinusoidalPE(d, 16)), ids,
                              {"max_sequence_length": 16}),
        "input_encoder_scale": (lambda: gm.InputEncoder(d, v, dropout=0.0, scale=2.5,
                                                        scale_sqrt_d_model=False), ids, {"scale": 2.5}),
        "alibi_attn": (alibi(), x, {}),
        "alibi_attn_trainable": (alibi(trainable_alibi=True), x, {"trainable_alibi": True}),
        "alibi_attn_alt": (alibi(trainable_alibi=True, alt_alibi_init=True), x,
                           {"trainable_alibi": True, "alt_alibi_init": True}),
        "alibi_attn_nobias": (alibi(bias=False), x, {"bias": False}),
        "alibi_attn_gqa": (alibi(num_kv_heads=2, trainable_alibi=True), x,
                           {"num_kv_heads": 2, "trainable_alibi": True}),
        "mha_attn": (lambda: gm.CausalMultiheadAttn(d, h), x, {}),
        "mha_attn_nobias": (lambda: gm.CausalMultiheadAttn(d, h, bias=False), x, {"bias": False}),
        "single_head_attn": (lambda: gm.SingleHeadAttn(d), x, {}),
        "single_head_alibi_attn": (lambda: gm.SingleHeadAlibiAttn(d), x, {}),
        "single_head_alibi_attn_trainable": (lambda: gm.SingleHeadAlibiAttn(d, trainable_alibi=True,
                                                                              slope_init=0.3), x,
                                             {"trainable_alibi": True, "slope_init": 0.3}),
        "feedforward": (lambda: gm.FeedforwardLayer(d, ffn), x, {"activation": "relu"}),
        "feedforward_gelu_nobias": (lambda: gm.FeedforwardLayer(d, ffn, activation=nn.GELU, bias=False),
                                    x, {"activation": "gelu", "bias": False}),
        "glu_feedforward": (glu, x, {}),
        "post_ln_layer": (lambda: gm.PostLNLayer(glu, alibi(trainable_alibi=True), ln, dropout=0.0), x, {}),
        "pre_ln_layer": (lambda: gm.PreLNLayer(glu, alibi(trainable_alibi=True), ln, dropout=0.0), x, {}),
        "layer_stack_post_norm": (lambda: gm.LayerStack(
            lambda: gm.PreLNLayer(glu, lambda: gm.CausalMultiheadAttn(d, h), ln, dropout=0.0), 2,
            post_norm_factory=ln), x, {"num_hidden_layers": 2}),
    }


def loss_fixture(gen):
    logits = torch.randn(2, 9, 50, generator=gen, dtype=torch.float64).requires_grad_(True)
    labels = torch.randint(0, 50, (2, 9), generator=gen)
    labels[0, 3] = labels[1, 7:] = -100
    loss = gm.causal_loss(logits, labels)
    loss.backward()
    return {"in.x": logits, "in.labels": labels, "out.y": loss, "grad.in.x": logits.grad}, {
        "config": json.dumps({"ignore_index": -100})}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests",
                                                             "golden")
    os.makedirs(out, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(0)
    fixtures = {}
    for name, (make, inp, cfg) in component_cases().items():
        torch.manual_seed(7)
        module = make()
        randomise(module, gen)
        fixtures[name] = component_fixture(module, inp(gen), gen, dict(cfg, d_model=24, num_heads=4,
                                                                        d_feedforward=48, vocab=50))
    fixtures["causal_loss"] = loss_fixture(gen)
    fixtures["model_alibi"] = model_fixture(True, gen)
    fixtures["model_abspe"] = model_fixture(False, gen)
    total = 0
    for name, (tensors, meta) in fixtures.items():
        path = os.path.join(out, name + ".safetensors")
        write_safetensors(path, tensors, meta)
        total += os.path.getsize(path)
    print(f"wrote {len(fixtures)} fixtures, {total / 1e6:.2f} MB, to {out}")


if __name__ == "__main__":
    main()
