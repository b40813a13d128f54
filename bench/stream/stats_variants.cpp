// Variants of the forward statistics pass (bn/kernels.hpp batch_mean_var),
// timed beside the kernel the build uses and checked for accuracy against a
// long-double two-pass reference on hard columns (large offset, outliers
// anywhere, sorted rows, shift row far from the mean). Issue 16 item 1:
// "Report speed and accuracy of each variant tried". Built and run by
// bench/stream/variants.sh; prints a markdown table (median ms per call on
// the process CPU clock, bench/native/bench_timing.hpp). Not part of the library.
//
// Variants (all: x is [m, n] row-major float; mean and biased var in double):
//   main kernel    main's kernel: d = fl(x - x_0), sum d and sum d^2 in f64x2
//   kernel         this tree's kernel
//   two-pass A?B?  pass A: mean = x_0 + sum d / m, with sum d in float within
//                  8-row blocks merged in double (Af) or in f64x2 (Ad);
//                  pass B: c = fl(fl(x - mean_hi) - mean_lo), sum c^2 in float
//                  within b-row blocks merged in double (b = 8, 16, 32),
//                  with (+c) or without the sum c correction
//                  (mean += sum c / m, var = sum c^2 / m - (sum c / m)^2).
//                  Features in chunks of w (passes A and B per chunk, so
//                  that B reads the chunk from cache: w = 64, 256, 1024).
#include <wasm_simd128.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../../cpp/src/simd128.hpp"
#include "../native/bench_data.hpp"
#include "../native/bench_timing.hpp"
#include "bn/kernels.hpp"

// main's kernel, compiled by variants.sh with its namespace renamed.
namespace bn::kernels::main_simd {
void batch_mean_var(const float* x, int m, int n, double* mean, double* var);
}

