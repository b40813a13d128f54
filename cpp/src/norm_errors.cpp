#include "norm_errors.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "bn/norm_layout.hpp"
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

void throw_bad_batch(int batch, int features) {
  std::string m = "batch ";
  if (batch < 1) {
    m = "batch must be a positive integer, got ";
    m.append(std::to_string(batch));
  } else {
    m.append(std::to_string(batch)).append(" is too large for ").append(std::to_string(features));
    m.append(" features (at most ").append(js_number(static_cast<double>(max_elements()))).append(" values)");
  }
  throw std::invalid_argument(m);
}

void throw_one_value_per_channel(const std::int64_t* dims, int rank) {
  std::string m = "Expected more than 1 value per channel when training, got input size ";
  m.append(shape_string(dims, rank)).append(" (use eval mode for a single example)");
  throw std::invalid_argument(m);
}

void throw_logic(const char* message) { throw std::logic_error(message); }
void throw_invalid(const char* message) { throw std::invalid_argument(message); }
void throw_x_not_finite() { throw_invalid("x must hold finite numbers (found NaN or Infinity)"); }
void throw_dy_not_finite(const float* dy, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(dy[i])) throw_invalid("dy must hold finite numbers (found NaN or Infinity)");
  // dy is finite: a sum over it overflowed (dbeta = sum dy, dgamma = sum dy xhat).
  throw_invalid("dy is finite but the gradients overflow float32: dgamma = sum(dy * xhat) or dbeta = sum(dy) "
                "passes 3.4e38 for this batch; scale dy down");
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

void throw_running_var_overflow(int k, double unbiased) {
  std::string m = "x gives feature ";
  m.append(std::to_string(k)).append(" a batch variance of ").append(js_number(unbiased));
  m.append(" (unbiased), which is Infinity as float32 in runningVar (at most 3.4e38): "
           "scale x down; the layer is unchanged");
  throw std::invalid_argument(m);
}

}  // namespace bn::detail
