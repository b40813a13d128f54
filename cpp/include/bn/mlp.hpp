// The trainer's network: a multilayer perceptron for 2-D classification.
// Hidden layer l:  z = Linear(a_{l-1});  y = BatchNorm1d(z) (or y = z);  h = act(y)
// Output:          logits = Linear(h_last)
// BatchNorm is bn::BatchNorm1d, the same class the JS API exposes.
#pragma once

#include <memory>
#include <vector>

#include "bn/activations.hpp"
#include "bn/batchnorm.hpp"
#include "bn/linear.hpp"
#include "bn/optimizer.hpp"
#include "bn/rng.hpp"

namespace bn {

struct MlpConfig {
  int inputs = 2;
  std::vector<int> hidden = {16, 16};
  int classes = 2;
  Activation activation = Activation::relu;
  bool batch_norm = true;
  Init init = Init::kaiming;
};

// The buffers of one forward and backward pass over at most `capacity` rows.
// Sized once; forward/backward then allocate nothing.
struct MlpWorkspace {
  struct Layer {
    std::vector<float> z;    // linear output ("pre")
    std::vector<float> y;    // BatchNorm output (unused without BatchNorm: y = z)
    std::vector<float> h;    // activation output
    std::vector<float> dh, dy, dz;   // gradients w.r.t. h, y, z
  };
  int capacity = 0;
  int batch = 0;           // rows of the last forward
  std::vector<Layer> layers;
  std::vector<float> logits, dlogits;
};

class Mlp {
 public:
  // Weights from init_rng (layer by layer); throws std::invalid_argument for
  // sizes < 1.
  Mlp(const MlpConfig& config, Pcg32& init_rng);

  const MlpConfig& config() const { return config_; }
  int hidden_layers() const { return static_cast<int>(config_.hidden.size()); }
  int width(int layer) const { return config_.hidden[layer]; }

  MlpWorkspace make_workspace(int capacity) const;

  // BatchNorm mode: training (batch statistics) or eval (running statistics).
  void train();
  void eval();
  bool training() const { return training_; }

  // Forward pass of m rows (x: m * inputs) into ws; returns ws.logits.
  // Throws (from BatchNorm1d) for m < 2 in training mode or non-finite values.
  const float* forward(const float* x, int m, MlpWorkspace& ws);

  // Backward pass for the forward that filled ws, starting from ws.dlogits;
  // leaves the gradients in the layers (see parameters()).
  void backward(const float* x, MlpWorkspace& ws);

  // Every learnable array with its gradient: per hidden layer W, b (and
  // gamma, beta with BatchNorm), then the output layer's W, b.
  std::vector<ParamRef> parameters();

  Linear& linear(int layer) { return linears_[layer]; }        // 0..hidden_layers()
  BatchNorm1d* norm(int layer) { return config_.batch_norm ? norms_[layer].get() : nullptr; }
  const BatchNorm1d* norm(int layer) const { return config_.batch_norm ? norms_[layer].get() : nullptr; }

 private:
  MlpConfig config_;
  bool training_ = true;
  std::vector<Linear> linears_;
  std::vector<std::unique_ptr<BatchNorm1d>> norms_;
};

}  // namespace bn
