// Registry entries for the torch.nn basics: Linear, LayerNorm, RMSNorm, Embedding, Dropout and
// the activation modules (also usable as `activation_factory` of the feed-forward layers).
#include "builders/activation.h"
#include "builders/builder_util.h"
#include "builders/module_handle.h"
#include "builders/register_all.h"
#include "nn/dropout.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/norm.h"

namespace fg::builders {

using config::ArgDoc;
using config::CallArgs;
using config::Object;

namespace {

void add_linear_norms(config::Registry& r) {
  add_entry(r, config::Capability::kPure, "torch.nn:Linear",
            {"forgather.nn:Linear", ".linear:Linear"}, "y = x·Wᵀ + b",
            {{"in_features", "int", "", "input width"},
             {"out_features", "int", "", "output width"},
             {"bias", "bool", "True", "add a bias"}},
            [](CallArgs& a) {
              nn::LinearOptions o;
              o.in_features = a.required("in_features", 0).as_int();
              o.out_features = a.required("out_features", 1).as_int();
              o.bias = a.get_bool("bias", 2, true);
              a.finish();
              return module_object(std::make_unique<nn::Linear>(o), a);
            });
  add_entry(r, config::Capability::kPure, "torch.nn:LayerNorm", {".layer_norm:LayerNorm"},
            "Layer normalisation",
            {{"normalized_shape", "int", "", "feature width"},
             {"eps", "float", "1e-05", "added to the variance"},
             {"elementwise_affine", "bool", "True", "learn weight (and bias)"},
             {"bias", "bool", "True", "learn a bias"}},
            [](CallArgs& a) {
              nn::LayerNormOptions o;
              o.normalized_shape = a.required("normalized_shape", 0).as_int();
              o.eps = get_float(a, "eps", 1, 1e-5);
              o.elementwise_affine = a.get_bool("elementwise_affine", 2, true);
              o.bias = a.get_bool("bias", 3, true);
              a.finish();
              return module_object(std::make_unique<nn::LayerNorm>(o), a);
            });
  add_entry(r, config::Capability::kPure, "torch.nn:RMSNorm", {".rms_norm:RMSNorm"},
            "Root-mean-square normalisation",
            {{"normalized_shape", "int", "", "feature width"},
             {"eps", "float", "None", "None: float32 epsilon"},
             {"elementwise_affine", "bool", "True", "learn a weight"}},
            [](CallArgs& a) {
              nn::RMSNormOptions o;
              o.normalized_shape = a.required("normalized_shape", 0).as_int();
              const Object eps = a.value("eps", 1, Object::none());
              if (!eps.is_none()) o.eps = static_cast<float>(eps.as_double());
              o.elementwise_affine = a.get_bool("elementwise_affine", 2, true);
              a.finish();
              return module_object(std::make_unique<nn::RMSNorm>(o), a);
            });
}

void add_embedding_dropout(config::Registry& r) {
  add_entry(r, config::Capability::kPure, "torch.nn:Embedding", {".embedding:Embedding"},
            "Token embedding table",
            {{"num_embeddings", "int", "", "vocabulary size"},
             {"embedding_dim", "int", "", "vector width"},
             {"padding_idx", "int", "None", "row zeroed by init functions"}},
            [](CallArgs& a) {
              nn::EmbeddingOptions o;
              o.num_embeddings = a.required("num_embeddings", 0).as_int();
              o.embedding_dim = a.required("embedding_dim", 1).as_int();
              const Object pad = a.value("padding_idx", 2, Object::none());
              if (!pad.is_none()) o.padding_idx = pad.as_int();
              a.finish();
              return module_object(std::make_unique<nn::Embedding>(o), a);
            });
  add_entry(r, config::Capability::kPure, "torch.nn:Dropout", {".dropout:Dropout"},
            "Inverted dropout (training only)", {{"p", "float", "0.5", "drop probability"}},
            [](CallArgs& a) {
              nn::DropoutOptions o;
              o.p = get_float(a, "p", 0, 0.5);
              a.finish();
              return module_object(std::make_unique<nn::Dropout>(o), a);
            });
}

void add_activations(config::Registry& r) {
  for (const char* name : {"SiLU", "GELU", "ReLU", "Tanh", "Sigmoid", "Identity"}) {
    const std::string n = name;
    add_entry(r, config::Capability::kPure, "torch.nn:" + n, {},
              n + " activation (a module; also an activation_factory)", {}, [n](CallArgs& a) {
                a.get_bool("inplace", -1, false);  // torch's memory option: no effect here
                if (n == "GELU" && a.get_string("approximate", -1, "none") != "none")
                  a.fail("only approximate='none' is implemented");
                a.finish();
                return module_object(std::make_unique<ActivationModule>(n), a);
              });
  }
}

}  // namespace

void register_nn_basics(config::Registry& r) {
  add_linear_norms(r);
  add_embedding_dropout(r);
  add_activations(r);
}

}  // namespace fg::builders
