// The streaming bound and a per-pass profile, compiled with emcc -O3 -msimd128
// (bench/stream/build.sh) and run under Node; prints one JSON line.
//
// Streaming bound: the least memory traffic of BN training forward + backward
// on an m x n float32 batch is 5 m n floats = 20 m n bytes:
//   forward  reads x, writes y              (2 m n floats)
//   backward reads x and dy, writes dx       (3 m n floats)
// Two WebAssembly SIMD loops move exactly those bytes with no other work:
//   y_i = x_i a + b                (read x, write y)
//   dx_i = dy_i a + x_i b          (read x and dy, write dx)
// Eval forward's bound is the first loop alone (read x, write y: 8 m n bytes).
//
// Per-pass profile: each kernel of bn/kernels.hpp (SIMD and scalar; the
// folded eval forward is scale_shift), timed
// alone on the same shapes, and a memcpy of m n floats (what the JS API's
// copies in and out cost each).
#include <wasm_simd128.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../native/bench_data.hpp"
#include "../native/bench_timing.hpp"
#include "bn/kernels.hpp"

namespace {

using nlohmann::json;

constexpr int kShapes[][2] = {{32, 16}, {256, 256}, {1024, 1024}, {4096, 1024}};

// y_i = x_i a + b, 16 floats per iteration (count is a multiple of 16 here).
__attribute__((noinline)) void stream_forward(const float* x, float* y, long count, float a, float b) {
  const v128_t va = wasm_f32x4_splat(a), vb = wasm_f32x4_splat(b);
  long i = 0;
  for (; i + 16 <= count; i += 16) {
    for (int j = 0; j < 16; j += 4)
      wasm_v128_store(y + i + j, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i + j), va), vb));
  }
  for (; i < count; ++i) y[i] = x[i] * a + b;
}

// dx_i = dy_i a + x_i b
__attribute__((noinline)) void stream_backward(const float* x, const float* dy, float* dx, long count,
                                               float a, float b) {
  const v128_t va = wasm_f32x4_splat(a), vb = wasm_f32x4_splat(b);
  long i = 0;
  for (; i + 16 <= count; i += 16) {
    for (int j = 0; j < 16; j += 4)
      wasm_v128_store(dx + i + j, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(dy + i + j), va),
                                                 wasm_f32x4_mul(wasm_v128_load(x + i + j), vb)));
  }
  for (; i < count; ++i) dx[i] = dy[i] * a + x[i] * b;
}

// The skeleton of the training step as the kernels run it: the same four
// passes over memory (32 B per element: read x; read x, write y; read x and
// dy; read x and dy, write dx) with the least arithmetic, 16 floats per
// iteration. What any algorithm with these passes can reach here, whatever
// its arithmetic: the ceiling of the kernels' share of the streaming bound.
//   s1 = sum x;  y = x a + b;  s2 = sum (x dy + dy);  dx = dy a + x b
__attribute__((noinline)) float skeleton_sum(const float* x, long count) {
  v128_t a = wasm_f32x4_splat(0.0f), b = a, c = a, d = a;
  for (long i = 0; i + 16 <= count; i += 16) {
    a = wasm_f32x4_add(a, wasm_v128_load(x + i));
    b = wasm_f32x4_add(b, wasm_v128_load(x + i + 4));
    c = wasm_f32x4_add(c, wasm_v128_load(x + i + 8));
    d = wasm_f32x4_add(d, wasm_v128_load(x + i + 12));
  }
  return wasm_f32x4_extract_lane(wasm_f32x4_add(wasm_f32x4_add(a, b), wasm_f32x4_add(c, d)), 0);
}
__attribute__((noinline)) float skeleton_dot(const float* x, const float* dy, long count) {
  v128_t a = wasm_f32x4_splat(0.0f), b = a, c = a, d = a;
  for (long i = 0; i + 8 <= count; i += 8) {
    const v128_t g0 = wasm_v128_load(dy + i), g1 = wasm_v128_load(dy + i + 4);
    a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(x + i), g0));
    b = wasm_f32x4_add(b, g0);
    c = wasm_f32x4_add(c, wasm_f32x4_mul(wasm_v128_load(x + i + 4), g1));
    d = wasm_f32x4_add(d, g1);
  }
  return wasm_f32x4_extract_lane(wasm_f32x4_add(wasm_f32x4_add(a, b), wasm_f32x4_add(c, d)), 0);
}
volatile float skeleton_sink;
void skeleton_step(const float* x, const float* dy, float* y, float* dx, long count) {
  skeleton_sink = skeleton_sum(x, count);
  stream_forward(x, y, count, 1.5f, 0.25f);
  skeleton_sink = skeleton_dot(x, dy, count);
  stream_backward(x, dy, dx, count, 1.5f, 0.25f);
}

