#include "norm_fallback.hpp"

#include <cstddef>

namespace bn::detail {

void fallback_statistic(const float* x, const NormLayout& l, int q, double& mean, double& var) {
  const double m = static_cast<double>(l.reduced());
  auto each = [&](auto&& f) {
    for (int p = 0; p < l.outer; ++p) {
      const float* run = x + (static_cast<std::size_t>(p) * l.stats + q) * l.inner;
      for (int r = 0; r < l.inner; ++r) f(static_cast<double>(run[r]));
    }
  };
  double sum = 0.0;
  each([&](double v) { sum += v; });
  const double shift = sum / m;
  double s1 = 0.0, s2 = 0.0;
  each([&](double v) {
    const double d = v - shift;
    s1 += d;
    s2 += d * d;
  });
  mean = shift + s1 / m;
  const double v = (s2 - s1 * s1 / m) / m;
  var = v > 0.0 ? v : 0.0;
}

}  // namespace bn::detail
