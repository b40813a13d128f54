// A linear (fully connected) layer y = x W^T + b, as torch.nn.Linear.
#pragma once

#include <string>
#include <vector>

#include "bn/rng.hpp"

#include "bn/name_list.hpp"

namespace bn {

enum class Init { kaiming, xavier };

// The names, indexed by Init: "kaiming", "xavier"; and the option schema's
// `init` values, "auto" (which the Trainer resolves before parsing) first.
const NameList& init_names();
const NameList& init_option_values();
// One of init_names(); throws std::invalid_argument naming `init`.
Init parse_init(const std::string& name);
const char* init_name(Init init);

class Linear {
 public:
  // Weights drawn from rng, biases zero:
  //   kaiming (He):     W_jk ~ N(0, 2 / in)
  //   xavier (Glorot):  W_jk ~ N(0, 2 / (in + out))
  Linear(int in, int out, Init init, Pcg32& rng);

  int in() const { return in_; }
  int out() const { return out_; }

  // y = x W^T + b for a batch of m rows (x: m * in, y: m * out).
  void forward(const float* x, int m, float* y);

  // Gradients for the batch of the forward whose input was x:
  //   dW = dy^T x,  db = sum over rows of dy,  dx = dy W   (dx may be null).
  // dW and db are overwritten, not accumulated.
  void backward(const float* x, const float* dy, int m, float* dx);

  // Parameters and gradients in place (for the optimizer and tests).
  float* weight() { return w_.data(); }            // [out x in], row-major
  float* bias() { return b_.data(); }
  const float* dweight() const { return dw_.data(); }
  const float* dbias() const { return db_.data(); }
  const std::vector<float>& weights() const { return w_; }

 private:
  int in_, out_;
  std::vector<float> w_, b_, dw_, db_;
  std::vector<float> wt_;   // W transposed [in x out], refreshed by every forward
};

}  // namespace bn
