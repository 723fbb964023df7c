// Registry entries for the model assembly: Pre/PostLN layers, LayerStack, InputEncoder,
// CausalLoss, CasualLM/CausalLM (EX constructor) and the weight-initialisation functions.
#include "builders/builder_util.h"
#include "builders/module_handle.h"
#include "builders/register_all.h"
#include "nn/causal_lm.h"
#include "nn/init.h"
#include "nn/input_encoder.h"
#include "nn/layer_stack.h"
#include "nn/transformer_layer.h"

namespace fg::builders {

using config::ArgDoc;
using config::CallArgs;
using config::Object;

namespace {

const std::vector<ArgDoc> kLayerDocs = {
    {"feedforward_factory", "module factory", "", "builds the feed-forward block"},
    {"attention_factory", "module factory", "", "builds the attention block"},
    {"norm_factory", "module factory", "", "builds norm1 and norm2"},
    {"dropout", "float", "0.1", "dropout on each block's output"},
    {"residual_dropout", "float", "0.0", "dropout on the skip path"}};

template <class Layer>
Object build_layer(CallArgs& a) {
  const nn::FeedforwardFactory ff =
      module_factory(a.required("feedforward_factory", 0), "feedforward_factory");
  const nn::AttentionFactory attn =
      module_factory(a.required("attention_factory", 1), "attention_factory");
  const nn::NormFactory norm = module_factory(a.required("norm_factory", 2), "norm_factory");
  nn::TransformerLayerOptions o;
  o.dropout = get_float(a, "dropout", -1, 0.1);
  o.residual_dropout = get_float(a, "residual_dropout", -1, 0.0);
  a.finish();
  return module_object(std::make_unique<Layer>(ff, attn, norm, o), a);
}

void add_layers(config::Registry& r) {
  add_entry(r, config::Capability::kPure, ".post_ln_layer:PostLNLayer",
            {"forgather.nn:PostLNLayer"},
            "Post-LN transformer layer (norm after each residual add)", kLayerDocs,
            build_layer<nn::PostLNLayer>);
  add_entry(r, config::Capability::kPure, ".pre_ln_layer:PreLNLayer", {"forgather.nn:PreLNLayer"},
            "Pre-LN transformer layer (norm before each block)", kLayerDocs,
            build_layer<nn::PreLNLayer>);
  add_entry(r, config::Capability::kPure, ".layer_stack:LayerStack", {"forgather.nn:LayerStack"},
            "num_hidden_layers layers from layer_factory, optional final norm",
            {{"layer_factory", "module factory", "", "builds one layer per call"},
             {"num_hidden_layers", "int", "", "number of layers"},
             {"post_norm_factory", "module factory", "None", "final norm"}},
            [](CallArgs& a) {
              const nn::ModuleFactory make =
                  module_factory(a.required("layer_factory", 0), "layer_factory");
              nn::LayerStackOptions o;
              o.num_hidden_layers = a.required("num_hidden_layers", 1).as_int();
              const nn::NormFactory post = module_factory(
                  a.value("post_norm_factory", 2, Object::none()), "post_norm_factory");
              a.finish();
              nn::LayerFactory layers = [make](int64_t) { return make(); };
              return module_object(std::make_unique<nn::LayerStack>(layers, o, post), a);
            });
}

// A singleton module passed where the component takes a factory: handed over once.
nn::ModuleFactory once(const Object& value, const std::string& what) {
  if (value.is_none()) return nullptr;
  if (value.type() == Object::Type::kCallable) return module_factory(value, what);
  return [value, what]() { return take_module(value, what); };
}

void add_encoder_loss(config::Registry& r) {
  add_entry(r, config::Capability::kPure, ".input_encoder:InputEncoder",
            {"forgather.nn:InputEncoder"}, "Embedding × scale + positional encoding, then dropout",
            {{"d_model", "int", "", "model width"},
             {"vocab_size", "int", "", "vocabulary size"},
             {"dropout", "float", "0.1", "embedding dropout"},
             {"positional_encoder", "module", "None", "added after scaling"},
             {"embedding", "module", "None", "custom embedding (default nn.Embedding)"},
             {"scale", "float", "1.0", "used when scale_sqrt_d_model is False"},
             {"scale_sqrt_d_model", "bool", "True", "scale by √d_model"}},
            [](CallArgs& a) {
              nn::InputEncoderOptions o;
              o.d_model = a.required("d_model", 0).as_int();
              o.vocab_size = a.required("vocab_size", 1).as_int();
              o.dropout = get_float(a, "dropout", -1, 0.1);
              const auto pe = once(a.value("positional_encoder", -1, Object::none()),
                                   "positional_encoder of InputEncoder");
              const auto emb =
                  once(a.value("embedding", -1, Object::none()), "embedding of InputEncoder");
              o.scale = get_float(a, "scale", -1, 1.0);
              o.scale_sqrt_d_model = a.get_bool("scale_sqrt_d_model", -1, true);
              a.finish();
              return module_object(std::make_unique<nn::InputEncoder>(o, pe, emb), a);
            });
  add_entry(r, config::Capability::kPure, ".causal_loss:CausalLoss", {"forgather.nn:CausalLoss"},
            "Shifted next-token cross-entropy (mean over non-ignored labels)",
            {{"ignore_index", "int", "-100", "label ignored by the loss"}}, [](CallArgs& a) {
              nn::CausalLossOptions o;
              o.ignore_index = a.get_int("ignore_index", 0, -100);
              a.finish();
              return Object::component(std::make_shared<nn::CausalLoss>(o), "CausalLoss");
            });
}

Object build_causal_lm(CallArgs& a) {
  const Object loss_obj = a.value("loss_fn", 0, Object::none());
  nn::CausalLoss loss =
      loss_obj.is_none() ? nn::CausalLoss() : *loss_obj.as<nn::CausalLoss>("a CausalLoss");
  auto enc = take_module(a.required("input_encoder", 1), "input_encoder of CasualLM");
  auto dec = take_module(a.required("output_decoder", 2), "output_decoder of CasualLM");
  auto stack = take_module(a.required("layer_stack", 3), "layer_stack of CasualLM");
  const Object init = a.value("init_weights", 4, Object::none());
  nn::WeightInit init_fn;
  if (!init.is_none()) {
    Object fn = init;
    if (init.type() == Object::Type::kCallable) {
      CallArgs none({}, {}, init.callable_name(), init.where(), init.key_path());
      fn = init.call(none);
    }
    init_fn = fn.as<WeightInitFn>("a weight-init function (.init_weights:...)")->fn;
  }
  a.finish();
  auto lm = std::make_unique<nn::CausalLM>(std::move(enc), std::move(dec), std::move(stack),
                                           init_fn, loss);
  return module_object(std::move(lm), a);
}

void add_init(config::Registry& r, const std::string& name, const std::string& summary,
              std::function<void(nn::Module&, Rng&)> init) {
  add_entry(r, config::Capability::kPure, ".init_weights:" + name, {"forgather.nn:" + name},
            summary,
            {{"seed", "int", "42", "seed of the initialisation RNG (reproducible models)"}},
            [name, init](CallArgs& a) {
              const uint64_t seed = static_cast<uint64_t>(a.get_int("seed", 0, 42));
              a.finish();
              auto fn = std::make_shared<WeightInitFn>();
              fn->name = name;
              fn->fn = [init, seed](nn::Module& m) {
                Rng rng(seed);
                init(m, rng);
              };
              return Object::component(fn, "WeightInit");
            });
}

}  // namespace

void register_nn_model(config::Registry& r) {
  add_layers(r);
  add_encoder_loss(r);
  const std::vector<ArgDoc> lm_docs = {
      {"loss_fn", "CausalLoss", "None", "loss (default CausalLoss())"},
      {"input_encoder", "module", "", "ids -> hidden states"},
      {"output_decoder", "module", "", "hidden states -> logits"},
      {"layer_stack", "module", "", "the transformer layers"},
      {"init_weights", "init function", "None", "called on the model at the end"}};
  add_entry(r, config::Capability::kPure, ".causal_lm:CasualLM", {"forgather.nn:CasualLM"},
            "Causal LM (EX constructor; the original's spelling)", lm_docs, build_causal_lm);
  add_entry(r, config::Capability::kPure, ".causal_lm:CausalLM", {"forgather.nn:CausalLM"},
            "Causal LM (EX constructor)", lm_docs, build_causal_lm);
  add_init(r, "simple_weight_init", "Linear U(±1/√fan_in), bias 0; Embedding N(0, 1/D)",
           [](nn::Module& m, Rng& rng) { nn::simple_weight_init(m, rng); });
  add_init(r, "torch_default_init", "PyTorch's default initialisation of each module",
           [](nn::Module& m, Rng& rng) { nn::torch_default_init(m, rng); });
  add_init(r, "hf_llama_weight_init", "HF Llama: N(0, 0.02) weights, zero biases",
           [](nn::Module& m, Rng& rng) { nn::hf_llama_weight_init(m, rng); });
}

}  // namespace fg::builders