json to_json(const bn::bench::Timing& t) {
  return {{"medianMs", t.median_ms}, {"minMs", t.min_ms}, {"clock", "cpu"},
          {"wall", {{"medianMs", t.wall.median_ms}, {"minMs", t.wall.min_ms}}}};
}

// Kernel inputs for one shape: statistics from a real batch_mean_var.
struct PassData {
  int m, n;
  bn::bench::CaseData d;
  std::vector<double> mean, var, sum_dy, sum_dy_xhat;
  std::vector<float> mean_hi, mean_lo, invstd, scale, shift, norm_factors, dx_factors, y, dx, copy;

  // The kernels' packed factors of feature k (bn/kernels.hpp, Packed).
  void pack_factors(int k, double mean_dy, double mean_dy_xhat) {
    using bn::kernels::Packed;
    constexpr int NF = bn::kernels::kNormalizeFields, DF = bn::kernels::kDxFields;
    norm_factors[Packed::at(k, NF, Packed::mean_hi)] = mean_hi[k];
    norm_factors[Packed::at(k, NF, Packed::scale)] = scale[k];
    norm_factors[Packed::at(k, NF, Packed::shift)] = bn::kernels::folded_shift(d.beta[k], mean_lo[k], scale[k]);
    float slope, dx_shift;
    bn::kernels::dx_factors(invstd[k], mean_lo[k], mean_dy, mean_dy_xhat, slope, dx_shift);
    dx_factors[Packed::at(k, DF, Packed::mean_hi)] = mean_hi[k];
    dx_factors[Packed::at(k, DF, Packed::scale)] = scale[k];
    dx_factors[Packed::at(k, DF, Packed::slope)] = slope;
    dx_factors[Packed::at(k, DF, Packed::dx_shift)] = dx_shift;
  }

  PassData(int m_, int n_)
      : m(m_), n(n_), d(bn::bench::case_data(m_, n_)), mean(n), var(n), sum_dy(n), sum_dy_xhat(n),
        mean_hi(n), mean_lo(n), invstd(n), scale(n), shift(d.beta), norm_factors(bn::kernels::Packed::floats(n, bn::kernels::kNormalizeFields)), dx_factors(bn::kernels::Packed::floats(n, bn::kernels::kDxFields)),
        y(d.x.size()), dx(d.x.size()), copy(d.x.size()) {
    bn::kernels::scalar::batch_mean_var(d.x.data(), m, n, mean.data(), var.data());
    for (int k = 0; k < n; ++k) {
      mean_hi[k] = static_cast<float>(mean[k]);
      mean_lo[k] = static_cast<float>(mean[k] - mean_hi[k]);
      invstd[k] = static_cast<float>(1.0 / __builtin_sqrt(var[k] + 1e-5));
      scale[k] = d.gamma[k] * invstd[k];
      pack_factors(k, 0.01, 0.02);
    }
  }
};

#define BN_PROFILE_PASSES(NS)                                                                   \
  json profile_##NS(PassData& p, bool quick) {                                                  \
    namespace K = bn::kernels::NS;                                                              \
    json out;                                                                                   \
    out["batch_mean_var"] = to_json(bn::bench::measure(                                         \
        [&] { K::batch_mean_var(p.d.x.data(), p.m, p.n, p.mean.data(), p.var.data()); }, quick)); \
    out["normalize"] = to_json(bn::bench::measure(                                              \
        [&] {                                                                                   \
          K::normalize(p.d.x.data(), p.m, p.n, p.norm_factors.data(), p.y.data());              \
        },                                                                                      \
        quick));                                                                                \
    out["scale_shift"] = to_json(bn::bench::measure(                                            \
        [&] { K::scale_shift(p.d.x.data(), p.m, p.n, p.scale.data(), p.shift.data(), p.y.data()); }, \
        quick));                                                                                \
    out["backward_reduce"] = to_json(bn::bench::measure(                                        \
        [&] {                                                                                   \
          K::backward_reduce(p.d.dy.data(), p.d.x.data(), p.m, p.n, p.n, p.mean_hi.data(),           \
                             p.mean_lo.data(), p.invstd.data(), p.sum_dy.data(),                \
                             p.sum_dy_xhat.data());                                             \
        },                                                                                      \
        quick));                                                                                \
    out["backward_dx"] = to_json(bn::bench::measure(                                            \
        [&] {                                                                                   \
          K::backward_dx(p.d.dy.data(), p.d.x.data(), p.m, p.n, p.n, p.dx_factors.data(), p.dx.data()); \
        },                                                                                      \
        quick));                                                                                \
    return out;                                                                                 \
  }
