"""Hugging Face tokenizer.json import, checked against the real `tokenizers`: a BPE tokenizer is
trained with `tokenizers` on the TinyStories-lc train stories (vocabulary 2000), saved with
transformers' save_pretrained, and then every validation story (and a set of edge texts) must get
the same ids from `forgather tokenizer encode` as from `tokenizers`, and the same text back from
`forgather tokenizer decode` as from `tokenizers`' decode.

usage: hf_tokenizer_import_test.py FORGATHER_BINARY {byte_level|byte_fallback}
  byte_level:    the original's tiny_2k recipe: NFC, ByteLevel (GPT-2 split), BPE, BOS prepended
                 by TemplateProcessing, ByteLevel decoder; also the same with add_prefix_space.
  byte_fallback: a SentencePiece-style BPE: NFC and spaces as U+2581, no pre-tokenizer, a small
                 alphabet with <0xNN> byte-fallback pieces, Replace/ByteFallback/Fuse decoder.
The stories come from ../shared/data/tinystories-lc beside the repository, or $FG_TINYSTORIES_LC.
Needs build/venv (scripts/python-deps.sh). Works in a scratch directory.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

REPO = Path(__file__).resolve().parents[2]
SPECIALS = ["<|BOS|>", "<|PAD|>", "<|EOS|>", "<|UNK|>"]
# Text the stories lack: contractions, runs and kinds of whitespace, non-ASCII letters, numbers
# and marks, astral characters, special-token text inside text, a combining mark after one.
EDGE_TEXTS = [
    "don't we'll they're I've she'd it's 'S 'll''s", "  two  spaces\n\nnew line\ttab ",
    "trailing spaces   ", "\u00e9moji \U0001F409 dragon \u00c5\u00c9 caf\u00e9 12345",
    "e\u0301 combining A\u030a", "no\u00a0break x\u2003\u2003y \u3000z", "\u0661\u0662\u0663 \u00bd 2\u00b3",
    "hello <|EOS|> world <|BOS|>", "<|BOS|>start", "end<|PAD|>", "<|EOS|>\u0338 and >\u0338",
    "\u4f60\u597d\uff0c\u4e16\u754c", "\r\n\r\nwindows\r\n", "....!!!??? ,,,", "a" * 300,
]


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def run(cmd):
    # Bytes, not text=True: universal newlines would turn a decoded "\r\n" into "\n".
    result = subprocess.run([str(c) for c in cmd], capture_output=True)
    if result.returncode != 0:
        fail(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n"
             f"{result.stderr.decode('utf-8', 'replace')}")
    return result.stdout.decode("utf-8")


def read_stories(path):
    text = path.read_text(encoding="utf-8")
    return [s for s in text.split("<|endoftext|>\n") if s]


def train_byte_level(train, scratch):
    """The original's tiny_2k recipe (trained on the lc stories instead of all of TinyStories)."""
    tok = Tokenizer(models.BPE(cache_capacity=16, unk_token="<|UNK|>", byte_fallback=True))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=2000, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=SPECIALS, show_progress=False)
    tok.train_from_iterator((train[i:i + 1000] for i in range(0, len(train), 1000)), trainer)
    tok.post_processor = processors.TemplateProcessing(single="<|BOS|> $A",
                                                       special_tokens=[("<|BOS|>", 0)])
    # The saved tiny_2k has add_prefix_space=False (PreTrainedTokenizerFast rewrites it).
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    return save_pretrained(tok, scratch / "byte_level")


def train_byte_fallback(train, scratch):
    """SentencePiece-style: no pre-tokenizer, 100 characters, bytes for everything else."""
    tok = Tokenizer(models.BPE(unk_token="<|UNK|>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(" ", "\u2581")])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(),
                                     decoders.Fuse()])
    trainer = trainers.BpeTrainer(vocab_size=2000 - 256, limit_alphabet=40, special_tokens=SPECIALS,
                                  show_progress=False)
    tok.train_from_iterator((train[i:i + 1000] for i in range(0, len(train), 1000)), trainer)
    tok.post_processor = processors.TemplateProcessing(single="<|BOS|> $A",
                                                       special_tokens=[("<|BOS|>", 0)])
    spec = json.loads(tok.to_str())
    vocab = spec["model"]["vocab"]
    for b in range(256):
        vocab.setdefault(f"<0x{b:02X}>", len(vocab))
    tok = Tokenizer.from_str(json.dumps(spec))
    return save_pretrained(tok, scratch / "byte_fallback")


def save_pretrained(tok, out):
    wrapper = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|BOS|>", pad_token="<|PAD|>",
                                      eos_token="<|EOS|>", unk_token="<|UNK|>", model_max_length=2048)
    wrapper.save_pretrained(out)
    return out


