// The live trainer: a dataset, an Mlp and an optimizer, stepped minibatch by
// minibatch. Everything random (points, test split, weights, batch order)
// comes from the seed through bn::Pcg32, so the same options give the same
// loss sequence on every run and in every build.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "bn/datasets.hpp"
#include "bn/landscape.hpp"
#include "bn/layer_stats.hpp"
#include "bn/mlp.hpp"
#include "bn/optimizer.hpp"
#include "bn/trainer_options.hpp"

namespace bn {

// Mean cross-entropies and accuracies (fractions in [0, 1]); NaN for an
// empty split, or where the network's values are not finite.
struct Figures {
  double loss, accuracy;                 // all points
  double train_loss, train_accuracy;     // training split
  double test_loss, test_accuracy;       // held-out split
};

struct Evaluation : Figures {
  // The Figures above: eval mode (BatchNorm uses its running statistics).
  // train_mode: with batch statistics, as in training, each split in batches
  // of batchSize (see Trainer::evaluate); no running statistic changes.
  Figures train_mode;
  bool diverged;                         // every figure is NaN once the run has diverged
};

struct LayerActivations {
  int batch = 0, width = 0;
  std::vector<float> pre;        // the hidden layer's linear output z (batch * width)
  std::vector<float> xhat;       // BatchNorm's x-hat = (z - mean_B) / sqrt(var_B + eps),
                                 // before gamma/beta, as the layer computed it (from its
                                 // statistics of that batch); equal to pre without batch norm
  std::vector<float> activated;  // the activation's output h
};

// One BatchNorm layer's running statistics beside the population statistics
// of its input over the training split (Trainer::running_stats).
struct RunningStats {
  int layer = 0, features = 0;
  int rows = 0;                          // training points the population is over
  std::vector<float> running_mean, running_var;         // the layer's buffers, as eval mode uses them
  std::vector<double> population_mean, population_var;  // var unbiased (divides by rows - 1); NaN when
                                                        // the values are not finite (or once diverged)
};

class Trainer {
 public:
  static constexpr int kEvalChunk = 256;   // rows per eval-mode forward

