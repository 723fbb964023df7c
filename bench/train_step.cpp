// Training-step throughput of the full example model (spec-ml §0.3: ALiBi + GLU + PostLN, D 288,
// 6 heads, 6 layers, F 1152, V 2000, dropout as the example), fp32: forward, backward and AdamW on
// random token batches. Prints per-step times (forward / backward / optimizer), peak RSS, model
// FLOPs utilisation against a measured sgemm peak, and as its LAST line `tokens_per_second: <x>`.
//   train_step --batch 8 --seq 512 --steps 5 [--warmup 1] [--threads 2] [--abspe] [--bf16]
//              [-d cpu|0|cuda:N [--tf32]]   (a CUDA device needs the cuda build: docs/cuda.md)
// --bf16: bf16 mixed precision as `train --bf16` (forward and backward under AutocastGuard).
//   train_step --batch 8 --seq 512 --profile 3   (per-op timings at the model's shapes)
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/openmp_env.h"
#include "core/parse_number.h"
#include "core/timer.h"
#include "kernels/backend.h"
#include "nn/causal_transformer.h"
#include "op_profile.h"
#include "optim/adamw.h"
#include "tensor/autocast.h"
#include "tensor/device.h"
#include "tensor/ops.h"
#include "tensor/runtime.h"
#ifdef FG_WITH_CUDA
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_register.h"
#endif

