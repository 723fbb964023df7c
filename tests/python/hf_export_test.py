"""Hugging Face export, checked with the real transformers: a model trained a few steps on the
synthetic stories is exported with `forgather export hf`, and in transformers
  - its logits equal `forgather eval --dump-logits` within 1e-4 on 8 validation stories;
  - greedy generation of 50 tokens from the dragon prompt equals `forgather generate --greedy`;
  - AutoTokenizer ids equal ours on every validation story (and on the TinyStories-lc
    validation text when ../shared/data/tinystories-lc beside the repository, or
    $FG_TINYSTORIES_LC, holds it; then also with a tokenizer trained on its train.txt).

usage: hf_export_test.py FORGATHER_BINARY {alibi_glu|abspe}
  alibi_glu: the example project's model (ALiBi with trainable slopes, GLU/SiLU, Post-LN, NullPE)
  abspe:     sinusoidal PE, multi-head attention, GELU MLP, Pre-LN with RMSNorm and a final norm
Needs build/venv (scripts/python-deps.sh). Works in a scratch directory.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from safetensors import safe_open
from transformers import AutoModelForCausalLM, AutoTokenizer

REPO = Path(__file__).resolve().parents[2]
DRAGON = "once upon a time, there was a little dragon"
TOLERANCE = 1e-4
# Text the stories lack: special-token text, runs of spaces, control, combining and astral
# characters (outside the vocabulary: byte fallback), digits.
EDGE_TEXTS = ["hello <|EOS|> world <|BOS|>", "  two  spaces\n\nnew line\ttab ",
              "\u00e9moji \U0001F409 dragon \u00c5\u00c9 caf\u00e9 12345", "e\u0301 combining"]
SIZE = """    hidden_size: 64
    num_attention_heads: 4
    num_hidden_layers: 2
    dim_feedforward: 192
    max_sequence_length: 512
"""
# Model blocks per variant, inserted into the scaffolded project's model config.
VARIANTS = {
    "alibi_glu": """
-- block feedforward_factory
feedforward_factory: &feedforward_factory !lambda:.glu_feedforward:GLUFeedforwardLayer@feedforward_factory
    d_model: !var "hidden_size"
    d_feedforward: !var "dim_feedforward"
    activation_factory: !lambda:torch.nn:SiLU []
    dropout: !var "activation_dropout"
<< endblock feedforward_factory

-- block attention_factory
attention_factory: &attention_factory !lambda:.causal_alibi_attn:CausalAlibiAttn@attention_factory
    d_model: !var "hidden_size"
    num_heads: !var "num_attention_heads"
    dropout: !var "attention_dropout"
    trainable_alibi: true
<< endblock attention_factory

-- block positional_encoder
positional_encoder: &positional_encoder !singleton:.null_pe:NullPE@positional_encoder []
<< endblock positional_encoder
""",
    "abspe": """
-- block layer_norm_factory
layer_norm_factory: &layer_norm_factory !lambda:torch.nn:RMSNorm@layer_norm_factory
    - !var "hidden_size"
<< endblock layer_norm_factory

-- block feedforward_factory
feedforward_factory: &feedforward_factory !lambda:.feedforward_layer:FeedforwardLayer@feedforward_factory
    d_model: !var "hidden_size"
    d_feedforward: !var "dim_feedforward"
    activation_factory: !lambda:torch.nn:GELU []
    dropout: !var "activation_dropout"
<< endblock feedforward_factory

-- block layer_factory
layer_factory: &layer_factory !lambda:.pre_ln_layer:PreLNLayer@layer_factory
    feedforward_factory: *feedforward_factory
    attention_factory: *attention_factory
    norm_factory: *layer_norm_factory
    dropout: !var "layer_dropout"
    residual_dropout: !var "residual_dropout"
<< endblock layer_factory

-- block layer_stack
layer_stack: &layer_stack !singleton:.layer_stack:LayerStack@layer_stack
    layer_factory: *layer_factory
    num_hidden_layers: !var "num_hidden_layers"
    post_norm_factory: *layer_norm_factory
