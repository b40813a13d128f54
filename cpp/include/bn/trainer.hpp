// The live trainer: a dataset, an Mlp and an optimizer, stepped minibatch by
// minibatch. Everything random (points, test split, weights, batch order)
// comes from the seed through bn::Pcg32, so the same options give the same
// loss sequence on every run and in every build.
#pragma once

#include <cstdint>
#include <vector>

#include "bn/datasets.hpp"
#include "bn/mlp.hpp"
#include "bn/optimizer.hpp"
#include "bn/trainer_options.hpp"

namespace bn {

struct Evaluation {
  // Eval mode (BatchNorm uses its running statistics). Losses are mean
  // cross-entropies, accuracies fractions in [0, 1]; NaN for an empty split.
  double loss, accuracy;                 // all points
  double train_loss, train_accuracy;     // training split
  double test_loss, test_accuracy;       // held-out split
};

struct LayerActivations {
  int batch = 0, width = 0;
  std::vector<float> pre;        // the hidden layer's linear output z (batch * width)
  std::vector<float> xhat;       // BatchNorm's x-hat = (z - mean_B) / sqrt(var_B + eps),
                                 // before gamma/beta, as the layer computed it (from its
                                 // statistics of that batch); equal to pre without batch norm
  std::vector<float> activated;  // the activation's output h
};

class Trainer {
 public:
  static constexpr int kEvalChunk = 256;   // rows per eval-mode forward

  // Throws std::invalid_argument naming the first bad option.
  explicit Trainer(const TrainerOptions& options);
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Normalized options (init resolved to "kaiming" or "xavier").
  const TrainerOptions& options() const { return options_; }

  // n minibatch steps (forward, loss, backward, optimizer update), in
  // training mode; n within the schema's range (trainer_arguments(), "n").
  // Returns the mean of their losses; NaN for n = 0 (nothing
  // happens). Batches of batch_size points walk through a fresh random
  // order of the training split each epoch; the remainder that does not fill
  // a batch waits for the next epoch's order (drop-last). If the loss stops
  // being finite the trainer marks itself diverged and returns NaN from then on.
  double step(int n);

  std::int64_t steps() const { return steps_; }
  std::int64_t epoch() const { return epoch_; }         // completed passes over the training split
  int steps_per_epoch() const { return steps_per_epoch_; }
  double last_batch_loss() const { return last_batch_loss_; }
  bool diverged() const { return diverged_; }

  // Loss and accuracy in eval mode; changes nothing.
  Evaluation evaluate();

  // Class-1 probabilities on a res x res grid, in eval mode, into out
  // (res * res floats), row-major with row 0 at the TOP:
  //   out[r * res + c] is the point x = xmin + (c + 0.5) (xmax - xmin) / res,
  //                                 y = ymax - (r + 0.5) (ymax - ymin) / res
  // (pixel centres of a res x res canvas showing [xmin, xmax] x [ymin, ymax]).
  void predict_grid(int res, double xmin, double xmax, double ymin, double ymax, float* out);

  // Hidden layer `layer` (0-based) on the last training batch (eval-mode
  // passes since, e.g. evaluate(), change nothing of it).
  // Throws std::invalid_argument for a bad index, std::logic_error before the first step.
  LayerActivations activations(int layer) const;

  const Dataset& data() const { return data_; }
  Mlp& network() { return mlp_; }
  // Indices (into data().x) of the rows of the last training batch.
  const std::vector<int>& last_batch_indices() const { return batch_index_; }

 private:
  static TrainerOptions normalized(TrainerOptions o);
  void next_batch();
  void eval_rows(const std::vector<int>& rows, double& loss_sum, int& correct);

  TrainerOptions options_;
  Dataset data_;
  Pcg32 init_rng_, shuffle_rng_;
  Mlp mlp_;
  Optimizer optimizer_;
  MlpWorkspace train_ws_, eval_ws_;

  std::vector<int> order_;             // training split in this epoch's order
  int cursor_ = 0;                     // next unused position in order_
  int steps_per_epoch_ = 0;
  std::vector<int> batch_index_;       // rows of the current batch
  std::vector<float> batch_x_;         // batch_size * 2
  std::vector<std::uint8_t> batch_y_;
  std::vector<float> eval_x_;          // kEvalChunk * 2
  std::vector<std::uint8_t> eval_y_;

  std::int64_t steps_ = 0, epoch_ = 0;
  double last_batch_loss_;
  bool diverged_ = false;
  bool has_batch_ = false;
};

}  // namespace bn
