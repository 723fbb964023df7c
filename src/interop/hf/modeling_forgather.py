"""PyTorch implementation of a model exported by `forgather export hf` (Forgather C++).

Module and parameter names are those of the C++ model, so model.safetensors is its state dict.
Each component computes what its C++ counterpart computes in evaluation mode (no dropout).
Generation keeps keys and values in a transformers DynamicCache (use_cache=False re-runs the whole
sequence instead); padding is not supported."""
import math

import torch
from torch import nn
from transformers import GenerationMixin, PreTrainedModel
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import CausalLMOutputWithPast

from .configuration_forgather import ForgatherConfig

# transformers 5 calls the cache "cache"; 4.x called it "past_key_values".
CACHE_FIELD = "cache" if "cache" in CausalLMOutputWithPast.__dataclass_fields__ else "past_key_values"

ACTIVATIONS = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,  # the exact (erf) form, as the C++ kernel
    "silu": nn.SiLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "identity": nn.Identity,
}


class RMSNorm(nn.Module):
    def __init__(self, d, eps, affine):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d)) if affine else None

    def forward(self, x):
        y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return y * self.weight if self.weight is not None else y


def make_norm(spec, d):
    if spec["type"] == "layer_norm":
        return nn.LayerNorm(d, eps=spec["eps"], elementwise_affine=spec["affine"],
                            bias=spec.get("bias", True))
    if spec["type"] == "rms_norm":
        return RMSNorm(d, spec["eps"], spec["affine"])
    raise ValueError(f"unknown norm type {spec['type']!r}")


class SinusoidalPE(nn.Module):
    """x + PE[offset:offset+T]; the table [max_len, D] is stored with the weights."""

    def __init__(self, d_model, max_sequence_length):
        super().__init__()
        self.register_buffer("weight", torch.zeros(max_sequence_length, d_model))

    def forward(self, x, offset=0):
        t = x.shape[1]
        if offset + t > self.weight.shape[0]:
            raise ValueError(f"positions up to {offset + t - 1} exceed the sinusoidal table of "
                             f"{self.weight.shape[0]}")
        return x + self.weight[offset:offset + t]


class NullPE(nn.Module):
    def forward(self, x, offset=0):
        return x


class InputEncoder(nn.Module):
    """E[ids] * scale, then the positional encoder."""

    def __init__(self, config):
        super().__init__()
        self.embedding = nn.Embedding(config.vocab_size, config.hidden_size)
        self.scale = config.embedding_scale
        pe = config.positional_encoding
        if pe == "sinusoidal":
            self.positional_encoder = SinusoidalPE(config.hidden_size,
                                                   config.max_position_embeddings)
        elif pe == "null":
            self.positional_encoder = NullPE()
        else:
            self.positional_encoder = None

    def forward(self, ids, offset=0):
        x = self.embedding(ids)
        if self.scale != 1.0:
            x = x * self.scale
        if self.positional_encoder is not None:
            x = self.positional_encoder(x, offset)
        return x


def causal_attention(q, k, v, slopes):
    """q [B,H,Tq,Dh], k/v [B,Hkv,Tk,Dh], the queries being the last Tq of the Tk positions;
    scores scaled by 1/sqrt(Dh), plus the ALiBi bias slope_h * (j - i) when slopes are given;
    causal mask."""
    h, hkv = q.shape[1], k.shape[1]
    if hkv != h:  # grouped-query: query head h reads kv head h // (H / Hkv)
        k = k.repeat_interleave(h // hkv, dim=1)
        v = v.repeat_interleave(h // hkv, dim=1)
    s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))
    tq, tk = q.shape[2], k.shape[2]
    i = torch.arange(tk - tq, tk, device=q.device)
    j = torch.arange(tk, device=q.device)
    distance = (j[None, :] - i[:, None]).to(q.dtype)  # j - i
    if slopes is not None:
        s = s + slopes.reshape(1, -1, 1, 1).to(q.dtype) * distance
    s = s.masked_fill(distance > 0, float("-inf"))
    return torch.softmax(s, dim=-1) @ v


class CausalAttention(nn.Module):
    """CausalAlibiAttn (with "alibi_slopes" [H]) or CausalMultiheadAttn."""

    def __init__(self, config):
        super().__init__()
        d = config.hidden_size
        self.h = config.num_attention_heads
        self.hkv = config.num_key_value_heads
        self.dh = d // self.h
        bias = config.attention_bias
        self.query_linear = nn.Linear(d, d, bias=bias)
        self.key_linear = nn.Linear(d, self.hkv * self.dh, bias=bias)
        self.value_linear = nn.Linear(d, self.hkv * self.dh, bias=bias)
        self.output_linear = nn.Linear(d, d, bias=bias)
        if config.attention_type == "alibi":
            self.alibi_slopes = nn.Parameter(torch.zeros(self.h))
        elif config.attention_type == "multihead":
            self.alibi_slopes = None
        else:
            raise ValueError(f"unknown attention_type {config.attention_type!r}")

    def forward(self, x, cache=None, layer_index=0):
        b, t, _ = x.shape
        q = self.query_linear(x).view(b, t, self.h, self.dh).transpose(1, 2)
        k = self.key_linear(x).view(b, t, self.hkv, self.dh).transpose(1, 2)
        v = self.value_linear(x).view(b, t, self.hkv, self.dh).transpose(1, 2)
        if cache is not None:
            k, v = cache.update(k, v, layer_index)
        o = causal_attention(q, k, v, self.alibi_slopes)
        return self.output_linear(o.transpose(1, 2).reshape(b, t, -1))