BN_PROFILE_PASSES(simd)
BN_PROFILE_PASSES(scalar)

// The backward as NormCore runs it on a batch out of cache: panels of P
// features, each reduced and then differentiated while it is still in cache.
#define BN_PROFILE_PANELS(NS)                                                                   \
  void panels_##NS(PassData& p, int P) {                                                        \
    namespace K = bn::kernels::NS;                                                              \
    for (int k0 = 0; k0 < p.n; k0 += P) {                                                       \
      const int w = k0 + P < p.n ? P : p.n - k0;                                                \
      K::backward_reduce(p.d.dy.data() + k0, p.d.x.data() + k0, p.m, w, p.n, p.mean_hi.data() + k0, \
                         p.mean_lo.data() + k0, p.invstd.data() + k0, p.sum_dy.data() + k0,     \
                         p.sum_dy_xhat.data() + k0);                                            \
      for (int k = k0; k < k0 + w; ++k) {                                                       \
        p.pack_factors(k, p.sum_dy[k] * 0.0 + 0.01, p.sum_dy_xhat[k] * 0.0 + 0.02);             \
      }                                                                                         \
      K::backward_dx(p.d.dy.data() + k0, p.d.x.data() + k0, p.m, w, p.n,                       \
                     p.dx_factors.data() + k0 * bn::kernels::kDxFields, p.dx.data() + k0);      \
    }                                                                                           \
  }
BN_PROFILE_PANELS(simd)
BN_PROFILE_PANELS(scalar)

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, panels = false;   // --panels: the backward's panel widths too
  for (int a = 1; a < argc; ++a) {
    quick |= std::strcmp(argv[a], "--quick") == 0;
    panels |= std::strcmp(argv[a], "--panels") == 0;
  }
  json out = {{"boundBytesPerElement", 20}, {"evalBoundBytesPerElement", 8}};
  for (const auto& s : kShapes) {
    const int m = s[0], n = s[1];
    const std::string key = std::to_string(m) + "x" + std::to_string(n);
    PassData p(m, n);
    const long count = static_cast<long>(m) * n;
    const float* x = p.d.x.data();
    const auto fwd = bn::bench::measure([&] { stream_forward(x, p.y.data(), count, 1.5f, 0.25f); }, quick);
    const auto both = bn::bench::measure(
        [&] {
          stream_forward(x, p.y.data(), count, 1.5f, 0.25f);
          stream_backward(x, p.d.dy.data(), p.dx.data(), count, 1.5f, 0.25f);
        },
        quick);
    out["stream"][key] = {{"trainStep", to_json(both)}, {"evalForward", to_json(fwd)}};
    // The skeleton on the kernels' data, and on x and dy alternating between
    // two copies from call to call, as the core stages them (its two input
    // buffers: a failed call leaves the last one intact).
    std::vector<float> x2(p.d.x), dy2(p.d.dy);
    int flip = 0;
    out["skeleton"][key] = {
        {"same", to_json(bn::bench::measure([&] { skeleton_step(x, p.d.dy.data(), p.y.data(), p.dx.data(), count); }, quick))},
        {"alternating", to_json(bn::bench::measure(
                            [&] {
                              flip ^= 1;
                              skeleton_step(flip ? x2.data() : x, flip ? dy2.data() : p.d.dy.data(), p.y.data(),
                                            p.dx.data(), count);
                            },
                            quick))}};
    out["passes"][key]["memcpy"] = to_json(bn::bench::measure(
        [&] { std::memcpy(p.copy.data(), x, sizeof(float) * count); }, quick));
    out["passes"][key]["simd"] = profile_simd(p, quick);
    out["passes"][key]["scalar"] = profile_scalar(p, quick);
    if (panels)
      for (int P : {16, 32, 64, 128, 256, 512})
        out["passes"][key]["simd"]["backward_panels_" + std::to_string(P)] =
            to_json(bn::bench::measure([&] { panels_simd(p, P); }, quick));
  }
  std::puts(out.dump().c_str());
  return 0;
}