<< endblock layer_stack
""",
}
# The model types config.json must name for each variant.
EXPECTED = {
    "alibi_glu": {"attention_type": "alibi", "feedforward_type": "glu", "layer_type": "post_ln",
                  "positional_encoding": "null", "norm": "layer_norm", "final_norm": None},
    "abspe": {"attention_type": "multihead", "feedforward_type": "mlp", "layer_type": "pre_ln",
              "positional_encoding": "sinusoidal", "norm": "rms_norm", "final_norm": "rms_norm"},
}


def fail(message):
    sys.exit(f"FAIL: {message}")


def run(cmd, cwd, env):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"{' '.join(map(str, cmd))} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def replace_once(text, old, new, where):
    if old not in text:
        fail(f"the scaffolded {where} no longer says '{old.strip()}'")
    return text.replace(old, new, 1)


def train_tiny_run(forgather, scratch, variant, env):
    run([forgather, "ws", "create", "--name", "HF Lab"], scratch, env)
    ws = scratch / "hf_lab"
    run([forgather, "project", "create", "--name", "Tiny"], ws, env)
    project = ws / "tiny"
    config = project / "templates" / "configs" / "default.yaml"
    text = config.read_text()
    text = replace_once(text, "-- extends 'models/transformers/dynamic_causal_transformer.yaml'\n",
                        "-- extends 'models/transformers/dynamic_causal_transformer.yaml'\n"
                        + VARIANTS[variant], config)
    start = text.index("    hidden_size: 128")
    end = text.index("-- endblock model_config_params")
    text = text[:start] + SIZE + text[end:]
    text = replace_once(text, "per_device_train_batch_size: 8", "per_device_train_batch_size: 4",
                        config)
    config.write_text(text)
    run([forgather, "-t", "default.yaml", "train", "--max-steps", "3"], project, env)
    return project / "output_models" / "default_model"


def check_config(model, variant):
    for key, value in EXPECTED[variant].items():
        got = getattr(model.config, key)
        if key in ("norm", "final_norm") and got is not None:
            got = got["type"]  # norms are {"type", "eps", "affine", ...}
        if got != value:
            fail(f"config.json {key} is {got!r}, expected {value!r}")


def check_logits(model, dump):
    worst = 0.0
    with safe_open(str(dump), "pt") as f:
        for i in range(8):
            ours = f.get_tensor(f"logits.{i}")
            ids = f.get_tensor(f"ids.{i}")[: ours.shape[0]]
            with torch.no_grad():
                theirs = model(ids[None]).logits[0]
            diff = (ours - theirs).abs().max().item()
            if not diff <= TOLERANCE:
                fail(f"story {i}: logits differ by {diff:.3g} (tolerance {TOLERANCE})")
            worst = max(worst, diff)
    return worst


def check_tokenizer(tokenizer, dump, what):
    with safe_open(str(dump), "pt") as f:
        meta = f.metadata()
        count = int(meta["stories"])
        for i in range(count):
            ours = f.get_tensor(f"ids.{i}").tolist()
            theirs = tokenizer(meta[f"text.{i}"])["input_ids"]
            if theirs != ours:
                at = next((k for k, (a, b) in enumerate(zip(ours, theirs)) if a != b),
                          min(len(ours), len(theirs)))
                fail(f"{what} story {i}: AutoTokenizer ids differ from ours at token {at}: "
                     f"ours {ours[at:at + 8]}, theirs {theirs[at:at + 8]}")
    return count


def check_edge_texts(forgather, run_dir, tokenizer, scratch, env):
    edge = scratch / "edge.jsonl"
    edge.write_text("".join(json.dumps({"text": s}) + "\n" for s in EDGE_TEXTS))
    lines = run([forgather, "tokenizer", "encode", "--tokenizer", run_dir, "--format", "jsonl",
                 edge], scratch, env).splitlines()
    for text, line in zip(EDGE_TEXTS, lines, strict=True):
        ours = [int(t) for t in line.split()]
        theirs = tokenizer(text)["input_ids"]
        if theirs != ours:
            fail(f"{text!r}: AutoTokenizer ids {theirs}, ours {ours}")


def check_real_text_tokenizer(forgather, run_dir, lc, scratch, env):
    """A tokenizer trained on real text (more, longer merges than the synthetic one) swapped
    into a copy of the run: AutoTokenizer ids equal ours on the validation stories."""
    tok_dir, lc_run, out_dir = scratch / "lc_tokenizer", scratch / "lc_run", scratch / "lc_hf"
    run([forgather, "tokenizer", "train", "--input", lc / "train.txt", "--vocab-size", "2000",
         "--out", tok_dir], scratch, env)
    lc_run.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(run_dir / name, lc_run / name)
    for file in tok_dir.iterdir():
        shutil.copy(file, lc_run / file.name)
    run([forgather, "export", "hf", lc_run, out_dir], scratch, env)
    dump = scratch / "lc_real.safetensors"
    run([forgather, "eval", lc_run, "--dataset", lc / "valid.txt", "--split", "validation",
         "--dump-logits", dump, "--dump-stories", "0"], scratch, env)
    tokenizer = AutoTokenizer.from_pretrained(out_dir, trust_remote_code=True)
    merges = len(json.loads((out_dir / "tokenizer.json").read_text())["model"]["merges"])
    count = check_tokenizer(tokenizer, dump, "tinystories-lc (real-text tokenizer)")
    return f"; a tokenizer trained on tinystories-lc ({merges} merges) too, on {count} stories"


def check_generation(model, tokenizer, ours_stdout):
    lines = [l for l in ours_stdout.splitlines() if l.startswith("ids: ")]
    if len(lines) != 1:
        fail(f"forgather generate --print-ids printed no single ids line:\n{ours_stdout}")
    ours = [int(t) for t in lines[0][len("ids: "):].split()]
    prompt = tokenizer(DRAGON, return_tensors="pt")
    for use_cache in (True, False):
        lengths = []  # tokens per forward call: with the KV cache, 1 after the prompt
        hook = model.register_forward_pre_hook(
            lambda module, args, kwargs: lengths.append(kwargs["input_ids"].shape[1]),
            with_kwargs=True)
        out = model.generate(**prompt, max_new_tokens=50, do_sample=False, use_cache=use_cache)
        hook.remove()
        theirs = out[0, prompt["input_ids"].shape[1]:].tolist()
        if theirs != ours:
            fail(f"greedy generation (use_cache={use_cache}) differs:\n ours   {ours}\n "
                 f"theirs {theirs}")
        if use_cache and max(lengths[1:]) != 1:
            fail(f"generate with use_cache=True ran {lengths} tokens per step")
    return len(ours)


def main():
    forgather, variant = sys.argv[1], sys.argv[2]
    if variant not in VARIANTS:
        fail(f"unknown variant {variant}; expected one of {sorted(VARIANTS)}")
    with tempfile.TemporaryDirectory(prefix="fg_hf_export_") as tmp:
        scratch = Path(tmp)
        env = dict(os.environ, FORGATHER_DATASET="synthetic", FORGATHER_CACHE=str(scratch / "cache"))
        run_dir = train_tiny_run(forgather, scratch, variant, env)
        out_dir = scratch / "hf_model"
        run([forgather, "export", "hf", run_dir, out_dir], scratch, env)
        dump = scratch / "validation.safetensors"
        run([forgather, "eval", run_dir, "--split", "validation", "--dump-logits", dump,
             "--dump-stories", "8"], scratch, env)
        generated = run([forgather, "generate", run_dir, "--greedy", "--max-new-tokens", "50",
                         "--print-ids", "--prompt", DRAGON], scratch, env)

        model = AutoModelForCausalLM.from_pretrained(out_dir, trust_remote_code=True)
        tokenizer = AutoTokenizer.from_pretrained(out_dir, trust_remote_code=True)
        check_config(model, variant)
        worst = check_logits(model, dump)
        stories = check_tokenizer(tokenizer, dump, "synthetic validation")
        check_edge_texts(forgather, run_dir, tokenizer, scratch, env)
        tokens = check_generation(model, tokenizer, generated)
        report = (f"hf export ({variant}): logits within {worst:.2g} on 8 stories; "
                  f"{tokens} greedy tokens identical (KV cache on and off); AutoTokenizer ids equal on {stories} "
                  f"synthetic validation stories, {len(EDGE_TEXTS)} edge texts")

        lc = Path(os.environ.get("FG_TINYSTORIES_LC", REPO.parent / "shared/data/tinystories-lc"))
        if (lc / "valid.txt").is_file():
            lc_dump = scratch / "lc.safetensors"
            run([forgather, "eval", run_dir, "--dataset", lc / "valid.txt", "--split",
                 "validation", "--dump-logits", lc_dump, "--dump-stories", "0"], scratch, env)
            report += f" and {check_tokenizer(tokenizer, lc_dump, 'tinystories-lc')} tinystories-lc"
            report += check_real_text_tokenizer(forgather, run_dir, lc, scratch, env)
        print(report)


if __name__ == "__main__":
    main()
