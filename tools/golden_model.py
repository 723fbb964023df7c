"""PyTorch re-implementation of the spec-ml §1 model components (for golden fixtures and the peer
benchmark). Written from the spec, with attention spelled out (torch 1.13 has no SDPA).

Run with /usr/bin/python3 (Debian python3-torch)."""
import math
import re

import torch
from torch import nn


# The peer benchmark sets this on torch >= 2.1 to run attention through
# F.scaled_dot_product_attention, as the original does; fixtures always use the explicit form.
USE_SDPA = False


def causal_attention(q, k, v, slopes, scale, dropout_p, training, query_offset=0):
    """q [B,H,Tq,Dh], k/v [B,Hkv,Tk,Dh]; ALiBi bias slope_h*(j-(i+offset)); causal mask."""
    h, hkv = q.shape[1], k.shape[1]
    if hkv != h:  # grouped-query: query head h reads kv head h // (H/Hkv)
        k = k.repeat_interleave(h // hkv, dim=1)
        v = v.repeat_interleave(h // hkv, dim=1)
    tq, tk = q.shape[2], k.shape[2]
    if USE_SDPA:
        p = dropout_p if training else 0.0
        sdpa = nn.functional.scaled_dot_product_attention
        if slopes is None and query_offset == 0:
            return sdpa(q, k, v, dropout_p=p, is_causal=True, scale=scale)
        j = torch.arange(tk, dtype=q.dtype)[None, :]
        i = torch.arange(tq, dtype=q.dtype)[:, None] + query_offset
        bias = torch.zeros(1, h, tq, tk, dtype=q.dtype)
        if slopes is not None:
            bias = bias + slopes.reshape(1, -1, 1, 1) * (j - i)
        bias = bias.masked_fill(j > i, float("-inf"))
        return sdpa(q, k, v, attn_mask=bias, dropout_p=p, scale=scale)
    s = (q @ k.transpose(-2, -1)) * scale
    j = torch.arange(tk, dtype=q.dtype)[None, :]
    i = torch.arange(tq, dtype=q.dtype)[:, None] + query_offset
    if slopes is not None:
        s = s + slopes.reshape(1, -1, 1, 1) * (j - i)
    s = s.masked_fill(j > i, float("-inf"))
    p = torch.softmax(s, dim=-1)
    if dropout_p > 0 and training:
        p = nn.functional.dropout(p, dropout_p, True)
    return p @ v


class NullPE(nn.Module):
    def forward(self, x, position_ids=None):
        return x


class SinusoidalPE(nn.Module):
    def __init__(self, d_model, max_sequence_length):
        super().__init__()
        pos = torch.arange(max_sequence_length, dtype=torch.float32)[:, None]
        div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_sequence_length, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("weight", pe)

    def forward(self, x, position_ids=None):
        return x + self.weight[: x.shape[1]]


class InputEncoder(nn.Module):
    def __init__(self, d_model, vocab_size, *, dropout=0.1, positional_encoder=None, scale=1.0,
                 scale_sqrt_d_model=True):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.positional_encoder = positional_encoder
        self.scale = math.sqrt(d_model) if scale_sqrt_d_model else scale
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, ids, position_ids=None):
        x = self.embedding(ids)
        if self.scale != 1.0:
            x = x * self.scale
        if self.positional_encoder is not None:
            x = self.positional_encoder(x, position_ids)
        return self.dropout(x)


def alibi_slopes(num_heads, alt):
    if alt:
        s = 1.0 / torch.logspace(1, 8, num_heads, base=2, dtype=torch.float32)
        s.masked_fill_(torch.arange(num_heads) >= num_heads / 2, 0)
        return s
    return 1.0 / torch.logspace(0, 7, num_heads, base=2, dtype=torch.float32)


class CausalAlibiAttn(nn.Module):
    def __init__(self, d_model, num_heads, *, num_kv_heads=None, bias=True, dropout=0.0,
                 trainable_alibi=False, alt_alibi_init=False):
        super().__init__()
        self.h = num_heads
        self.hkv = num_kv_heads or num_heads
        self.dh = d_model // num_heads
        self.query_linear = nn.Linear(d_model, d_model, bias=bias)
        self.key_linear = nn.Linear(d_model, self.hkv * self.dh, bias=bias)
        self.value_linear = nn.Linear(d_model, self.hkv * self.dh, bias=bias)
        self.output_linear = nn.Linear(d_model, d_model, bias=bias)
        self.dropout_p = dropout
        self.alibi_slopes = nn.Parameter(alibi_slopes(num_heads, alt_alibi_init))
        self.alibi_slopes.requires_grad = trainable_alibi

    def forward(self, x):
        b, t, _ = x.shape
        q = self.query_linear(x).view(b, t, self.h, self.dh).transpose(1, 2)
        k = self.key_linear(x).view(b, t, self.hkv, self.dh).transpose(1, 2)
        v = self.value_linear(x).view(b, t, self.hkv, self.dh).transpose(1, 2)
        o = causal_attention(q, k, v, self.alibi_slopes, 1.0 / math.sqrt(self.dh), self.dropout_p,
                             self.training)
        return self.output_linear(o.transpose(1, 2).reshape(b, t, -1))


class CausalMultiheadAttn(nn.Module):
    def __init__(self, d_model, num_heads, *, bias=True, dropout=0.0):
        super().__init__()
        self.h, self.dh = num_heads, d_model // num_heads
        self.query_linear = nn.Linear(d_model, d_model, bias=bias)
        self.key_linear = nn.Linear(d_model, d_model, bias=bias)
        self.value_linear = nn.Linear(d_model, d_model, bias=bias)
        self.output_linear = nn.Linear(d_model, d_model, bias=bias)
        self.dropout_p = dropout

    def forward(self, x):
        b, t, _ = x.shape
        split = lambda y: y.view(b, t, self.h, self.dh).transpose(1, 2)
        q, k, v = split(self.query_linear(x)), split(self.key_linear(x)), split(self.value_linear(x))
        o = causal_attention(q, k, v, None, 1.0 / math.sqrt(self.dh), self.dropout_p, self.training)
        return self.output_linear(o.transpose(1, 2).reshape(b, t, -1))


class SingleHeadAttn(nn.Module):
    def __init__(self, d_model, *, bias=True, dropout=0.0):
        super().__init__()
        self.scale = 1.0 / math.sqrt(d_model)
        self.query_key_linear = nn.Linear(d_model, d_model, bias=bias)
        self.value_linear = nn.Linear(d_model, d_model, bias=bias)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def scores(self, x):
        return x @ self.query_key_linear.weight @ x.transpose(-2, -1) * self.scale

    def forward(self, x):
        t = x.shape[1]
        s = self.scores(x).masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        p = self.dropout(torch.softmax(s, dim=-1).clamp(min=1e-10))
        return p @ self.value_linear(x)


class SingleHeadAlibiAttn(SingleHeadAttn):
    def __init__(self, d_model, *, bias=True, dropout=0.0, slope_init=0.5, trainable_alibi=False):
        super().__init__(d_model, bias=bias, dropout=dropout)
        if trainable_alibi:
            self.alibi_slope = nn.Parameter(torch.tensor(slope_init))
        else:
            self.alibi_slope = slope_init

    def forward(self, x):
        t = x.shape[1]
        pos = torch.arange(t, dtype=x.dtype)
        s = self.scores(x) + (pos[None, :] - pos[:, None]) * self.alibi_slope
        s = s.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
        p = self.dropout(torch.softmax(s, dim=-1))
        return p @ self.value_linear(x)


class FeedforwardLayer(nn.Module):
    def __init__(self, d_model, d_feedforward, *, activation=nn.ReLU, dropout=0.0, bias=True):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_feedforward, bias=bias)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.activation = activation()
        self.linear2 = nn.Linear(d_feedforward, d_model, bias=bias)

    def forward(self, x):
        return self.linear2(self.activation(self.dropout(self.linear1(x))))


