// Registry entries for the transformer bits (spec-ml §1, EX-era names and defaults): attention,
// feed-forward, layers, layer stack, positional encoders, input encoder, loss, CausalLM, init.
#include "builders/activation.h"
#include "builders/builder_util.h"
#include "builders/module_handle.h"
#include "builders/register_all.h"
#include "nn/attention/causal_alibi_attn.h"
#include "nn/attention/causal_multihead_attn.h"
#include "nn/attention/single_head_attn.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/feedforward/glu_feedforward.h"
#include "nn/positional/null_pe.h"
#include "nn/positional/sinusoidal_pe.h"

namespace fg::builders {

using config::ArgDoc;
using config::CallArgs;
using config::Object;

ops::Activation activation_of(const Object& value, const std::string& what) {
  if (value.type() == Object::Type::kString) return nn::parse_activation(value.as_string());
  std::unique_ptr<nn::Module> m = take_module(value, what);
  auto* act = dynamic_cast<ActivationModule*>(m.get());
  if (!act) value.fail_expected("an activation module (torch.nn:SiLU, ...) for " + what);
  return act->kind();
}

namespace {

const std::vector<ArgDoc> kAttnDocs = {
    {"d_model", "int", "", "model width"},
    {"num_heads", "int", "", "attention heads"},
    {"num_kv_heads", "int", "None", "key/value heads (grouped-query); None: num_heads"},
    {"bias", "bool", "True", "biases in the projections"},
    {"dropout", "float", "0.0", "attention-probability dropout"}};

// The arguments the multi-head attentions share (their option structs have the same fields).
template <class Options>
void read_multihead_args(CallArgs& a, Options& o) {
  o.d_model = a.required("d_model", 0).as_int();
  o.num_heads = a.required("num_heads", 1).as_int();
  const Object kv = a.value("num_kv_heads", -1, Object::none());
  if (!kv.is_none()) o.num_kv_heads = kv.as_int();
  o.bias = a.get_bool("bias", -1, true);
  o.dropout = get_float(a, "dropout", -1, 0.0);
}

// The arguments the single-head attentions share.
template <class Options>
void read_single_head_args(CallArgs& a, Options& o) {
  o.d_model = a.required("d_model", 0).as_int();
  o.bias = a.get_bool("bias", -1, true);
  o.dropout = get_float(a, "dropout", -1, 0.0);
}

void add_attention(config::Registry& r) {
  std::vector<ArgDoc> alibi = kAttnDocs;
  alibi.push_back({"trainable_alibi", "bool", "False", "learn the ALiBi slopes"});
  alibi.push_back({"alt_alibi_init", "bool", "False", "alternative slope initialisation"});
  add_entry(r, config::Capability::kPure, ".causal_alibi_attn:CausalAlibiAttn",
            {"forgather.nn:CausalAlibiAttn"}, "Multi-head causal attention with ALiBi biases",
            alibi, [](CallArgs& a) {
              nn::CausalAlibiAttnOptions o;
              read_multihead_args(a, o);
              o.trainable_alibi = a.get_bool("trainable_alibi", -1, false);
              o.alt_alibi_init = a.get_bool("alt_alibi_init", -1, false);
              a.finish();
              return module_object(std::make_unique<nn::CausalAlibiAttn>(o), a);
            });
  add_entry(r, config::Capability::kPure, ".causal_multihead_attn:CausalMultiheadAttn",
            {"forgather.nn:CausalMultiheadAttn"}, "Multi-head causal attention", kAttnDocs,
            [](CallArgs& a) {
              nn::CausalMultiheadAttnOptions o;
              read_multihead_args(a, o);
              a.finish();
              return module_object(std::make_unique<nn::CausalMultiheadAttn>(o), a);
            });
  add_entry(r, config::Capability::kPure, ".single_head_attn:SingleHeadAttn", {},
            "Single-head causal attention (q=x·W_qk)",
            {{"d_model", "int", "", "model width"},
             {"bias", "bool", "True", "biases"},
             {"dropout", "float", "0.0", "attention dropout"}},
            [](CallArgs& a) {
              nn::SingleHeadAttnOptions o;
              read_single_head_args(a, o);
              a.finish();
              return module_object(std::make_unique<nn::SingleHeadAttn>(o), a);
            });
  add_entry(r, config::Capability::kPure, ".single_head_alibi_attn:SingleHeadAlibiAttn", {},
            "Single-head causal attention with one ALiBi slope",
            {{"d_model", "int", "", "model width"},
             {"bias", "bool", "True", "biases"},
             {"dropout", "float", "0.0", "attention dropout"},
             {"slope_init", "float", "0.5", "initial slope"},
             {"trainable_alibi", "bool", "False", "learn the slope"}},
            [](CallArgs& a) {
              nn::SingleHeadAlibiAttnOptions o;
              read_single_head_args(a, o);
              o.slope_init = get_float(a, "slope_init", -1, 0.5);
              o.trainable_alibi = a.get_bool("trainable_alibi", -1, false);
              a.finish();
              return module_object(std::make_unique<nn::SingleHeadAlibiAttn>(o), a);
            });
}

void add_feedforward(config::Registry& r) {
  add_entry(r, config::Capability::kPure, ".feedforward_layer:FeedforwardLayer",
            {"forgather.nn:FeedforwardLayer"}, "linear2(act(dropout(linear1(x))))",
            {{"d_model", "int", "", "model width"},
             {"d_feedforward", "int", "", "hidden width"},
             {"dropout", "float", "0.0", "dropout before the activation"},
             {"activation_factory", "module factory", "ReLU", "the activation"},
             {"bias", "bool", "True", "biases"}},
            [](CallArgs& a) {
              nn::FeedforwardLayerOptions o;
              o.d_model = a.required("d_model", 0).as_int();
              o.d_feedforward = a.required("d_feedforward", 1).as_int();
              o.dropout = get_float(a, "dropout", -1, 0.0);
              const Object act = a.value("activation_factory", -1, Object::none());
              if (!act.is_none()) o.activation = activation_of(act, "activation_factory");
              o.bias = a.get_bool("bias", -1, true);
              a.finish();
              return module_object(std::make_unique<nn::FeedforwardLayer>(o), a);
            });
  add_entry(r, config::Capability::kPure, ".glu_feedforward:GLUFeedforwardLayer",
            {"forgather.nn:GLUFeedforwardLayer"}, "down(dropout(up(x) ⊙ act(gate(x)))), no biases",
            {{"d_model", "int", "", "model width"},
             {"d_feedforward", "int", "", "hidden width"},
             {"activation_factory", "module factory", "SiLU", "the gate activation"},
             {"dropout", "float", "0.1", "dropout on the gated product"}},
            [](CallArgs& a) {
              nn::GLUFeedforwardLayerOptions o;
              o.d_model = a.required("d_model", 0).as_int();
              o.d_feedforward = a.required("d_feedforward", 1).as_int();
              const Object act = a.value("activation_factory", -1, Object::none());
              if (!act.is_none()) o.activation = activation_of(act, "activation_factory");
              o.dropout = get_float(a, "dropout", -1, 0.1);
              a.finish();
              return module_object(std::make_unique<nn::GLUFeedforwardLayer>(o), a);
            });
}

void add_positional(config::Registry& r) {
  add_entry(r, config::Capability::kPure, ".null_pe:NullPE", {"forgather.nn:NullPE"},
            "No positional encoding (identity)", {}, [](CallArgs& a) {
              a.finish();
              return module_object(std::make_unique<nn::NullPE>(), a);
            });
  add_entry(r, config::Capability::kPure, ".sinusoidal_pe:SinusoidalPE",
            {"forgather.nn:SinusoidalPE"}, "Sinusoidal absolute positional encoding",
            {{"d_model", "int", "", "model width"},
             {"max_sequence_length", "int", "2048", "table length"}},
            [](CallArgs& a) {
              nn::SinusoidalPEOptions o;
              o.d_model = a.required("d_model", 0).as_int();
              o.max_sequence_length = a.get_int("max_sequence_length", 1, 2048);
              a.finish();
              return module_object(std::make_unique<nn::SinusoidalPE>(o), a);
            });
}

}  // namespace

void register_nn_bits(config::Registry& r) {
  add_attention(r);
  add_feedforward(r);
  add_positional(r);
}

}  // namespace fg::builders