class FeedforwardLayer(nn.Module):
    """linear2(act(linear1(x)))."""

    def __init__(self, config):
        super().__init__()
        d, f, bias = config.hidden_size, config.intermediate_size, config.feedforward_bias
        self.linear1 = nn.Linear(d, f, bias=bias)
        self.activation = ACTIVATIONS[config.hidden_act]()
        self.linear2 = nn.Linear(f, d, bias=bias)

    def forward(self, x):
        return self.linear2(self.activation(self.linear1(x)))


class GLUFeedforwardLayer(nn.Module):
    """down_proj(up_proj(x) * act(gate_proj(x))), no biases."""

    def __init__(self, config):
        super().__init__()
        d, f = config.hidden_size, config.intermediate_size
        self.up_proj = nn.Linear(d, f, bias=False)
        self.gate_proj = nn.Linear(d, f, bias=False)
        self.down_proj = nn.Linear(f, d, bias=False)
        self.activation = ACTIVATIONS[config.hidden_act]()

    def forward(self, x):
        return self.down_proj(self.up_proj(x) * self.activation(self.gate_proj(x)))


class TransformerLayer(nn.Module):
    """post_ln: x = norm1(a*x + attn(x)); x = norm2(a*x + ffn(x))  (a = 1, or alpha for deepnet)
    pre_ln:  x = x + attn(norm1(x));    x = x + ffn(norm2(x))"""

    def __init__(self, config):
        super().__init__()
        if config.feedforward_type == "glu":
            self.feedforward = GLUFeedforwardLayer(config)
        elif config.feedforward_type == "mlp":
            self.feedforward = FeedforwardLayer(config)
        else:
            raise ValueError(f"unknown feedforward_type {config.feedforward_type!r}")
        self.attention = CausalAttention(config)
        self.norm1 = make_norm(config.norm, config.hidden_size)
        self.norm2 = make_norm(config.norm, config.hidden_size)
        if config.layer_type not in ("post_ln", "pre_ln", "deepnet"):
            raise ValueError(f"unknown layer_type {config.layer_type!r}")
        self.pre_ln = config.layer_type == "pre_ln"
        self.alpha = config.residual_alpha if config.layer_type == "deepnet" else 1.0

    def forward(self, x, cache=None, layer_index=0):
        if self.pre_ln:
            x = x + self.attention(self.norm1(x), cache, layer_index)
            return x + self.feedforward(self.norm2(x))
        skip = (lambda y: y * self.alpha) if self.alpha != 1.0 else (lambda y: y)
        x = self.norm1(skip(x) + self.attention(x, cache, layer_index))
        return self.norm2(skip(x) + self.feedforward(x))


class LayerStack(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layers = nn.ModuleList(TransformerLayer(config)
                                    for _ in range(config.num_hidden_layers))
        self.layer_norm = (make_norm(config.final_norm, config.hidden_size)
                           if config.final_norm else None)

    def forward(self, x, cache=None):
        for index, layer in enumerate(self.layers):
            x = layer(x, cache, index)
        return self.layer_norm(x) if self.layer_norm is not None else x


class ForgatherForCausalLM(PreTrainedModel, GenerationMixin):
    config_class = ForgatherConfig
    main_input_name = "input_ids"
    _no_split_modules = ["TransformerLayer"]

    def __init__(self, config):
        super().__init__(config)
        self.input_encoder = InputEncoder(config)
        self.output_decoder = nn.Linear(config.hidden_size, config.vocab_size,
                                        bias=config.output_bias)
        self.layer_stack = LayerStack(config)
        self.post_init()

    def _init_weights(self, module):
        pass  # every weight comes from model.safetensors

    def get_input_embeddings(self):
        return self.input_encoder.embedding

    def get_output_embeddings(self):
        return self.output_decoder

    def forward(self, input_ids=None, attention_mask=None, labels=None, use_cache=None,
                return_dict=None, **kwargs):
        if attention_mask is not None and not bool(attention_mask.bool().all()):
            raise ValueError("ForgatherForCausalLM does not support padding (attention_mask "
                             "with zeros)")
        cache = kwargs.get(CACHE_FIELD)
        if use_cache is None:
            use_cache = getattr(self.config, "use_cache", True)
        if use_cache and cache is None:
            cache = DynamicCache()
        offset = cache.get_seq_length() if cache is not None else 0
        h = self.layer_stack(self.input_encoder(input_ids, offset), cache)
        logits = self.output_decoder(h)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(
                logits[:, :-1, :].reshape(-1, logits.shape[-1]).float(),
                labels[:, 1:].reshape(-1), ignore_index=-100)
        return CausalLMOutputWithPast(loss=loss, logits=logits,
                                      **{CACHE_FIELD: cache if use_cache else None})

    def prepare_inputs_for_generation(self, input_ids, use_cache=None, **kwargs):
        # With a cache only the tokens it has not seen run; without one, the whole sequence.
        cache = kwargs.get(CACHE_FIELD)
        inputs = {"use_cache": use_cache}
        if cache is not None:
            input_ids = input_ids[:, cache.get_seq_length():]
            inputs[CACHE_FIELD] = cache
        inputs["input_ids"] = input_ids
        return inputs
