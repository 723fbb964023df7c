"""Configuration of a model exported by `forgather export hf` (Forgather C++).

Every field mirrors an option of the C++ component it configures; modeling_forgather.py reads
them. Written by the exporter; edit with care."""
try:
    from transformers import PreTrainedConfig as _BaseConfig
except ImportError:  # transformers 4.x
    from transformers import PretrainedConfig as _BaseConfig


class ForgatherConfig(_BaseConfig):
    model_type = "forgather"

    def __init__(
        self,
        vocab_size=2000,
        hidden_size=288,
        num_hidden_layers=6,
        num_attention_heads=6,
        num_key_value_heads=None,
        intermediate_size=1152,
        embedding_scale=1.0,
        positional_encoding="none",  # "none", "null" (NullPE) or "sinusoidal"
        max_position_embeddings=2048,
        attention_type="alibi",  # "alibi" (CausalAlibiAttn) or "multihead" (CausalMultiheadAttn)
        attention_bias=True,
        feedforward_type="glu",  # "glu" (GLUFeedforwardLayer) or "mlp" (FeedforwardLayer)
        feedforward_bias=True,  # "mlp" only; the GLU layer has no biases
        hidden_act="silu",
        layer_type="post_ln",  # "post_ln", "pre_ln" or "deepnet"
        residual_alpha=1.0,  # "deepnet": the skip path's scale
        norm=None,  # {"type": "layer_norm"|"rms_norm", "eps", "affine", "bias"}
        final_norm=None,  # the layer stack's final norm (same form), or None
        output_bias=True,
        use_cache=True,
        **kwargs,
    ):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads or num_attention_heads
        self.intermediate_size = intermediate_size
        self.embedding_scale = embedding_scale
        self.positional_encoding = positional_encoding
        self.max_position_embeddings = max_position_embeddings
        self.attention_type = attention_type
        self.attention_bias = attention_bias
        self.feedforward_type = feedforward_type
        self.feedforward_bias = feedforward_bias
        self.hidden_act = hidden_act
        self.layer_type = layer_type
        self.residual_alpha = residual_alpha
        self.norm = norm or {"type": "layer_norm", "eps": 1e-5, "affine": True, "bias": True}
        self.final_norm = final_norm
        self.output_bias = output_bias
        self.use_cache = use_cache
        kwargs.setdefault("tie_word_embeddings", False)
        super().__init__(**kwargs)
