// The trainer's network: a multilayer perceptron for 2-D classification.
// Hidden block l, on its input a (the data for l = 0, else block l-1's output):
//   z = Linear(a)
//   placement "before" (default):  y = Norm(z);  h = act(y);  f(a) = h
//   placement "after":             h = act(z);  y = Norm(h);  f(a) = y
//   no normalization:              h = act(z);                 f(a) = h
//   output = a + f(a) with a residual connection (when asked for and the
//            block's input and output widths match), else f(a)
// Output: logits = Linear(output of the last block).
// Norm is a bn::HiddenNorm (batch norm is bn::BatchNorm1d, the class the JS
// API exposes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "bn/activations.hpp"
#include "bn/batchnorm.hpp"
#include "bn/hidden_norm.hpp"
#include "bn/linear.hpp"
#include "bn/optimizer.hpp"
#include "bn/rng.hpp"

namespace bn {

struct MlpConfig {
  int inputs = 2;
  std::vector<int> hidden = {16, 16};
  int classes = 2;
  Activation activation = Activation::relu;
  Norm norm = Norm::batch;
  int groups = 1;                                  // for Norm::group
  NormPlacement placement = NormPlacement::before;
  bool residual = false;                           // x + f(x) where widths match
  std::optional<double> momentum = 0.1;            // BatchNorm running statistics; nullopt: cumulative
  Init init = Init::kaiming;
};

// The buffers of one forward and backward pass over at most `capacity` rows.
// Sized once; forward/backward then allocate nothing.
struct MlpWorkspace {
  struct Layer {
    std::vector<float> z;     // linear output
    std::vector<float> y;     // normalization output (empty without normalization)
    std::vector<float> h;     // activation output
    std::vector<float> out;   // a + f(a) (empty without a residual connection)
  };
  int capacity = 0;
  int batch = 0;              // rows of the last forward
  std::vector<Layer> layers;
  std::vector<float> logits, dlogits;
  // Backward scratch (capacity * widest layer each): the gradients of two
  // consecutive block outputs, and two inside a block.
  std::vector<float> d_out, d_in, d_mid, dz;
};

class Mlp {
 public:
  // Weights from init_rng (layer by layer); throws std::invalid_argument for
  // sizes < 1 or a width that `groups` does not divide.
  Mlp(const MlpConfig& config, Pcg32& init_rng);
  Mlp(const Mlp&) = delete;
  Mlp& operator=(const Mlp&) = delete;

  // Every learnable value (W, b, gamma, beta) from a network of the same
  // architecture; throws std::invalid_argument when the architectures differ.
  void copy_parameters_from(const Mlp& other);

  const MlpConfig& config() const { return config_; }
  int hidden_layers() const { return static_cast<int>(config_.hidden.size()); }
  int width(int layer) const { return config_.hidden[layer]; }
  int input_width(int layer) const { return layer == 0 ? config_.inputs : config_.hidden[layer - 1]; }
  bool residual(int layer) const { return residual_[layer] != 0; }

  MlpWorkspace make_workspace(int capacity) const;

  // Normalization mode: training (batch statistics) or eval (running statistics).
  void train();
  void eval();
  bool training() const { return training_; }

  // Every BatchNorm's running statistics: reset to mean 0, variance 1,
  // 0 batches tracked (PyTorch's reset_running_stats()), or copied from a
  // network of the same architecture. Nothing happens without batch norm.
  void reset_running_stats();
  void copy_running_stats_from(const Mlp& other);

  // Forward pass of m rows (x: m * inputs) into ws; returns ws.logits.
  // Throws (from the normalization) for a batch it cannot normalize or
  // non-finite values.
  const float* forward(const float* x, int m, MlpWorkspace& ws);

  // Backward pass for the forward that filled ws, starting from ws.dlogits;
  // leaves the gradients in the layers (see parameters()).
  void backward(const float* x, MlpWorkspace& ws);

  // What the forward that filled ws computed in hidden block `layer`:
  // the activation's input (y before, z after or without normalization),
  // and the block's output (the next block's input).
  const float* activation_input(int layer, const MlpWorkspace& ws) const;
  const float* block_output(int layer, const MlpWorkspace& ws) const;

  // Learnable arrays with their gradients: block l < hidden_layers() has
  // W, b (then gamma, beta with normalization); block hidden_layers() is the
  // output layer (W, b). parameters() lists every block's in order.
  std::vector<ParamRef> block_parameters(int block);
  std::vector<ParamRef> parameters();

  Linear& linear(int layer) { return linears_[layer]; }        // 0..hidden_layers()
  const Linear& linear(int layer) const { return linears_[layer]; }
  HiddenNorm* hidden_norm(int layer) { return norms_[layer].get(); }
  // The layer's BatchNorm1d, or nullptr with another normalization or none.
  BatchNorm1d* norm(int layer) { return norms_[layer] ? norms_[layer]->batch_norm() : nullptr; }
  const BatchNorm1d* norm(int layer) const { return norms_[layer] ? norms_[layer]->batch_norm() : nullptr; }

 private:
  MlpConfig config_;
  bool training_ = true;
  std::vector<Linear> linears_;
  std::vector<std::unique_ptr<HiddenNorm>> norms_;   // one per hidden layer (null: none)
  std::vector<std::uint8_t> residual_;   // 1 where the block has a residual connection
};

}  // namespace bn
