// The engine behind every normalization layer (bn/norm_layer.hpp): given a
// ForwardPlan (the [P, Q, R] view of x and where the statistics come from,
// bn/norm_layout.hpp) it computes the statistics, normalizes, backpropagates
// through the statistics (or through fixed ones), keeps the running
// statistics, and holds everything a trace shows. It knows nothing of
// shapes' meaning: each layer class turns a shape into a plan.
//
// Numerics. Storage is float32 (as PyTorch); every reduction is in double
// (the column layout's statistics and dgamma: float within blocks of 8 rows of
// centred terms, double across; bn/kernels.hpp). The statistics take one pass
// shifted by each statistic's first element (the kernels' run_mean_var; the
// column kernel's centred pass falls back to it feature by feature),
// d = fl(x - shift):
//   mean = shift + sum(d) / M,  var = (sum(d^2) - sum(d)^2 / M) / M.
// Where that shift is unsafe -- more than 5 standard deviations from the
// mean (a large outlier first), or x - shift overflowing float32 -- the
// statistic is computed again in two passes around its own mean, in
// double, so that no data point is special: the accuracy does not depend on
// the order of the rows, and nothing overflows for finite x (float max
// included). Normalizing subtracts the mean split as float hi + lo: x - mean
// stays exact near a large offset. An eval forward on the column layout
// folds the statistics into one multiply-add, y = x a + b (a = gamma invstd,
// b = beta - mean a), where every |running_mean| is within kFoldLimit
// running standard deviations of 0 (norm_core_eval.cpp). An eps so small that 1/sqrt(var + eps)
// overflows float32 is refused, naming eps.
//
// Every call that can fail checks everything before it changes anything:
// a failing forward or backward leaves the layer exactly as it was.
// Buffers grow to the largest input seen and are then reused: no
// allocation per call in steady state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "bn/norm_layout.hpp"
#include "bn/run_kernels.hpp"
#include "bn/trace.hpp"

namespace bn {

struct NormConfig {
  int params = 1;                        // affine parameters (gamma, beta entries)
  int running = 0;                       // running statistics (0: not tracked)
  double eps = 1e-5;
  std::optional<double> momentum = 0.1;  // nullopt: cumulative average
  bool affine = true;
  bool count_batches = true;             // count training forwards in num_batches_tracked
};

class NormCore {
 public:
  explicit NormCore(const NormConfig& config);

  const NormConfig& config() const { return config_; }

  // Learnable parameters (empty when not affine) and running statistics
  // (empty when not tracked).
  const std::vector<float>& gamma() const { return gamma_; }
  const std::vector<float>& beta() const { return beta_; }
  const std::vector<float>& running_mean() const { return running_mean_; }
  const std::vector<float>& running_var() const { return running_var_; }
  std::int64_t num_batches_tracked() const { return num_batches_tracked_; }
  float* gamma_data() { return gamma_.data(); }
  float* beta_data() { return beta_.data(); }

  // Replaces any subset (null leaves one alone); all-or-nothing, each array
  // checked (finite; running_var >= 0) first. Throws std::invalid_argument
  // naming the parameter.
  void set_params(const float* gamma, const float* beta, const float* running_mean,
                  const float* running_var);
  // PyTorch's reset_running_stats(): running_mean 0, running_var 1,
  // num_batches_tracked 0.
  void reset_running();
  // The running statistics and num_batches_tracked of a core with as many
  // running entries (copies, no allocation); the caller checks the sizes.
  void copy_running_from(const NormCore& other);

  // Makes the core ready for plans of this layout (idempotent): the run
  // kernels for layouts other than columns (bn::NormLayout::columns), and
  // room for its statistics (sized for one per parameter at construction).
  // Defined apart (norm_core_runs.cpp): only the programs that need more
  // link it. Whoever plans such a layout calls it before staging x.
  void prepare(const NormLayout& layout);

  // ---- Forward: write x into staging_input(n), then forward_staged. ----
  float* staging_input(std::size_t elements);
  // Normalizes the staged x (plan.layout.elements() floats) and commits:
  // y in output(), statistics saved for backward and trace, running
  // statistics updated when the plan says so. dims/rank: x's shape, kept for
  // trace. Throws std::invalid_argument for non-finite x, an eps too small
  // for float32, or x spreading beyond float32; nothing changed then.
  void forward_staged(const ForwardPlan& plan, const std::int64_t* dims, int rank, bool training);
  const float* output() const { return saved_y_.data(); }

  // ---- Backward: write dy into staging_dy(), then backward_staged.
  float* staging_dy();
  void backward_staged();
  const float* dx() const { return dx_.data(); }
  const float* dgamma() const { return dgamma_.data(); }
  const float* dbeta() const { return dbeta_.data(); }