  // Throws std::invalid_argument naming the first bad option.
  explicit Trainer(const TrainerOptions& options);
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Normalized options (init resolved to "kaiming" or "xavier", norm
  // resolved with batch_norm).
  const TrainerOptions& options() const { return options_; }

  // n minibatch steps (forward, loss, backward, optimizer update), in
  // training mode; n within the schema's range (trainer_arguments(), "n").
  // Returns the mean of their losses; NaN for n = 0 (nothing
  // happens). Batches of batch_size points walk through a fresh random
  // order of the training split each epoch; the remainder that does not fill
  // a batch waits for the next epoch's order (drop-last). If the loss stops
  // being finite the trainer marks itself diverged and returns NaN from then on.
  // Throws std::invalid_argument naming n when n < 0 or n > max_steps_per_call().
  double step(int n);

  // The most steps one call may take: kMaxWorkPerCall / (batchSize * parameters),
  // at least 1 (see trainer_network.hpp).
  int max_steps_per_call() const { return max_steps_per_call_; }
  std::int64_t parameter_count() const { return parameter_count_; }

  std::int64_t steps() const { return steps_; }
  std::int64_t epoch() const { return epoch_; }         // completed passes over the training split
  int steps_per_epoch() const { return steps_per_epoch_; }
  double last_batch_loss() const { return last_batch_loss_; }
  bool diverged() const { return diverged_; }

  // Loss and accuracy in eval mode and in train mode; changes nothing (no
  // running statistic, no parameter, no batch order). Train mode: each split
  // in a fixed random order (drawn once from the seed), in batches of
  // batchSize; a last partial batch of r >= 2 points is a batch of its own
  // (as a DataLoader with drop_last=False), a last single point joins the
  // batch before it. A split of one point with batch norm: NaN.
  Evaluation evaluate();

  // torch.optim.swa_utils.update_bn over the training split: every running
  // statistic is reset (mean 0, variance 1, batches tracked 0), then the
  // training split is passed forward in training mode, in the batches of
  // evaluate()'s train mode, with momentum null (a cumulative average over
  // the batches); the momentum is then restored. Nothing else changes (the
  // next steps are those the run would have taken anyway). Does nothing
  // without batch norm, or once the run has diverged.
  void recalibrate();

  // Hidden layer `layer`'s BatchNorm1d: its running mean and variance, and
  // the statistics its input has over the whole training split with the
  // current weights, the network in eval mode (for layer 0 the input does not
  // depend on any normalization: the same in either mode), per feature, in
  // float64. population_var is unbiased (sum of squares / (rows - 1)): the
  // running variance averages the batches' unbiased variances, and for a
  // batch drawn without replacement from the split the expected unbiased
  // variance is exactly that, so it is the value the running variance
  // estimates (recalibrate() with one batch of the whole split gives it to
  // float rounding). Changes nothing. Throws std::invalid_argument naming
  // layerIndex for a bad index or a layer without BatchNorm1d.
  RunningStats running_stats(int layer);

  // Class-1 probabilities on a res x res grid, in eval mode, into out
  // (res * res floats), row-major with row 0 at the TOP:
  //   out[r * res + c] is the point x = xmin + (c + 0.5) (xmax - xmin) / res,
  //                                 y = ymax - (r + 0.5) (ymax - ymin) / res
  // (pixel centres of a res x res canvas showing [xmin, xmax] x [ymin, ymax]).
  // Throws std::invalid_argument naming res, xmin/xmax or ymin/ymax (also when
  // a range overflows: xmax - xmin must be finite, every coordinate within float32).
  void predict_grid(int res, double xmin, double xmax, double ymin, double ymax, float* out);

  // Hidden layer `layer` (0-based) on the last training batch (eval-mode
  // passes since, e.g. evaluate(), change nothing of it).
  // Throws std::invalid_argument for a bad index, std::logic_error before the first step.
  LayerActivations activations(int layer) const;

  // Per hidden layer, from the last training step (see bn/layer_stats.hpp).
  // Throws std::logic_error before the first step.
  std::vector<LayerStats> layer_stats() const;

  // Santurkar et al.'s measures (bn/landscape.hpp) at the current weights on
  // the last training batch, with the trainer's learning rate, computed on
  // the twin: the network, its statistics and its gradients do not change. Throws std::logic_error before the first step or once diverged.
  Landscape landscape(const LandscapeOptions& options);

  const Dataset& data() const { return data_; }
  Mlp& network() { return mlp_; }
  // Indices (into data().x) of the rows of the last training batch.
  const std::vector<int>& last_batch_indices() const { return batch_index_; }

 private:
  static TrainerOptions normalized(TrainerOptions o);
  void next_batch();
  // Passes rows forward through net (in chunks of ws's capacity, or in train
  // mode in batches of batch_size); after each pass, after(start, m) with the
  // pass's first position in rows and its row count (the pass is in ws).
  void pass_rows(Mlp& net, MlpWorkspace& ws, const std::vector<int>& rows, bool train_mode,
                 const std::function<void(int, int)>& after);
  // pass_rows, adding the passes' loss sum and correct count.
  void eval_rows(Mlp& net, MlpWorkspace& ws, const std::vector<int>& rows, bool train_mode,
                 double& loss_sum, int& correct);
  Figures figures(bool train_mode);
  void sync_twin();   // twin_'s parameters <- the network's; training mode
  void require_batch(const char* what) const;

  TrainerOptions options_;
  Dataset data_;
  Pcg32 init_rng_, shuffle_rng_;
  Mlp mlp_;
  // The same architecture with momentum null, for train-mode evaluation and
  // recalibrate(): it takes the network's parameters each time, so those
  // passes never touch the network.
  Mlp twin_;
  std::vector<ParamRef> params_, twin_params_;
  Optimizer optimizer_;
  MlpWorkspace train_ws_, eval_ws_;

  std::vector<int> order_;             // training split in this epoch's order
  int cursor_ = 0;                     // next unused position in order_
  int steps_per_epoch_ = 0;
  std::vector<int> batch_index_;       // rows of the current batch
  std::vector<float> batch_x_;         // batch_size * 2
  std::vector<std::uint8_t> batch_y_;
  std::vector<float> eval_x_;          // eval_ws_.capacity * 2
  std::vector<std::uint8_t> eval_y_;
  std::vector<int> fixed_train_order_, fixed_test_order_;   // train-mode evaluation, recalibrate()

  std::int64_t steps_ = 0, epoch_ = 0;
  std::int64_t parameter_count_ = 0;
  int max_steps_per_call_ = 1;
  double last_batch_loss_;
  bool diverged_ = false;
  bool has_batch_ = false;
};

}  // namespace bn