def with_prefix_space(src, scratch):
    """The same tokenizer with ByteLevel add_prefix_space=True (only tokenizer.json beside it)."""
    spec = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    spec["pre_tokenizer"]["add_prefix_space"] = True
    out = scratch / "byte_level_prefix"
    out.mkdir()
    (out / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return out


def forgather_encode(forgather, tok_dir, texts, scratch):
    docs = scratch / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")
    base = [forgather, "tokenizer", "encode", "--tokenizer", tok_dir, "--format", "jsonl", docs]
    lines = run(base).splitlines()
    if len(lines) != len(texts):
        fail(f"forgather encoded {len(lines)} documents, expected {len(texts)}")
    stats = run(base + ["--stats"])
    seconds = float(re.search(r"encode time: ([0-9.]+) s", stats).group(1))
    return [[int(t) for t in line.split()] for line in lines], seconds


def forgather_decode(forgather, tok_dir, ids, scratch):
    path = scratch / "ids.txt"
    path.write_text("".join(" ".join(map(str, i)) + "\n" for i in ids))
    out = run([forgather, "tokenizer", "decode", "--tokenizer", tok_dir, path])
    if not out.endswith("\n"):
        fail("forgather tokenizer decode output does not end with a newline")
    return out[:-1].split("\n<|endoftext|>\n")


def check(forgather, tok_dir, texts, what, scratch, round_trip):
    # Forgather's document readers drop a document's trailing newlines.
    texts = [t.rstrip("\n") for t in texts]
    reference = Tokenizer.from_file(str(tok_dir / "tokenizer.json"))
    started = time.perf_counter()
    expected = [e.ids for e in reference.encode_batch(texts)]
    hf_seconds = time.perf_counter() - started
    ours, seconds = forgather_encode(forgather, tok_dir, texts, scratch)
    for n, (text, want, got) in enumerate(zip(texts, expected, ours)):
        if want != got:
            at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
            fail(f"{what}: text {n} ({text[:60]!r}...): ids differ at {at}: tokenizers "
                 f"{want[max(0, at - 3):at + 5]}, forgather {got[max(0, at - 3):at + 5]}")
    decoded = forgather_decode(forgather, tok_dir, expected, scratch)
    for n, (text, want_ids, got) in enumerate(zip(texts, expected, decoded)):
        want = reference.decode(want_ids)
        if got != want:
            fail(f"{what}: text {n}: decode differs: tokenizers {want[:80]!r}, forgather {got[:80]!r}")
        if round_trip and got != unicodedata.normalize("NFC", text):
            fail(f"{what}: text {n}: decode(encode(x)) != NFC(x): {got[:80]!r}")
    tokens = sum(len(i) for i in expected)
    print(f"{what}: {len(texts)} texts, {tokens} ids identical, decode identical; forgather encode "
          f"{seconds:.3f} s (tokenizers encode_batch {hf_seconds:.3f} s)")
    return seconds


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("byte_level", "byte_fallback"):
        fail(__doc__)
    forgather, variant = Path(sys.argv[1]), sys.argv[2]
    lc = Path(os.environ.get("FG_TINYSTORIES_LC", REPO.parent / "shared/data/tinystories-lc"))
    if not (lc / "train.txt").exists():
        fail(f"{lc}/train.txt is missing: set FG_TINYSTORIES_LC")
    train, valid = read_stories(lc / "train.txt"), read_stories(lc / "valid.txt")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        if variant == "byte_level":
            tok_dir = train_byte_level(train, scratch)
            saved = json.loads((tok_dir / "tokenizer.json").read_text(encoding="utf-8"))
            if saved["pre_tokenizer"] != {"type": "ByteLevel", "add_prefix_space": False,
                                          "trim_offsets": True, "use_regex": True}:
                fail(f"unexpected saved pre_tokenizer {saved['pre_tokenizer']}")
            demo = "once upon a time, there was a little dragon who loved to read stories."
            seconds = check(forgather, tok_dir, valid, "byte_level validation", scratch, True)
            check(forgather, tok_dir, EDGE_TEXTS + [demo], "byte_level edge texts", scratch, False)
            prefixed = with_prefix_space(tok_dir, scratch)
            check(forgather, prefixed, valid[:40] + EDGE_TEXTS, "byte_level add_prefix_space",
                  scratch, False)
        else:
            tok_dir = train_byte_fallback(train, scratch)
            seconds = check(forgather, tok_dir, valid, "byte_fallback validation", scratch, True)
            check(forgather, tok_dir, EDGE_TEXTS, "byte_fallback edge texts", scratch, False)
            # The edge texts must really exercise the fallback (the alphabet is 40 characters).
            reference = Tokenizer.from_file(str(tok_dir / "tokenizer.json"))
            byte_ids = {reference.token_to_id(f"<0x{b:02X}>") for b in range(256)}
            if not any(i in byte_ids for t in EDGE_TEXTS for i in reference.encode(t).ids):
                fail("no edge text fell back to <0xNN> pieces")
        if seconds > 2.0:
            fail(f"forgather took {seconds:.3f} s to encode the validation stories, expected < 2 s")
    print("OK")


if __name__ == "__main__":
    main()