class GLUFeedforwardLayer(nn.Module):
    def __init__(self, d_model, d_feedforward, *, activation=nn.SiLU, dropout=0.1):
        super().__init__()
        self.up_proj = nn.Linear(d_model, d_feedforward, bias=False)
        self.gate_proj = nn.Linear(d_model, d_feedforward, bias=False)
        self.down_proj = nn.Linear(d_feedforward, d_model, bias=False)
        self.activation = activation()
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        return self.down_proj(self.dropout(self.up_proj(x) * self.activation(self.gate_proj(x))))


class RMSNorm(nn.Module):
    """torch.nn.RMSNorm semantics: eps None -> float32 machine epsilon."""

    def __init__(self, d, eps=None):
        super().__init__()
        self.eps = torch.finfo(torch.float32).eps if eps is None else eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class _Layer(nn.Module):
    def __init__(self, feedforward, attention, norm_factory, dropout=0.1, residual_dropout=0.0):
        super().__init__()
        self.feedforward = feedforward()
        self.attention = attention()
        self.norm1 = norm_factory()
        self.norm2 = norm_factory()
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.residual_dropout = nn.Dropout(residual_dropout) if residual_dropout > 0 else nn.Identity()


class PostLNLayer(_Layer):
    def forward(self, x):
        x = self.norm1(self.residual_dropout(x) + self.dropout(self.attention(x)))
        return self.norm2(self.residual_dropout(x) + self.dropout(self.feedforward(x)))


