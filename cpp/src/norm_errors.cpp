#include "norm_errors.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "bn/option_schema.hpp"

namespace bn::detail {

void check_array(const char* name, const float* v, int n, bool non_negative) {
  for (int k = 0; k < n; ++k) {
    const bool finite = std::isfinite(v[k]);
    if (finite && !(non_negative && v[k] < 0.0f)) continue;
    std::string m = name;
    m.append(finite ? " must be >= 0; entry " : " must hold finite numbers; entry ").append(std::to_string(k));
    m.append(finite ? " is negative" : " is not finite");
    throw std::invalid_argument(m);
  }
}

void throw_x_not_finite() {
  throw std::invalid_argument("x must hold finite numbers (found NaN or Infinity)");
}

void throw_dy_not_finite() {
  throw std::invalid_argument("dy must hold finite numbers (found NaN or Infinity)");
}

void throw_eps_too_small(double eps, double inv, int q, double var) {
  std::string m = "eps = ";
  m.append(js_number(eps)).append(" is too small for this input: 1/sqrt(var + eps) = ");
  m.append(js_number(inv)).append(" overflows float32 at statistic ").append(std::to_string(q));
  m.append(" (var = ").append(js_number(var)).append("); use eps >= 1e-77");
  throw std::invalid_argument(m);
}

void throw_x_spreads(double x, double mean, int q) {
  std::string m = "x spreads beyond float32: x - mean = ";
  m.append(js_number(x - mean)).append(" overflows float32 at statistic ").append(std::to_string(q));
  m.append(" (x = ").append(js_number(x)).append(", mean = ").append(js_number(mean)).append(")");
  throw std::invalid_argument(m);
}

}  // namespace bn::detail
