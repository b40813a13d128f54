// The column kernels' statistics (bn/kernels.hpp batch_mean_var, the centred
// float-lane pass of cpp/src/column_stats.hpp) where the float sums cannot
// hold alone: features whose values lie within 2^-75 of each other (their
// squares vanish in float), exact zeros beside them, a centre far from the
// mean (an outlier in the rows the centre comes from), every build's kernel
// against long double sums.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "bn/kernels.hpp"

namespace {

struct Truth { long double mean, var; };

Truth truth(const std::vector<float>& x, int m, int n, int k) {
  long double s = 0, q = 0;
  for (int i = 0; i < m; ++i) s += x[static_cast<std::size_t>(i) * n + k];
  const long double mean = s / m;
  for (int i = 0; i < m; ++i) {
    const long double d = x[static_cast<std::size_t>(i) * n + k] - mean;
    q += d * d;
  }
  return {mean, q / m};
}

// m rows, one column per feature function f(i).
template <class... F>
std::vector<float> columns(int m, F... f) {
  std::vector<float> x;
  for (int i = 0; i < m; ++i) (x.push_back(static_cast<float>(f(i))), ...);
  return x;
}

template <class Kernel>
void check(const char* build, Kernel kernel) {
  INFO(build);
  for (int m : {3, 9, 64, 1000}) {
    INFO("m = " << m);
    const double t = 1e-30;   // values within 2^-75 of 0: squares below float's range
    const std::vector<float> x = columns(
        m, [](int) { return 0.0; },                                  // zeros (a dead ReLU)
        [&](int i) { return i % 3 == 0 ? 0.0 : i % 3 == 1 ? t : -t; },  // tiny, summing to ~0
        [&](int i) { return t * (1 + i % 5); },                         // tiny, positive
        [](int) { return 3.0; },                                         // constant away from 0
        [&](int i) { return i == m / 2 ? 1e4 : std::sin(i); });          // an outlier mid-batch
    const int n = 5;
    std::vector<double> mean(n), var(n);
    kernel(x.data(), m, n, mean.data(), var.data());
    for (int k = 0; k < n; ++k) {
      INFO("feature " << k);
      const Truth e = truth(x, m, n, k);
      const double sd = std::sqrt(static_cast<double>(e.var));
      CHECK(std::abs(mean[k] - static_cast<double>(e.mean)) <= 1e-6 * sd + 1e-15 * std::abs(static_cast<double>(e.mean)));
      CHECK(std::abs(var[k] - static_cast<double>(e.var)) <= 1e-6 * static_cast<double>(e.var));
    }
    CHECK(var[0] == 0.0);
    CHECK(var[3] == 0.0);
    CHECK(var[1] > 0.0);   // not lost to float underflow
  }
}

}  // namespace

TEST_CASE("column statistics: tiny spreads, zeros and outliers as in long double") {
  check("scalar", bn::kernels::scalar::batch_mean_var);
  check("fast", bn::kernels::fast::batch_mean_var);
}