class PreLNLayer(_Layer):
    def forward(self, x):
        x = self.residual_dropout(x) + self.dropout(self.attention(self.norm1(x)))
        return self.residual_dropout(x) + self.dropout(self.feedforward(self.norm2(x)))


class LayerStack(nn.Module):
    def __init__(self, layer_factory, num_hidden_layers, *, post_norm_factory=None):
        super().__init__()
        self.layers = nn.ModuleList([layer_factory() for _ in range(num_hidden_layers)])
        self.layer_norm = post_norm_factory() if post_norm_factory else None

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.layer_norm(x) if self.layer_norm is not None else x


def causal_loss(logits, labels):
    z = logits[:, :-1, :].reshape(-1, logits.shape[-1])
    y = labels[:, 1:].reshape(-1)
    return nn.functional.cross_entropy(z, y, ignore_index=-100)


class CausalLM(nn.Module):
    """EX CasualLM: registration order input_encoder, output_decoder, layer_stack."""

    def __init__(self, input_encoder, output_decoder, layer_stack, init_weights=None):
        super().__init__()
        self.input_encoder = input_encoder
        self.output_decoder = output_decoder
        self.layer_stack = layer_stack
        if init_weights is not None:
            init_weights(self)

    def forward(self, ids, labels=None):
        logits = self.output_decoder(self.layer_stack(self.input_encoder(ids)))
        return logits, (causal_loss(logits, labels) if labels is not None else None)


@torch.no_grad()
def simple_weight_init(model, scale_rsqrt_d_model=True):
    for _, m in model.named_modules():
        if isinstance(m, nn.Linear):
            r = 1.0 / math.sqrt(m.weight.shape[1])
            nn.init.uniform_(m.weight, -r, r)
            if m.bias is not None:
                m.bias.zero_()
        elif isinstance(m, nn.Embedding):
            std = 1.0 / math.sqrt(m.weight.shape[1]) if scale_rsqrt_d_model else 1.0
            nn.init.normal_(m.weight, std=std)


def example_model(d=288, heads=6, layers=6, ffn=1152, vocab=2000, alibi=True, max_len=2048,
                  emb_drop=0.1, layer_drop=0.1, attn_drop=0.1, act_drop=0.1):
    """The EX example (custom_alibi_glu.yaml) or its AbsPE variant."""
    if alibi:
        pe = NullPE()
        attn = lambda: CausalAlibiAttn(d, heads, dropout=attn_drop, trainable_alibi=True)
    else:
        pe = SinusoidalPE(d, max_len)
        attn = lambda: CausalMultiheadAttn(d, heads, dropout=attn_drop)
    layer = lambda: PostLNLayer(lambda: GLUFeedforwardLayer(d, ffn, dropout=act_drop), attn,
                                lambda: nn.LayerNorm(d), dropout=layer_drop)
    return CausalLM(InputEncoder(d, vocab, dropout=emb_drop, positional_encoder=pe),
                    nn.Linear(d, vocab), LayerStack(layer, layers), simple_weight_init)
