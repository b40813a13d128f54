// BatchNorm1d with the semantics of torch.nn.BatchNorm1d on a 2-D input.
//
// Data layout: a minibatch x of `batch` rows and `features` columns, row-major:
// x[i * features + k] is row i, feature k. Storage is float32 (as PyTorch);
// every reduction over the batch accumulates in double, so that data with a
// large offset (x = 1000 + noise) keeps its accuracy.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bn/params.hpp"
#include "bn/trace.hpp"

namespace bn {

class BatchNorm1d {
 public:
  explicit BatchNorm1d(int features, BatchNormOptions options = {});

  int features() const { return features_; }
  const BatchNormOptions& options() const { return options_; }
  bool training() const { return training_; }
  void train() { training_ = true; }
  void eval() { training_ = false; }

  // Learnable parameters (empty when options.affine is false) and the
  // running (population) estimates used in eval mode.
  const std::vector<float>& gamma() const { return gamma_; }
  const std::vector<float>& beta() const { return beta_; }
  const std::vector<float>& running_mean() const { return running_mean_; }
  const std::vector<float>& running_var() const { return running_var_; }
  std::int64_t num_batches_tracked() const { return num_batches_tracked_; }

  // PyTorch's reset_running_stats(): running_mean 0, running_var 1,
  // num_batches_tracked 0.
  void reset_running_stats();
  // running_mean, running_var and num_batches_tracked from a layer of the
  // same width (PyTorch: loading those buffers of its state_dict); throws
  // std::invalid_argument, changing nothing, when the widths differ.
  void copy_running_stats_from(const BatchNorm1d& other);

  // For optimizers: the parameters in place (empty when affine is false).
  float* gamma_data() { return gamma_.data(); }
  float* beta_data() { return beta_.data(); }

  // Replaces any subset (a null pointer leaves that one alone). Each array
  // has `features` entries. All-or-nothing: every given array is checked
  // (finite; runningVar >= 0) before anything changes; throws
  // std::invalid_argument naming the parameter.
  void set_params(const float* gamma, const float* beta,
                  const float* running_mean, const float* running_var);

  // ---- Forward -----------------------------------------------------------
  // Training mode: normalizes with the batch statistics and updates the
  // running estimates. Eval mode: normalizes with the running estimates and
  // updates nothing. Throws std::invalid_argument (naming the parameter) for
  // batch < 1, batch < 2 in training mode, or a non-finite x; the layer is
  // then exactly as before the call.
  void forward(const float* x, int batch, float* y);

  // Zero-copy variant for bindings: write x into staging_input(batch), then
  // call forward_staged(batch); y is then output(). Same rules as forward().
  float* staging_input(int batch);
  void forward_staged(int batch);
  const float* output() const { return saved_y_.data(); }

  // ---- Backward ----------------------------------------------------------
  // Gradients of a loss L given dy = dL/dy for the last forward, through the
  // batch statistics (after a training forward) or through the fixed
  // statistics (after an eval forward). dgamma/dbeta may be null (and are
  // not written when affine is false). Throws std::logic_error when no
  // forward came before, std::invalid_argument when dy is not finite.
  void backward(const float* dy, float* dx, float* dgamma, float* dbeta);

  // Zero-copy variant: write dy into staging_dy() (last_batch() * features()
  // floats), call backward_staged(); results in dx(), dgamma(), dbeta().
  float* staging_dy();
  void backward_staged();
  const float* dx() const { return dx_.data(); }
  const float* dgamma() const { return dgamma_.data(); }
  const float* dbeta() const { return dbeta_.data(); }

  bool has_forward() const { return saved_.valid; }
  int last_batch() const { return saved_.batch; }
  bool last_training() const { return saved_.training; }

  // Every intermediate of the last forward, in float32 (as PyTorch would
  // hold them), and the batch statistics of the last training forward
  // (save_mean, save_invstd). Throws std::logic_error when no forward came before.
  Trace trace() const;

  // x-hat of `batch` rows x under the statistics of the last TRAINING
  // forward, into xhat: ((x - mean) / sqrt(var + eps), computed as trace()
  // computes it). Given that forward's own input it is bit for bit the x-hat
  // the layer computed, even after eval forwards since. Throws
  // std::logic_error before any training forward.
  void training_xhat(const float* x, int batch, float* xhat) const;

  // Every intermediate of the last successful backward (see BackwardTrace):
  // dy, the chain-rule factors dxhat, dvar, dmean (computed here, in double,
  // from the saved x and statistics, not in backward's hot path) and the
  // dx, dgamma, dbeta that backward returned. A failing backward leaves it
  // as it was; a new successful forward discards it. Throws
  // std::logic_error when no backward came after the last forward.
  BackwardTrace backward_trace() const;

 private:
  // Statistics of the last successful forward, kept for backward and trace.
  struct Saved {
    bool valid = false;
    bool training = false;
    int batch = 0;
    // The normalizing statistics actually used (batch or running), in double.
    std::vector<double> mean;
    std::vector<double> var;      // biased batch variance, or running variance
    std::vector<float> mean_hi;   // mean split as float hi + float lo, so that
    std::vector<float> mean_lo;   // x - mean stays exact-ish near a large offset
    std::vector<float> invstd;    // 1 / sqrt(var + eps)
    std::vector<float> gamma;     // gamma at forward time (ones if not affine)
    std::vector<float> beta;      // beta at forward time (zeros if not affine)
  };

  // The batch statistics of the last training forward (ATen's save_mean,
  // save_invstd), copied at its commit; valid = false before any.
  struct SavedBatchStats {
    bool valid = false;
    std::vector<float> mean_hi, mean_lo, invstd;
  };

  void check_batch(int batch) const;
  void compute_saved_stats(Saved& s, const float* x, int batch) const;
  void next_running_stats(const Saved& s);

  int features_;
  BatchNormOptions options_;
  bool training_ = true;
  std::vector<float> gamma_, beta_, running_mean_, running_var_;
  std::int64_t num_batches_tracked_ = 0;

  // Buffers, grown to the largest batch seen and then reused (no allocation
  // per call in steady state). The input is double-buffered: a failing
  // forward never touches what the last good one saved. y needs one buffer:
  // it is written only once nothing can fail any more.
  std::vector<float> staging_x_, saved_x_;
  std::vector<float> saved_y_;
  // dy is double-buffered too: a good backward swaps staging_dy_ into
  // saved_dy_ (for backward_trace), a failing one leaves saved_dy_ alone.
  std::vector<float> staging_dy_, saved_dy_, dx_;
  bool backward_valid_ = false;   // a backward succeeded since the last forward
  std::vector<float> dgamma_, dbeta_;
  Saved saved_, staging_;
  SavedBatchStats save_;
  std::vector<float> scale_;  // per-feature scratch: gamma * invstd
  std::vector<float> next_mean_, next_var_;   // the running statistics a training forward commits
};

}  // namespace bn