namespace {

struct Args {
  int64_t batch = 8, seq = 512, steps = 5, warmup = 1;
  int threads = 2;
  bool abspe = false;
  bool bf16 = false;
  int64_t profile = 0;  // > 0: per-op profile with this many repetitions, then exit
  fg::Device device = fg::Device::cpu();
  bool tf32 = false;  // CUDA: f32 GEMMs on TF32 tensor cores
};

// "cpu", "N" or "cuda:N".
fg::Device parse_device(const std::string& text) {
  if (text == "cpu") return fg::Device::cpu();
  const std::string index = text.rfind("cuda:", 0) == 0 ? text.substr(5) : text;
  return fg::Device::cuda(static_cast<int>(fg::parse_int(index, "-d", 0, 1023)));
}

// Registers the CUDA backend for `d` in `runtime` (or says why it cannot).
void use_device(fg::Runtime& runtime, const Args& a) {
  if (a.device.is_host()) return;
#ifdef FG_WITH_CUDA
  const fg::kernels::cuda::CudaProbe probe = fg::kernels::cuda::probe_cuda();
  if (!probe.error.empty()) throw fg::Error("[train_step] -d: no CUDA driver: " + probe.error);
  if (a.device.index >= probe.device_count)
    throw fg::Error("[train_step] -d: no " + a.device.to_string() + " (" +
                    std::to_string(probe.device_count) + " CUDA device(s))");
  fg::kernels::cuda::register_cuda_backend(runtime, a.device.index, probe.device_count);
  // One backend serves every index; it runs on the device it was made for.
  static_cast<fg::kernels::cuda::CudaBackend&>(runtime.backend(a.device)).set_tf32(a.tf32);
#else
  throw fg::Error("[train_step] -d " + a.device.to_string() +
                  ": this build has no CUDA backend (configure with the cuda preset)");
#endif
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> int64_t {
      if (i + 1 >= argc) throw fg::Error("[train_step] " + k + " needs a value");
      return std::atoll(argv[++i]);
    };
    if (k == "--batch")
      a.batch = next();
    else if (k == "--seq")
      a.seq = next();
    else if (k == "--steps")
      a.steps = next();
    else if (k == "--warmup")
      a.warmup = next();
    else if (k == "--threads")
      a.threads = static_cast<int>(next());
    else if (k == "--abspe")
      a.abspe = true;
    else if (k == "--bf16")
      a.bf16 = true;
    else if (k == "--profile")
      a.profile = next();
    else if (k == "-d" || k == "--device") {
      if (i + 1 >= argc) throw fg::Error("[train_step] " + k + " needs a value");
      a.device = parse_device(argv[++i]);
    } else if (k == "--tf32")
      a.tf32 = true;
    else
      throw fg::Error("[train_step] unknown argument " + k);
  }
  return a;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// GFLOP/s of a square sgemm through the engine (the GEMM peak for the MFU figure).
double measure_gemm_gflops(fg::Device device) {
  const int64_t n = 1024;
  fg::Tensor a = fg::Tensor::full({n, n}, 0.5f).to(device);
  fg::Tensor b = fg::Tensor::full({n, n}, 0.25f).to(device);
  fg::NoGradGuard no_grad;
  fg::ops::matmul(a, b);
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    fg::Timer t;
    fg::ops::matmul(a, b);
    fg::backend_for(device).synchronize();
    best = std::min(best, t.seconds());
  }
  return 2.0 * static_cast<double>(n * n * n) / best / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  fg::default_openmp_wait_policy(argv);  // as forgather runs: passive unless the user chose
  try {
    const Args args = parse(argc, argv);
    fg::Runtime runtime;  // before set_num_threads: the thread count goes to its CPU backend
    fg::set_num_threads(args.threads);
    use_device(runtime, args);
    if (args.profile > 0) {
      fg::AutocastGuard mixed(args.bf16);  // --bf16: the GEMM rows time the bf16 path
      fg::bench::profile_ops(args.batch, args.seq, args.profile);
      return 0;
    }
    fg::Rng rng(1234);
    fg::nn::CausalTransformerConfig config;
    config.alibi = !args.abspe;
    auto model = fg::nn::make_causal_transformer(config, rng);
    model->train();
    model->to(args.device);
    fg::optim::AdamWOptions adamw;
    adamw.lr = 3e-4;
    adamw.weight_decay = 0.01;
    std::vector<fg::optim::NamedParameter> trainable;
    for (auto& [name, p] : model->named_parameters())
      if (p.requires_grad()) trainable.emplace_back(name, p);
    fg::optim::AdamW opt(std::move(trainable), adamw);
    const int64_t params = model->num_parameters();
    std::printf("model: %s, %lld parameters, batch %lld x seq %lld, %d threads, device %s%s, %s\n",
                args.abspe ? "AbsPE" : "ALiBi", static_cast<long long>(params),
                static_cast<long long>(args.batch), static_cast<long long>(args.seq), args.threads,
                args.device.to_string().c_str(), args.tf32 ? " (TF32)" : "",
                args.bf16 ? "bf16 mixed precision" : "fp32");
    fg::kernels::Backend& backend = fg::backend_for(args.device);
    fg::Rng data_rng(99);
    fg::nn::ForwardContext ctx;
    ctx.rng = &rng;
    double total = 0, fwd_total = 0, bwd_total = 0, opt_total = 0;
    int64_t fresh_before_timed = 0;  // allocator misses once the warm-up steps are done
    for (int64_t step = 0; step < args.warmup + args.steps; ++step) {
      if (step == args.warmup) fresh_before_timed = backend.allocator_stats().fresh_allocations;
      std::vector<int64_t> ids(static_cast<size_t>(args.batch * args.seq));
      for (auto& x : ids) x = static_cast<int64_t>(data_rng.below(2000));
      fg::Tensor batch = fg::Tensor::from_vector_i64(ids, {args.batch, args.seq}, args.device);
      backend.synchronize();
      fg::Timer t;
      double fwd = 0, bwd = 0, loss = 0;
      {
        fg::AutocastGuard mixed(args.bf16);
        fg::nn::CausalLMOutput out = model->forward(batch, batch, ctx);
        backend.synchronize();  // a GPU runs kernels asynchronously: time each phase to completion
        fwd = t.seconds();
        out.loss.backward();
        backend.synchronize();
        bwd = t.seconds() - fwd;
        loss = out.loss.item();
      }
      opt.step();
      model->zero_grad();
      backend.synchronize();
      const double all = t.seconds();
      const bool timed = step >= args.warmup;
      std::printf("%s %lld: %.1f ms (forward %.1f, backward %.1f, optimizer %.1f) loss %.4f\n",
                  timed ? "step" : "warmup", static_cast<long long>(step), all * 1e3, fwd * 1e3,
                  bwd * 1e3, (all - fwd - bwd) * 1e3, loss);
      if (timed) {
        total += all;
        fwd_total += fwd;
        bwd_total += bwd;
        opt_total += all - fwd - bwd;
      }
    }
    const double n = static_cast<double>(args.steps),
                 tokens = static_cast<double>(args.batch * args.seq);
    const double step_s = total / n;
    // 6·N·tokens for the dense layers (the embedding lookup is not a GEMM) plus causal attention:
    // QKᵀ and PV are 2·T²·D multiply-adds per layer and sequence, halved by the mask, ×3 for bwd.
    const double dense =
        6.0 * static_cast<double>(params - config.vocab_size * config.hidden_size) * tokens;
    const double attn = 6.0 * static_cast<double>(config.num_hidden_layers * config.hidden_size) *
                        static_cast<double>(args.batch) * static_cast<double>(args.seq * args.seq);
    const double achieved = (dense + attn) / step_s / 1e9;
    const double peak = measure_gemm_gflops(args.device);
    std::printf("mean step: %.1f ms (forward %.1f, backward %.1f, optimizer %.1f)\n", step_s * 1e3,
                fwd_total / n * 1e3, bwd_total / n * 1e3, opt_total / n * 1e3);
    std::printf("model GFLOP/s: %.1f, sgemm peak GFLOP/s: %.1f, MFU: %.1f%%\n", achieved, peak,
                100.0 * achieved / peak);
    const fg::kernels::AllocatorStats mem = runtime.backend(args.device).allocator_stats();
    std::printf(
        "tensor memory: peak in use %.1f MiB, peak reserved %.1f MiB, %lld new blocks in timed "
        "steps\n",
        mem.peak_bytes_in_use / 1048576.0, mem.peak_bytes_reserved / 1048576.0,
        static_cast<long long>(mem.fresh_allocations - fresh_before_timed));
    std::printf("peak_rss_mb: %.1f\n", peak_rss_mb());
    std::printf("tokens_per_second: %.1f\n", tokens / step_s);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
