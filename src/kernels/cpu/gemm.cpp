#include "kernels/cpu/gemm.h"

#if FG_GEMM_ONEDNN
#include <dnnl.h>

#include <dnnl.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#else
#include <cblas.h>
#endif

namespace fg::kernels::cpu {

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
#if FG_GEMM_ONEDNN
  // oneDNN runs on the same OpenMP team as the other kernels, so nothing oversubscribes.
  dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', M, N, K, alpha, A, lda, B, ldb, beta, C,
             ldc);
#else
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, static_cast<blasint>(M), static_cast<blasint>(N),
              static_cast<blasint>(K), alpha, A, static_cast<blasint>(lda), B,
              static_cast<blasint>(ldb), beta, C, static_cast<blasint>(ldc));
#endif
}

#if FG_GEMM_ONEDNN
namespace {

// A oneDNN matmul primitive made once per GEMM shape (making one takes milliseconds; training
// repeats a handful of shapes). Null when oneDNN offers only its slow reference code.
struct Bf16Matmul {
  std::unique_ptr<dnnl::matmul> primitive;
  dnnl::memory::desc a, b, c;
  std::string implementation;
};

using Bf16Key =
    std::tuple<bool, bool, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, float, float>;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

Bf16Matmul make_bf16_matmul(const Bf16Key& key) {
  using dnnl::memory;
  const auto [ta, tb, M, N, K, lda, ldb, ldc, alpha, beta] = key;
  Bf16Matmul m;
  // Row-major operands; a transposed operand is the same buffer read with swapped strides.
  m.a = memory::desc({M, K}, memory::data_type::bf16,
                     ta ? memory::dims{1, lda} : memory::dims{lda, 1});
  m.b = memory::desc({K, N}, memory::data_type::bf16,
                     tb ? memory::dims{1, ldb} : memory::dims{ldb, 1});
  m.c = memory::desc({M, N}, memory::data_type::f32, memory::dims{ldc, 1});
  dnnl::primitive_attr attr;
  if (alpha != 1.f) attr.set_output_scales(0, {alpha});
  if (beta != 0.f) {
    dnnl::post_ops ops;
    ops.append_sum(beta);
    attr.set_post_ops(ops);
  }
  try {
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(m.a, m.b, m.c), attr, cpu_engine());
    m.implementation = pd.impl_info_str();
    if (m.implementation.rfind("ref", 0) != 0) m.primitive = std::make_unique<dnnl::matmul>(pd);
  } catch (const dnnl::error&) {
    m.implementation.clear();  // no implementation for this CPU
  }
  return m;
}

const Bf16Matmul& bf16_matmul(const Bf16Key& key) {
  static std::mutex mutex;
  static std::map<Bf16Key, Bf16Matmul> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make_bf16_matmul(key)).first;
  return it->second;
}

}  // namespace
#endif

bool gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
               const uint16_t* A, int64_t lda, const uint16_t* B, int64_t ldb, float beta, float* C,
               int64_t ldc) {
#if FG_GEMM_ONEDNN
  const Bf16Matmul& m = bf16_matmul({trans_a, trans_b, M, N, K, lda, ldb, ldc, alpha, beta});
  if (!m.primitive) return false;
  static thread_local dnnl::stream stream(cpu_engine());
  dnnl::memory a(m.a, cpu_engine(), const_cast<uint16_t*>(A));
  dnnl::memory b(m.b, cpu_engine(), const_cast<uint16_t*>(B));
  dnnl::memory c(m.c, cpu_engine(), C);
  m.primitive->execute(stream, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
  stream.wait();
  return true;
#else
  (void)trans_a, (void)trans_b, (void)M, (void)N, (void)K, (void)alpha, (void)A, (void)lda;
  (void)B, (void)ldb, (void)beta, (void)C, (void)ldc;
  return false;
#endif
}

std::string gemm_bf16_implementation(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K) {
#if FG_GEMM_ONEDNN
  const int64_t lda = trans_a ? M : K, ldb = trans_b ? K : N;
  return bf16_matmul({trans_a, trans_b, M, N, K, lda, ldb, N, 1.f, 0.f}).implementation;
#else
  (void)trans_a, (void)trans_b, (void)M, (void)N, (void)K;
  return "";
#endif
}

// OpenBLAS keeps its own pthread pool; it gets the same count and runs only between OpenMP
// regions. oneDNN runs on the OpenMP team itself.
void gemm_set_num_threads(int n) {
#if FG_GEMM_ONEDNN
  (void)n;
#else
  openblas_set_num_threads(n);
#endif
}

std::string gemm_library() {
#if FG_GEMM_ONEDNN
  const dnnl_version_t* v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch);
#else
  return openblas_get_config();  // "OpenBLAS <version> <build options>"
#endif
}

}  // namespace fg::kernels::cpu
