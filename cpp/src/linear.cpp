#include "bn/linear.hpp"

#include <cmath>
#include <stdexcept>

#include "bn/linear_kernels.hpp"
#include "bn/option_schema.hpp"

namespace bn {

// The option's values: "auto" (resolved by the Trainer), then the Init names.
static const char* const kInitValues[] = {"auto", "kaiming", "xavier"};

const NameList& init_names() {
  static const NameList list{kInitValues + 1, 2};
  return list;
}

const NameList& init_option_values() {
  static const NameList list{kInitValues, 3};
  return list;
}

Init parse_init(const std::string& name) { return static_cast<Init>(parse_choice("init", init_names(), name)); }

const char* init_name(Init init) { return init_names()[static_cast<std::size_t>(init)]; }

Linear::Linear(int in, int out, Init init, Pcg32& rng) : in_(in), out_(out) {
  if (in < 1 || out < 1) throw std::invalid_argument("Linear: in and out must be >= 1");
  const std::size_t n = static_cast<std::size_t>(in) * out;
  w_.resize(n);
  wt_.resize(n);
  dw_.assign(n, 0.0f);
  b_.assign(out, 0.0f);
  db_.assign(out, 0.0f);
  const double std_dev = init == Init::kaiming ? std::sqrt(2.0 / in) : std::sqrt(2.0 / (in + out));
  for (float& v : w_) v = static_cast<float>(std_dev * rng.normal());
}

void Linear::forward(const float* x, int m, float* y) {
  for (int j = 0; j < out_; ++j)
    for (int k = 0; k < in_; ++k) wt_[static_cast<std::size_t>(k) * out_ + j] = w_[static_cast<std::size_t>(j) * in_ + k];
  linear_kernels::fast::forward(x, wt_.data(), b_.data(), m, in_, out_, y);
}

void Linear::backward(const float* x, const float* dy, int m, float* dx) {
  linear_kernels::fast::backward_params(x, dy, m, in_, out_, dw_.data(), db_.data());
  if (dx) linear_kernels::fast::backward_input(dy, w_.data(), m, in_, out_, dx);
}

}  // namespace bn