  bool has_forward() const { return saved_.valid; }
  bool last_training() const { return saved_.training; }
  Shape last_shape() const { return Shape(saved_.dims, saved_.dims + saved_.rank); }
  const std::int64_t* last_dims() const { return saved_.dims; }
  const NormLayout& last_layout() const { return saved_.plan.layout; }
  std::size_t last_elements() const { return saved_.plan.layout.elements(); }

  // Every intermediate of the last forward / backward (see bn/trace.hpp),
  // with the statistics of the last training forward (save_mean,
  // save_invstd); stats_shape is the layer's to fill. Throw
  // std::logic_error when there is none.
  Trace trace() const;
  BackwardTrace backward_trace() const;

  // x-hat of x (viewed as `layout`, with as many statistics as that
  // training forward had) under the statistics of the last training
  // forward: xhat = ((x - mean_hi) - mean_lo) * invstd, as trace() computes
  // it. Throws std::logic_error before any training forward, or when the
  // layout has another number of statistics.
  void training_xhat(const float* x, const NormLayout& layout, float* xhat) const;

 private:
  // The statistics of one forward, for backward and trace.
  struct Saved {
    bool valid = false;
    bool training = false;
    ForwardPlan plan;
    int rank = 0;                         // x's shape, for trace
    std::int64_t dims[kMaxRank] = {};
    std::vector<double> mean, var;   // used to normalize (input or running), Q entries
    std::vector<float> mean_hi, mean_lo, invstd;
    std::vector<float> gamma, beta;  // at forward time (ones / zeros when not affine)
    bool wide_scale = false;         // scale_may_overflow(gamma, invstd): backward asks it too

    // Member by member (std::swap would move the whole struct three times).
    friend void swap(Saved& a, Saved& b) noexcept {
      using std::swap;
      swap(a.valid, b.valid);
      swap(a.training, b.training);
      swap(a.plan, b.plan);
      swap(a.rank, b.rank);
      swap(a.dims, b.dims);
      for (auto member : {&Saved::mean, &Saved::var}) (a.*member).swap(b.*member);
      for (auto member : {&Saved::mean_hi, &Saved::mean_lo, &Saved::invstd, &Saved::gamma, &Saved::beta})
        (a.*member).swap(b.*member);
      swap(a.wide_scale, b.wide_scale);
    }
  };

  // The statistics of the last training forward (ATen's save_mean,
  // save_invstd), copied at its commit; valid = false before any.
  struct SavedBatchStats {
    bool valid = false;
    int stats = 0;                              // entries in use
    std::vector<float> mean_hi, mean_lo, invstd;   // sized as the Saved ones
  };

  bool input_statistics(Saved& s, const float* x);
  bool running_statistics(Saved& s, const float* x) const;
  bool forward_folded(Saved& s, const float* x);
  void commit_forward(bool training);
  void finish_statistics(Saved& s, const float* x, bool maybe_wide) const;
  void next_running(const Saved& s);   // may throw: changes only next_mean_, next_var_, next_mean_huge_
  void commit_running();
  void note_running_mean();   // after every change of running_mean_
  void enable_run_kernels();
  void backward_columns();
  void backward_runs();

  NormConfig config_;
  const kernels::RunKernels* runs_ = nullptr;   // see prepare
  void (NormCore::*backward_runs_)() = nullptr;   // &NormCore::backward_runs once prepared
  std::vector<float> gamma_, beta_, running_mean_, running_var_;
  std::vector<float> next_mean_, next_var_;   // the running statistics a training forward commits
  std::int64_t num_batches_tracked_ = 0;
  bool running_mean_huge_ = false;   // some |running_mean| >= half the float range
  bool next_mean_huge_ = false;      // the same of next_mean_ (next_running)

  // x and dy are double-buffered (a failing call never touches what the last
  // good one saved); y is written only once nothing can fail any more.
  std::vector<float> staging_x_, saved_x_, saved_y_;
  std::vector<float> staging_dy_, saved_dy_, dx_;
  std::vector<float> dgamma_, dbeta_;
  bool backward_valid_ = false;
  Saved saved_, staging_;
  SavedBatchStats save_;
  // Scratch: gamma * invstd per statistic, per-parameter sums of backward
  // (backward's per-statistic scratch is staging_, free after a commit).
  std::vector<float> scale_, fold_shift_;
  // The column kernels' factors, packed (bn/kernels.hpp, Packed).
  std::vector<float> packed_factors_;
  std::vector<float> staging_y_;   // the folded eval forward's y, swapped in on success
  std::vector<double> param_a_, param_b_;
  std::size_t stat_capacity_ = 0;   // statistics every per-statistic buffer holds
};

}  // namespace bn
