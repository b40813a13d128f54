// The element-wise and backward column kernels of dbeaf17 (before issue 16's
// folding; namespace renamed old_simd) against this tree's, paired in one
// process: each repetition times both, in alternating order, and the ratio
// is the median of the per-repetition ratios. The factor arrays are carved
// from one pool with a chosen padding after each (argv[4] floats), since
// their addresses mod 4 KB moved the unpacked kernels' times 1.8x.
// Built and run by bench/stream/kernels_paired.sh; not part of the library.
//   node build/bench-stream/kernels_paired.cjs M N [repetitions] [padding]
#include <wasm_simd128.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <vector>
#include "../native/bench_data.hpp"
#include "../native/bench_timing.hpp"
#include "bn/kernels.hpp"
namespace bn::kernels::old_simd {
void normalize(const float* x, int m, int n, const float* mean_hi, const float* mean_lo, const float* scale, const float* shift, float* y);
void backward_reduce(const float* dy, const float* x, int m, int n, int ld, const float* mean_hi, const float* mean_lo, const float* invstd, double* sum_dy, double* sum_dy_xhat);
void backward_dx(const float* dy, const float* x, int m, int n, int ld, const float* mean_hi, const float* mean_lo, const float* invstd, const float* scale, const float* mean_dy, const float* mean_dy_xhat, float* dx);
}
namespace O = bn::kernels::old_simd;
namespace N = bn::kernels::simd;
int main(int argc, char** argv) {
  const int m = atoi(argv[1]), n = atoi(argv[2]), reps = argc > 3 ? atoi(argv[3]) : 9;
  auto d = bn::bench::case_data(m, n);
  std::vector<double> mean(n), var(n), sdy(n), sdyx(n);
  // factor arrays at a chosen spacing mod 4096 bytes (argv[4] floats of padding after each array)
  const int pad = argc > 4 ? atoi(argv[4]) : 0;
  std::vector<float> pool(12 * (n + pad) + 1024);
  float* base = pool.data() + ((16 - (reinterpret_cast<uintptr_t>(pool.data()) / 4) % 16) % 16);
  struct Arr { float* p; float* data() { return p; } float& operator[](int i) { return p[i]; } };
  int slot = 0;
  auto take = [&] { Arr a{base + slot * (n + pad)}; ++slot; return a; };
  Arr mh = take(), ml = take(), is = take(), sc = take(), sh = take(), b2 = take(), md = take(), mx = take(), sl = take(), dsh = take();
  for (int k = 0; k < n; ++k) sh[k] = d.beta[k];
  std::vector<float> y(d.x.size()), dx(d.x.size());
  N::batch_mean_var(d.x.data(), m, n, mean.data(), var.data());
  for (int k = 0; k < n; ++k) {
    mh[k] = mean[k]; ml[k] = mean[k] - mh[k]; is[k] = 1 / std::sqrt(var[k] + 1e-5); sc[k] = d.gamma[k] * is[k];
    b2[k] = bn::kernels::folded_shift(sh[k], ml[k], sc[k]); md[k] = 0.01f; mx[k] = 0.02f;
    bn::kernels::dx_factors(is[k], ml[k], 0.01, 0.02, sl[k], dsh[k]);
  }
  using bn::kernels::Packed;
  std::vector<float> nf(Packed::floats(n, 3)), df(Packed::floats(n, 4));
  for (int k = 0; k < n; ++k) {
    nf[Packed::at(k, 3, 0)] = mh[k]; nf[Packed::at(k, 3, 1)] = sc[k]; nf[Packed::at(k, 3, 2)] = b2[k];
    df[Packed::at(k, 4, 0)] = mh[k]; df[Packed::at(k, 4, 1)] = sc[k]; df[Packed::at(k, 4, 2)] = sl[k]; df[Packed::at(k, 4, 3)] = dsh[k];
  }
  const float *x = d.x.data(), *g = d.dy.data();
  struct Row { const char* name; std::vector<double> o, nn; };
  Row rows[3] = {{"normalize"}, {"backward_reduce"}, {"backward_dx"}};
  for (int r = 0; r < reps; ++r) {
    auto t = [&](auto f) { return bn::bench::measure(f, true).median_ms; };
    bool first_old = r % 2 == 0;
    for (int pass = 0; pass < 2; ++pass) {
      bool old = (pass == 0) == first_old;
      if (old) {
        rows[0].o.push_back(t([&] { O::normalize(x, m, n, mh.data(), ml.data(), sc.data(), sh.data(), y.data()); }));
        rows[1].o.push_back(t([&] { O::backward_reduce(g, x, m, n, n, mh.data(), ml.data(), is.data(), sdy.data(), sdyx.data()); }));
        rows[2].o.push_back(t([&] { O::backward_dx(g, x, m, n, n, mh.data(), ml.data(), is.data(), sc.data(), md.data(), mx.data(), dx.data()); }));
      } else {
        rows[0].nn.push_back(t([&] { N::normalize(x, m, n, nf.data(), y.data()); }));
        rows[1].nn.push_back(t([&] { N::backward_reduce(g, x, m, n, n, mh.data(), ml.data(), is.data(), sdy.data(), sdyx.data()); }));
        rows[2].nn.push_back(t([&] { N::backward_dx(g, x, m, n, n, df.data(), dx.data()); }));
      }
    }
  }
  auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  for (auto& row : rows) {
    std::vector<double> ratio;
    for (size_t i = 0; i < row.o.size(); ++i) ratio.push_back(row.nn[i] / row.o[i]);
    printf("%dx%d %-16s old %.4f ms  new %.4f ms  new/old (median of %d paired) %.3f\n", m, n, row.name, med(row.o), med(row.nn), reps, med(ratio));
  }
}