namespace {

using namespace bn::kernels::simd;
using nlohmann::json;

inline void add_f64x4(double* p, v128_t v) {
  store2d(p, wasm_f64x2_add(load2d(p), lo_f64(v)));
  store2d(p + 2, wasm_f64x2_add(load2d(p + 2), hi_f64(v)));
}

struct Options {
  bool pass_a_float;  // sum d in float within 8-row blocks (else f64x2 lanes)
  int b;              // rows per float block of pass B
  bool sum_c;         // the sum c correction
  int chunk;          // features per chunk (<= kMaxChunk)
};
constexpr int kMaxChunk = 1024;

// Pass A for features [k0, k0 + w): s1[j] = sum_{i>=1} fl(x_i,k0+j - x_0,k0+j).
void pass_a(const float* x, int m, int n, int k0, int w, bool in_float, double* s1) {
  for (int j = 0; j < w; ++j) s1[j] = 0.0;
  for (int i0 = 1; i0 < m; i0 += 8) {
    const int i1 = i0 + 8 < m ? i0 + 8 : m;
    int j = 0;
    for (; j + 8 <= w; j += 8) {
      const v128_t sh_a = load4(x + k0 + j), sh_b = load4(x + k0 + j + 4);
      if (in_float) {
        v128_t ta = wasm_f32x4_splat(0.0f), tb = ta;
        for (int i = i0; i < i1; ++i) {
          const float* row = x + static_cast<long>(i) * n + k0 + j;
          ta = wasm_f32x4_add(ta, wasm_f32x4_sub(load4(row), sh_a));
          tb = wasm_f32x4_add(tb, wasm_f32x4_sub(load4(row + 4), sh_b));
        }
        add_f64x4(s1 + j, ta);
        add_f64x4(s1 + j + 4, tb);
      } else {
        v128_t a = load2d(s1 + j), b = load2d(s1 + j + 2), c = load2d(s1 + j + 4), d = load2d(s1 + j + 6);
        for (int i = i0; i < i1; ++i) {
          const float* row = x + static_cast<long>(i) * n + k0 + j;
          const v128_t da = wasm_f32x4_sub(load4(row), sh_a), db = wasm_f32x4_sub(load4(row + 4), sh_b);
          a = wasm_f64x2_add(a, lo_f64(da)); b = wasm_f64x2_add(b, hi_f64(da));
          c = wasm_f64x2_add(c, lo_f64(db)); d = wasm_f64x2_add(d, hi_f64(db));
        }
        store_f64x4(s1 + j, a, b); store_f64x4(s1 + j + 4, c, d);
      }
    }
    for (; j < w; ++j) {
      float t = 0.0f;
      for (int i = i0; i < i1; ++i) t += x[static_cast<long>(i) * n + k0 + j] - x[k0 + j];
      s1[j] += t;
    }
  }
}

// Pass B: s2[j] = sum_b fl(sum_{i in b} c^2), c1[j] likewise for c.
void pass_b(const float* x, int m, int n, int k0, int w, const Options& o, const float* mh,
            const float* ml, double* s2, double* c1) {
  for (int j = 0; j < w; ++j) { s2[j] = 0.0; c1[j] = 0.0; }
  for (int i0 = 0; i0 < m; i0 += o.b) {
    const int i1 = i0 + o.b < m ? i0 + o.b : m;
    int j = 0;
    for (; j + 8 <= w; j += 8) {
      const v128_t mh_a = load4(mh + j), ml_a = load4(ml + j), mh_b = load4(mh + j + 4), ml_b = load4(ml + j + 4);
      v128_t ta = wasm_f32x4_splat(0.0f), tb = ta, ua = ta, ub = ta;
      if (o.sum_c) {
        for (int i = i0; i < i1; ++i) {
          const float* row = x + static_cast<long>(i) * n + k0 + j;
          const v128_t ca = wasm_f32x4_sub(wasm_f32x4_sub(load4(row), mh_a), ml_a);
          const v128_t cb = wasm_f32x4_sub(wasm_f32x4_sub(load4(row + 4), mh_b), ml_b);
          ta = wasm_f32x4_add(ta, wasm_f32x4_mul(ca, ca)); ua = wasm_f32x4_add(ua, ca);
          tb = wasm_f32x4_add(tb, wasm_f32x4_mul(cb, cb)); ub = wasm_f32x4_add(ub, cb);
        }
        add_f64x4(c1 + j, ua); add_f64x4(c1 + j + 4, ub);
      } else {
        for (int i = i0; i < i1; ++i) {
          const float* row = x + static_cast<long>(i) * n + k0 + j;
          const v128_t ca = wasm_f32x4_sub(wasm_f32x4_sub(load4(row), mh_a), ml_a);
          const v128_t cb = wasm_f32x4_sub(wasm_f32x4_sub(load4(row + 4), mh_b), ml_b);
          ta = wasm_f32x4_add(ta, wasm_f32x4_mul(ca, ca));
          tb = wasm_f32x4_add(tb, wasm_f32x4_mul(cb, cb));
        }
      }
      add_f64x4(s2 + j, ta); add_f64x4(s2 + j + 4, tb);
    }
    for (; j < w; ++j) {
      float t = 0.0f, u = 0.0f;
      for (int i = i0; i < i1; ++i) {
        const float c = (x[static_cast<long>(i) * n + k0 + j] - mh[j]) - ml[j];
        t += c * c;
        u += c;
      }
      s2[j] += t;
      if (o.sum_c) c1[j] += u;
    }
  }
}

void two_pass(const float* x, int m, int n, double* mean, double* var, const Options& o) {
  float mh[kMaxChunk], ml[kMaxChunk];
  double s2[kMaxChunk], c1[kMaxChunk];
  for (int k0 = 0; k0 < n; k0 += o.chunk) {
    const int w = k0 + o.chunk < n ? o.chunk : n - k0;
    pass_a(x, m, n, k0, w, o.pass_a_float, mean + k0);
    for (int j = 0; j < w; ++j) {
      mean[k0 + j] = static_cast<double>(x[k0 + j]) + mean[k0 + j] / m;
      mh[j] = static_cast<float>(mean[k0 + j]);
      ml[j] = static_cast<float>(mean[k0 + j] - mh[j]);
    }
    pass_b(x, m, n, k0, w, o, mh, ml, s2, c1);
    for (int j = 0; j < w; ++j) {
      const double mc = c1[j] / m;
      mean[k0 + j] += mc;
      const double v = s2[j] / m - mc * mc;
      var[k0 + j] = v > 0.0 ? v : 0.0;
    }
  }
}


// Strips of 4V features (V vectors: V independent float chains per row);
// pass B's c = fl(x - mean_hi) (one subtraction, no mean_lo), corrected
// exactly in double: sum (x - mh)^2 / m = var + (mean - mh)^2, so
// var = s2 / m - (mean - mh)^2 (delta = mean - mh is tiny next to sd unless
// the data sit on a grid coarser than sd).
template <int V>
void pass_a_v(const float* x, int m, int n, int k0, int w, double* s1) {
  for (int j = 0; j < w; ++j) s1[j] = 0.0;
  for (int i0 = 1; i0 < m; i0 += 8) {
    const int i1 = i0 + 8 < m ? i0 + 8 : m;
    int j = 0;
    for (; j + 4 * V <= w; j += 4 * V) {
      v128_t sh[V], t[V];
      for (int v = 0; v < V; ++v) { sh[v] = load4(x + k0 + j + 4 * v); t[v] = wasm_f32x4_splat(0.0f); }
      for (int i = i0; i < i1; ++i) {
        const float* row = x + static_cast<long>(i) * n + k0 + j;
        for (int v = 0; v < V; ++v) t[v] = wasm_f32x4_add(t[v], wasm_f32x4_sub(load4(row + 4 * v), sh[v]));
      }
      for (int v = 0; v < V; ++v) add_f64x4(s1 + j + 4 * v, t[v]);
    }
    for (; j < w; ++j) {
      float t = 0.0f;
      for (int i = i0; i < i1; ++i) t += x[static_cast<long>(i) * n + k0 + j] - x[k0 + j];
      s1[j] += t;
    }
  }
}

template <int V, bool kUseLo>
void pass_b_v(const float* x, int m, int n, int k0, int w, int b, const float* mh, const float* ml,
              double* s2) {
  for (int j = 0; j < w; ++j) s2[j] = 0.0;
  for (int i0 = 0; i0 < m; i0 += b) {
    const int i1 = i0 + b < m ? i0 + b : m;
    int j = 0;
    for (; j + 4 * V <= w; j += 4 * V) {
      v128_t h[V], l[V], t[V];
      for (int v = 0; v < V; ++v) {
        h[v] = load4(mh + j + 4 * v); l[v] = load4(ml + j + 4 * v); t[v] = wasm_f32x4_splat(0.0f);
      }
      for (int i = i0; i < i1; ++i) {
        const float* row = x + static_cast<long>(i) * n + k0 + j;
        for (int v = 0; v < V; ++v) {
          v128_t c = wasm_f32x4_sub(load4(row + 4 * v), h[v]);
          if (kUseLo) c = wasm_f32x4_sub(c, l[v]);
          t[v] = wasm_f32x4_add(t[v], wasm_f32x4_mul(c, c));
        }
      }
      for (int v = 0; v < V; ++v) add_f64x4(s2 + j + 4 * v, t[v]);
    }
    for (; j < w; ++j) {
      float t = 0.0f;
      for (int i = i0; i < i1; ++i) {
        float c = x[static_cast<long>(i) * n + k0 + j] - mh[j];
        if (kUseLo) c -= ml[j];
        t += c * c;
      }
      s2[j] += t;
    }
  }
}

// kPassADouble: pass A in f64x2 lanes (sum d in double, rows in order: the
// main kernel's mean, bit for bit).
template <int V, bool kUseLo, bool kPassADouble = false>
void two_pass_v(const float* x, int m, int n, double* mean, double* var, int b, int chunk) {
  float mh[kMaxChunk], ml[kMaxChunk];
  double s2[kMaxChunk];
  for (int k0 = 0; k0 < n; k0 += chunk) {
    const int w = k0 + chunk < n ? chunk : n - k0;
    if (kPassADouble) pass_a(x, m, n, k0, w, false, mean + k0);
    else pass_a_v<V>(x, m, n, k0, w, mean + k0);
    for (int j = 0; j < w; ++j) {
      mean[k0 + j] = static_cast<double>(x[k0 + j]) + mean[k0 + j] / m;
      mh[j] = static_cast<float>(mean[k0 + j]);
      ml[j] = static_cast<float>(mean[k0 + j] - mh[j]);
    }
    pass_b_v<V, kUseLo>(x, m, n, k0, w, b, mh, ml, s2);
    for (int j = 0; j < w; ++j) {
      const double delta = kUseLo ? 0.0 : mean[k0 + j] - static_cast<double>(mh[j]);
      const double v = s2[j] / m - delta * delta;
      var[k0 + j] = v > 0.0 ? v : 0.0;
    }
  }
}




// s2[0 .. 4V) += float block sums of c^2, c1[0 .. 4V) += of c, c = fl(x_i - mean_hi).
template <int V>
inline void square_sum_block(const float* x, int n, int i0, int i1, const float* mean_hi, double* s2, double* c1) {
  v128_t mh[V], t[V], u[V];
  for (int v = 0; v < V; ++v) { mh[v] = load4(mean_hi + 4 * v); t[v] = wasm_f32x4_splat(0.0f); u[v] = t[v]; }
  for (int i = i0; i < i1; ++i) {
    const float* row = x + static_cast<long>(i) * n;
    for (int v = 0; v < V; ++v) {
      const v128_t c = wasm_f32x4_sub(load4(row + 4 * v), mh[v]);
      t[v] = wasm_f32x4_add(t[v], wasm_f32x4_mul(c, c));
      u[v] = wasm_f32x4_add(u[v], c);
    }
  }
  for (int v = 0; v < V; ++v) { add_f64x4(s2 + 4 * v, t[v]); add_f64x4(c1 + 4 * v, u[v]); }
}

// The centre: x_0 + mean of fl(x_i - x_0) over R rows spread over the batch
// (all rows where m <= R; R = 0: all rows), float sums in 8-row blocks.
// Then one pass: c = fl(x - centre), sum c and sum c^2 in float 8-row blocks,
// mean = centre + sum c / m, var = sum c^2 / m - (sum c / m)^2.
template <int V>
void centred_pass(const float* x, int m, int n, double* mean, double* var, int R) {
  float mh[kMaxChunk];
  double s2[kMaxChunk], c1[kMaxChunk], s1[kMaxChunk];
  const int rows = R == 0 || m <= R ? m : R;
  for (int k0 = 0; k0 < n; k0 += kMaxChunk) {
    const int w = k0 + kMaxChunk < n ? kMaxChunk : n - k0;
    for (int j = 0; j < w; ++j) { s1[j] = 0.0; s2[j] = 0.0; c1[j] = 0.0; }
    for (int r0 = 0; r0 < rows; r0 += 8) {
      const int r1 = r0 + 8 < rows ? r0 + 8 : rows;
      int j = 0;
      for (; j + 4 * V <= w; j += 4 * V) {
        v128_t sh[V], t[V];
        for (int v = 0; v < V; ++v) { sh[v] = load4(x + k0 + j + 4 * v); t[v] = wasm_f32x4_splat(0.0f); }
        for (int r = r0; r < r1; ++r) {
          const long i = rows == m ? r : static_cast<long>(r) * m / rows;
          const float* row = x + i * n + k0 + j;
          for (int v = 0; v < V; ++v) t[v] = wasm_f32x4_add(t[v], wasm_f32x4_sub(load4(row + 4 * v), sh[v]));
        }
        for (int v = 0; v < V; ++v) add_f64x4(s1 + j + 4 * v, t[v]);
      }
      for (; j < w; ++j) {
        float t = 0.0f;
        for (int r = r0; r < r1; ++r) {
          const long i = rows == m ? r : static_cast<long>(r) * m / rows;
          t += x[i * n + k0 + j] - x[k0 + j];
        }
        s1[j] += t;
      }
    }
    for (int j = 0; j < w; ++j) mh[j] = static_cast<float>(x[k0 + j] + s1[j] / rows);
    for (int i0 = 0; i0 < m; i0 += 8) {
      const int i1 = i0 + 8 < m ? i0 + 8 : m;
      int j = 0;
      for (; j + 4 * V <= w; j += 4 * V) square_sum_block<V>(x + k0 + j, n, i0, i1, mh + j, s2 + j, c1 + j);
      for (; j < w; ++j) {
        float t = 0.0f, u = 0.0f;
        for (int i = i0; i < i1; ++i) {
          const float c = x[static_cast<long>(i) * n + k0 + j] - mh[j];
          t += c * c;
          u += c;
        }
        s2[j] += t;
        c1[j] += u;
      }
    }
    for (int j = 0; j < w; ++j) {
      const double mc = c1[j] / m;
      mean[k0 + j] = mh[j] + mc;
      const double v = s2[j] / m - mc * mc;
      var[k0 + j] = v > 0.0 ? v : 0.0;
    }
  }
}

// ---- accuracy ----
struct Column { std::string name; int m; std::vector<float> x; };

// A small LCG normal (Box-Muller on the bench LCG), enough for test columns.
struct Rng {
  std::uint32_t s;
  double u() { s = s * 1664525u + 1013904223u; return (s + 0.5) / 4294967296.0; }
  double normal() { return std::sqrt(-2 * std::log(u())) * std::cos(6.283185307179586 * u()); }
};

std::vector<Column> hard_columns() {
  std::vector<Column> cols;
  Rng r{7};
  auto make = [&](std::string name, int m, auto value) {
    Column c{name, m, {}};
    for (int i = 0; i < m; ++i) c.x.push_back(static_cast<float>(value(i)));
    cols.push_back(c);
  };
  for (int m : {2, 3, 7, 9, 64, 1000, 4096}) {
    make("offset 1e4, sd 0.01, m " + std::to_string(m), m, [&](int) { return 1e4 + 0.01 * r.normal(); });
    make("offset 1e6, sd 1, m " + std::to_string(m), m, [&](int) { return 1e6 + r.normal(); });
    make("N(0,1), m " + std::to_string(m), m, [&](int) { return r.normal(); });
  }
  for (int at : {1, 5, 100, 255})
    make("outlier 1e4 sd at row " + std::to_string(at), 256, [&](int i) { return i == at ? 1e4 : r.normal(); });
  make("x0 at 4.9 sd, offset 100, m 4096", 4096, [&](int i) { return i == 0 ? 100 + 4.9 : 100 + r.normal(); });
  {
    std::vector<double> v(4096);
    for (double& e : v) e = 1000 + r.normal();
    std::sort(v.begin(), v.end());
    make("sorted N(1000,1), m 4096", 4096, [&](int i) { return v[i]; });
  }
  make("ramp 0..4095 + 1e5", 4096, [&](int i) { return 1e5 + i; });
  make("two clusters +-1e3, m 1024", 1024, [&](int i) { return (i < 512 ? -1e3 : 1e3) + r.normal(); });
  return cols;
}

template <class F>
json accuracy(F&& kernel) {
  // Each column repeated over 16 features (strips and tails), n = 19.
  double worst_mean = 0, worst_var = 0;
  std::string worst_mean_at, worst_var_at;
  for (const Column& c : hard_columns()) {
    const int n = 19, m = c.m;
    std::vector<float> x(static_cast<std::size_t>(m) * n);
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < n; ++k) x[static_cast<std::size_t>(i) * n + k] = c.x[i];
    std::vector<double> mean(n), var(n);
    kernel(x.data(), m, n, mean.data(), var.data());
    long double s = 0;
    for (float v : c.x) s += v;
    const long double mu = s / m;
    long double q = 0;
    for (float v : c.x) q += (v - mu) * (v - mu);
    const long double tv = q / m;
    for (int k = 0; k < n; ++k) {
      const double em = static_cast<double>(std::fabs(mean[k] - mu) / std::sqrt(tv));
      const double ev = static_cast<double>(std::fabs(var[k] - tv) / tv);
      if (em > worst_mean) { worst_mean = em; worst_mean_at = c.name; }
      if (ev > worst_var) { worst_var = ev; worst_var_at = c.name; }
    }
  }
  return {{"worstMeanErrorInSd", worst_mean}, {"at", worst_mean_at},
          {"worstVarRelError", worst_var}, {"varAt", worst_var_at}};
}


}  // namespace

