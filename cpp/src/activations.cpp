#include "bn/activations.hpp"

#include <cmath>

#include "bn/option_schema.hpp"

namespace bn {
namespace {

// tanh z from exp alone: std::tanh differs between C libraries (glibc
// natively, musl in WebAssembly) and training would drift apart, while exp
// gives the same bits in both. In double, then rounded to float:
//   |z| < 1e-4: tanh z = z - z^3 / 3 (next term 2 z^5 / 15 < 1e-20)
//   otherwise:  tanh |z| = (1 - t) / (1 + t),  t = exp(-2 |z|)
float portable_tanh(float z) {
  const double a = std::fabs(static_cast<double>(z));
  double r;
  if (a < 1e-4) {
    r = a - a * a * a / 3.0;
  } else {
    const double t = std::exp(-2.0 * a);
    r = (1.0 - t) / (1.0 + t);
  }
  return std::copysign(static_cast<float>(r), z);
}

}  // namespace

const NameList& activation_names() {
  static const char* const names[] = {"relu", "tanh", "sigmoid"};
  static const NameList list{names, 3};
  return list;
}

Activation parse_activation(const std::string& name) {
  return static_cast<Activation>(parse_choice("activation", activation_names(), name));
}

const char* activation_name(Activation a) { return activation_names()[static_cast<std::size_t>(a)]; }

void activation_forward(Activation a, const float* z, int n, float* h) {
  switch (a) {
    case Activation::relu:
      // z * [z > 0]: no branch, and a NaN stays a NaN (so divergence shows).
      for (int j = 0; j < n; ++j) h[j] = z[j] * static_cast<float>(z[j] > 0.0f);
      return;
    case Activation::tanh:
      for (int j = 0; j < n; ++j) h[j] = portable_tanh(z[j]);
      return;
    case Activation::sigmoid:
      for (int j = 0; j < n; ++j) h[j] = 1.0f / (1.0f + std::exp(-z[j]));
      return;
  }
}

void activation_backward(Activation a, const float* h, const float* dh, int n, float* dz) {
  switch (a) {
    case Activation::relu:
      // A multiply by 0 or 1 instead of a branch: the sign of h is random.
      for (int j = 0; j < n; ++j) dz[j] = dh[j] * static_cast<float>(h[j] > 0.0f);
      return;
    case Activation::tanh:
      for (int j = 0; j < n; ++j) dz[j] = dh[j] * (1.0f - h[j] * h[j]);
      return;
    case Activation::sigmoid:
      for (int j = 0; j < n; ++j) dz[j] = dh[j] * (h[j] * (1.0f - h[j]));
      return;
  }
}

}  // namespace bn
