// Trainer: evaluation (eval mode and train mode), recalibration of the
// running statistics, and the decision grid.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "bn/loss.hpp"
#include "bn/trainer.hpp"
#include "eval_mode_scope.hpp"

namespace bn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rows of the next pass starting at `start` of `total`: eval mode, chunks of
// `capacity`; train mode, batches of b, where a lone last row joins the batch
// before it.
int next_rows(bool train_mode, int start, int total, int b, int capacity) {
  if (!train_mode) return std::min(capacity, total - start);
  const int m = std::min(b, total - start);
  return total - start - m == 1 ? m + 1 : m;
}

// Throws, naming the bounds, unless [lo, hi] is a range a grid can be drawn
// on: finite, lo < hi, a width that does not overflow a double (1e308 - -1e308
// does), every coordinate within float32's range.
void check_range(const char* lo_name, const char* hi_name, double lo, double hi) {
  int problem = 0;
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) problem = 1;
  else if (!std::isfinite(hi - lo)) problem = 2;
  else if (std::fabs(lo) > FLT_MAX || std::fabs(hi) > FLT_MAX) problem = 3;
  if (!problem) return;
  std::string m = problem == 2 ? std::string(hi_name) + " - " + lo_name + " overflows: give a narrower "
                               : std::string();
  m = m + lo_name + " and " + hi_name;
  if (problem == 1) m = m + " must be finite numbers with " + lo_name + " < " + hi_name;
  if (problem == 3) m += " must lie within float32's range (3.4e38)";
  throw std::invalid_argument(m + ", got " + js_number(lo) + " and " + js_number(hi));
}

}  // namespace

// Throws std::invalid_argument when the network's values stop being finite
// (a normalization refuses them).
void Trainer::pass_rows(Mlp& net, MlpWorkspace& ws, const std::vector<int>& rows, bool train_mode,
                        const std::function<void(int, int)>& after) {
  const int total = static_cast<int>(rows.size());
  for (int start = 0; start < total;) {
    const int m = next_rows(train_mode, start, total, options_.batch_size, ws.capacity);
    for (int r = 0; r < m; ++r) {
      const int i = rows[start + r];
      eval_x_[2 * r] = data_.x[2 * i];
      eval_x_[2 * r + 1] = data_.x[2 * i + 1];
      eval_y_[r] = data_.y[i];
    }
    net.forward(eval_x_.data(), m, ws);
    after(start, m);
    start += m;
  }
}

void Trainer::eval_rows(Mlp& net, MlpWorkspace& ws, const std::vector<int>& rows, bool train_mode,
                        double& loss_sum, int& correct) {
  pass_rows(net, ws, rows, train_mode, [&](int, int m) {
    const LossResult res = softmax_cross_entropy(ws.logits.data(), eval_y_.data(), m, 2, nullptr);
    loss_sum += res.loss * m;
    correct += res.correct;
  });
}

// Eval mode: the network itself. Train mode: the twin, with the network's
// parameters, so that nothing of the network (running statistics, the
// statistics its layers keep of the last training batch) changes.
Figures Trainer::figures(bool train_mode) {
  Figures f{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  const std::vector<int>& train_rows = train_mode ? fixed_train_order_ : data_.train_index;
  const std::vector<int>& test_rows = train_mode ? fixed_test_order_ : data_.test_index;
  const double n_train = static_cast<double>(train_rows.size()), n_test = static_cast<double>(test_rows.size());
  double train_loss = 0.0, test_loss = 0.0;
  int train_correct = 0, test_correct = 0;
  bool train_ok = true, test_ok = true;
  {
    std::optional<EvalModeScope> eval_mode;
    if (train_mode) sync_twin(); else eval_mode.emplace(mlp_);
    Mlp& net = train_mode ? twin_ : mlp_;
    try { eval_rows(net, eval_ws_, train_rows, train_mode, train_loss, train_correct); } catch (const std::invalid_argument&) { train_ok = false; }
    try { eval_rows(net, eval_ws_, test_rows, train_mode, test_loss, test_correct); } catch (const std::invalid_argument&) { test_ok = false; }
  }
  if (train_ok && n_train > 0) {
    f.train_loss = train_loss / n_train;
    f.train_accuracy = train_correct / n_train;
  }
  if (test_ok && n_test > 0) {
    f.test_loss = test_loss / n_test;
    f.test_accuracy = test_correct / n_test;
  }
  if (train_ok && test_ok) {
    f.loss = (train_loss + test_loss) / data_.samples;
    f.accuracy = (train_correct + test_correct) / static_cast<double>(data_.samples);
  }
  return f;
}

Evaluation Trainer::evaluate() {
  Evaluation e;
  static_cast<Figures&>(e) = Figures{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  e.train_mode = e;
  e.diverged = diverged_;
  if (diverged_) return e;
  static_cast<Figures&>(e) = figures(false);
  e.train_mode = figures(true);
  return e;
}

// On the twin (momentum null: a cumulative average) with the network's
// parameters; the network gets the new statistics only once the whole pass
// succeeded, so a failure changes nothing.
void Trainer::recalibrate() {
  if (diverged_ || !options_.batch_norm) return;
  sync_twin();
  twin_.reset_running_stats();
  double loss = 0.0;
  int correct = 0;
  try {
    eval_rows(twin_, eval_ws_, fixed_train_order_, true, loss, correct);
  } catch (const std::invalid_argument&) {
    throw std::domain_error("recalibrate: the network's values on the training split are not finite");
  }
  mlp_.copy_running_stats_from(twin_);
}

void Trainer::sync_twin() {
  for (std::size_t q = 0; q < params_.size(); ++q)
    std::copy(params_[q].value, params_[q].value + params_[q].size, twin_params_[q].value);
  twin_.train();
}

void Trainer::predict_grid(int res, double xmin, double xmax, double ymin, double ymax, float* out) {
  check_value(spec_named(trainer_arguments(), "res"), OptionValue::of(static_cast<double>(res)));
  check_range("xmin", "xmax", xmin, xmax);
  check_range("ymin", "ymax", ymin, ymax);
  const long total = static_cast<long>(res) * res;
  if (diverged_) {
    for (long p = 0; p < total; ++p) out[p] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  const double dx = (xmax - xmin) / res, dy = (ymax - ymin) / res;
  const std::string too_wide = "the grid's range is too wide for this network: its values stop being finite "
                               "(give narrower xmin, xmax, ymin, ymax)";
  EvalModeScope scope(mlp_);
  for (long start = 0; start < total; start += kEvalChunk) {
    const int m = static_cast<int>(std::min<long>(kEvalChunk, total - start));
    for (int q = 0; q < m; ++q) {
      const long p = start + q;
      const long r = p / res, c = p % res;
      eval_x_[2 * q] = static_cast<float>(xmin + (c + 0.5) * dx);
      eval_x_[2 * q + 1] = static_cast<float>(ymax - (r + 0.5) * dy);
    }
    const float* logits;
    try {
      logits = mlp_.forward(eval_x_.data(), m, eval_ws_);
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument(too_wide);
    }
    for (int q = 0; q < m; ++q) {
      out[start + q] = class1_probability(logits + 2 * q);
      if (std::isnan(out[start + q])) throw std::invalid_argument(too_wide);
    }
  }
}

}  // namespace bn