int main(int argc, char** argv) {
  // --quick: shorter timings; --all: also the generic two-pass grid
  // (pass A float/double x b 8/16/32 x with/without sum c x chunk 64/256/1024).
  auto flag = [&](const char* f) {
    for (int i = 1; i < argc; ++i)
      if (std::strcmp(argv[i], f) == 0) return true;
    return false;
  };
  const bool quick = flag("--quick");
  using Fn = std::function<void(const float*, int, int, double*, double*)>;
  struct Named { std::string name; Fn f; };
  std::vector<Named> variants;
  variants.push_back({"main kernel", bn::kernels::main_simd::batch_mean_var});
  if (flag("--all"))
    for (bool af : {true, false})
      for (int b : {8, 16, 32})
        for (bool sc : {true, false})
          for (int w : {64, 256, 1024}) {
            const Options o{af, b, sc, w};
            variants.push_back({std::string("two-pass A") + (af ? "f" : "d") + " b" + std::to_string(b) +
                                    (sc ? " +c" : "") + " w" + std::to_string(w),
                                [o](const float* x, int m, int n, double* mean, double* var) { two_pass(x, m, n, mean, var, o); }});
          }
  for (int b : {8, 16}) {
    const std::string tail = " b" + std::to_string(b);
    variants.push_back({"two-pass, A float, B (x-hi)-lo" + tail, [=](const float* x, int m, int n, double* mean, double* var) { two_pass_v<4, true>(x, m, n, mean, var, b, 1024); }});
    variants.push_back({"two-pass, A float, B x-hi" + tail, [=](const float* x, int m, int n, double* mean, double* var) { two_pass_v<4, false>(x, m, n, mean, var, b, 1024); }});
    variants.push_back({"two-pass, A double, B (x-hi)-lo" + tail, [=](const float* x, int m, int n, double* mean, double* var) { two_pass_v<4, true, true>(x, m, n, mean, var, b, 1024); }});
    variants.push_back({"two-pass, A double, B x-hi" + tail, [=](const float* x, int m, int n, double* mean, double* var) { two_pass_v<4, false, true>(x, m, n, mean, var, b, 1024); }});
  }
  variants.push_back({"two-pass, A float, B x-hi +sum c b8", [](const float* x, int m, int n, double* mean, double* var) { centred_pass<4>(x, m, n, mean, var, 0); }});
  for (int R : {16, 32, 37, 64})
    variants.push_back({"one pass, centre from R=" + std::to_string(R) + " spread rows, +sum c b8", [=](const float* x, int m, int n, double* mean, double* var) { centred_pass<4>(x, m, n, mean, var, R); }});
  variants.push_back({"kernel (this tree)", bn::kernels::simd::batch_mean_var});
  if (flag("--degenerate")) {
    // Features the kernel hands to the shifted double sums: all zero (a dead
    // ReLU before the norm) and, for contrast, constant 1 (exact, no fallback).
    for (float value : {0.0f, 1.0f, -1.0f}) {
      const int m = 1024, n = 1024;
      // value -1: one zero feature (k = 5) in the bench batch
      std::vector<float> x = value < 0 ? bn::bench::case_data(m, n).x : std::vector<float>(static_cast<std::size_t>(m) * n, value);
      if (value < 0) for (int i = 0; i < m; ++i) x[static_cast<std::size_t>(i) * n + 5] = 0.0f;
      std::vector<double> mean(n), var(n);
      for (const Named& v : {variants.front(), variants.back()})
        std::printf("%s, 1024x1024: %s %.3f ms\n", value < 0 ? "one zero feature" : value == 0 ? "all zero" : "all one", v.name.c_str(),
                    bn::bench::measure([&] { v.f(x.data(), m, n, mean.data(), var.data()); }, quick).median_ms);
    }
    return 0;
  }
  std::printf("| variant | 32x16 us | 256x256 ms | 1024x1024 ms | 4096x1024 ms | worst mean err / sd | worst var rel err |\n|---|---|---|---|---|---|---|\n");
  const std::pair<int, int> shapes[] = {{32, 16}, {256, 256}, {1024, 1024}, {4096, 1024}};
  std::vector<bn::bench::CaseData> data;
  for (auto [m, n] : shapes) data.push_back(bn::bench::case_data(m, n));
  for (const Named& v : variants) {
    const json a = accuracy(v.f);
    double t[4];
    for (int s = 0; s < 4; ++s) {
      const int m = shapes[s].first, n = shapes[s].second;
      std::vector<double> mean(n), var(n);
      t[s] = bn::bench::measure([&] { v.f(data[s].x.data(), m, n, mean.data(), var.data()); }, quick).median_ms;
    }
    std::printf("| %s | %.3f | %.4f | %.3f | %.3f | %.1e (%s) | %.1e (%s) |\n", v.name.c_str(), t[0] * 1e3, t[1], t[2], t[3],
                a["worstMeanErrorInSd"].get<double>(), a["at"].get<std::string>().c_str(),
                a["worstVarRelError"].get<double>(), a["varAt"].get<std::string>().c_str());
  }
}
