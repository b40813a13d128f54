// Batch norm folded into the Linear / Conv2d layer before it (bn/fuse.hpp).
// Runs once per fold, never per element, so there is one implementation:
// the plain loops below, in double from the float32 inputs, rounded to
// float32 once per result. It is its own reference (the tests compare it
// with PyTorch's float32 fuse and with a float64 truth); PyTorch instead
// rounds after every operation (rsqrt, gamma * rsqrt, W * scale, ...).
#include "bn/fuse.hpp"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "bn/option_schema.hpp"   // js_number: numbers in messages as JS prints them

namespace bn {
namespace {

// A message from its parts: texts and numbers (printed as JS prints them),
// appended into one string. Parts are trivial, so a check costs one call.
struct Part {
  Part(const char* t) : text(t) {}                        // NOLINT: implicit on purpose
  Part(double v) : number(v), is_number(true) {}          // NOLINT
  const char* text = "";
  double number = 0;
  bool is_number = false;
};
[[noreturn]] void bad(std::initializer_list<Part> parts) {
  std::string message;
  for (const Part& p : parts) message += p.is_number ? js_number(p.number) : std::string(p.text);
  throw std::invalid_argument(message);
}
double count(std::size_t n) { return static_cast<double>(n); }

// How the caller names the sizes in messages (the JS API's names).
struct Names {
  const char* out;            // "outFeatures" | "outChannels"
  const char* weight_size;    // "outFeatures·inFeatures" | "outChannels·inChannels·kh·kw"
  const char* weight_layout;  // "[outFeatures, inFeatures]" | "[outChannels, inChannels, kh, kw]"
};

void check_dimension(const char* name, std::int64_t v) {
  if (v < 1) bad({name, " must be an integer >= 1, got ", static_cast<double>(v)});
}

// Every entry finite. A float32 entry that is Infinity is how a JS number
// beyond float32 (1e39) arrives, so the message says so.
void check_finite(const char* name, const float* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i]))
      bad({name, " must hold finite float32 numbers; entry ", count(i), " is ",
           std::isnan(v[i]) ? "NaN" : "Infinity in float32 (beyond ±3.4e38)"});
}

float to_float32(double v, const char* what, std::size_t channel) {
  const float f = static_cast<float>(v);
  if (!std::isfinite(f))
    bad({"the fused ", what, " of output channel ", count(channel), " is ", v,
         ", beyond float32: gamma / sqrt(runningVar + eps) is too large for this layer"});
  return f;
}

// The fold for `rows` output channels whose weights are `row_length`
// consecutive floats each (Linear: in_features; Conv2d: in_channels·kh·kw):
//   a_k  = gamma_k / sqrt(var_k + eps)          (gamma = 1 when affine is false)
//   W'_k = a_k W_k                               (the whole row k)
//   b'_k = a_k (b_k - mu_k) + beta_k             (b = 0 without bias, beta = 0 when affine is false)
// in double, each result rounded to float32 once.
FusedLinear fuse_rows(const float* weight, std::size_t weight_size, const float* bias, std::size_t bias_size,
                      std::int64_t rows, double row_length, const EvalNormParams& bn, const Names& names) {
  const double expected = static_cast<double>(rows) * row_length;
  if (bn.channels != rows)
    bad({names.out, " is ", static_cast<double>(rows), " but the layer normalizes ",
         static_cast<double>(bn.channels), " channels: they must be equal (its input is this layer's output)"});
  if (expected != static_cast<double>(weight_size))
    bad({"weight must have ", names.weight_size, " = ", expected, " entries (", names.weight_layout,
         ", row-major), got ", count(weight_size)});
  if (bias && bias_size != static_cast<std::size_t>(rows))
    bad({"bias must have ", names.out, " = ", static_cast<double>(rows), " entries, or be null (no bias), got ",
         count(bias_size)});
  if (!bn.running_mean || !bn.running_var) bad({"layer has no running statistics: it cannot be folded"});
  if (!(bn.eps > 0) || !std::isfinite(bn.eps)) bad({"layer eps must be a finite number > 0, got ", bn.eps});
  const std::size_t n = static_cast<std::size_t>(rows);
  check_finite("weight", weight, weight_size);
  if (bias) check_finite("bias", bias, n);
  check_finite("layer runningMean", bn.running_mean, n);
  check_finite("layer runningVar", bn.running_var, n);
  if (bn.gamma) check_finite("layer gamma", bn.gamma, n);
  if (bn.beta) check_finite("layer beta", bn.beta, n);
  for (std::size_t k = 0; k < n; ++k)
    if (bn.running_var[k] < 0)
      bad({"layer runningVar must be >= 0; entry ", count(k), " is ", static_cast<double>(bn.running_var[k])});

  FusedLinear out;
  out.weight.resize(weight_size);
  out.bias.resize(n);
  const std::size_t length = weight_size / n;
  for (std::size_t k = 0; k < n; ++k) {
    const double gamma = bn.gamma ? bn.gamma[k] : 1.0;
    const double beta = bn.beta ? bn.beta[k] : 0.0;
    const double a = gamma / std::sqrt(static_cast<double>(bn.running_var[k]) + bn.eps);
    for (std::size_t j = 0; j < length; ++j) out.weight[k * length + j] = to_float32(a * weight[k * length + j], "weight", k);
    const double b = bias ? bias[k] : 0.0;
    out.bias[k] = to_float32(a * (b - bn.running_mean[k]) + beta, "bias", k);
  }
  return out;
}

}  // namespace

FusedLinear fuse_linear_bn_eval(const float* weight, std::size_t weight_size, const float* bias, std::size_t bias_size,
                                std::int64_t out_features, std::int64_t in_features, const EvalNormParams& bn) {
  check_dimension("inFeatures", in_features);
  check_dimension("outFeatures", out_features);
  const Names names{"outFeatures", "outFeatures·inFeatures", "[outFeatures, inFeatures]"};
  return fuse_rows(weight, weight_size, bias, bias_size, out_features, static_cast<double>(in_features), bn, names);
}

FusedLinear fuse_conv_bn_eval(const float* weight, std::size_t weight_size, const float* bias, std::size_t bias_size,
                              std::int64_t out_channels, std::int64_t in_channels, std::int64_t kh, std::int64_t kw,
                              const EvalNormParams& bn) {
  check_dimension("inChannels", in_channels);
  check_dimension("outChannels", out_channels);
  check_dimension("kernelSize[0]", kh);
  check_dimension("kernelSize[1]", kw);
  const Names names{"outChannels", "outChannels·inChannels·kh·kw", "[outChannels, inChannels, kh, kw]"};
  const double row = static_cast<double>(in_channels) * static_cast<double>(kh) * static_cast<double>(kw);
  return fuse_rows(weight, weight_size, bias, bias_size, out_channels, row, bn, names);
}

}  // namespace bn
