#include "bn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "bn/loss.hpp"

namespace bn {
namespace {

constexpr std::uint64_t kInitStream = 0x1417, kShuffleStream = 0x5eed;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MlpConfig mlp_config(const TrainerOptions& o) {
  MlpConfig c;
  c.hidden = o.hidden;
  c.activation = parse_activation(o.activation);
  c.batch_norm = o.batch_norm;
  c.init = parse_init(o.init);
  return c;
}

// Puts the network back in training mode when an eval-mode pass ends (also by an exception).
struct EvalModeScope {
  Mlp& mlp;
  explicit EvalModeScope(Mlp& m) : mlp(m) { mlp.eval(); }
  ~EvalModeScope() { mlp.train(); }
};

}  // namespace

TrainerOptions Trainer::normalized(TrainerOptions o) {
  validate_trainer_options(o);
  if (o.init == "auto") o.init = o.activation == "relu" ? "kaiming" : "xavier";
  return o;
}

Trainer::Trainer(const TrainerOptions& options)
    : options_(normalized(options)),
      data_(make_dataset(parse_dataset(options_.dataset), options_.samples, options_.noise,
                         options_.test_fraction, options_.seed)),
      init_rng_(options_.seed, kInitStream),
      shuffle_rng_(options_.seed, kShuffleStream),
      mlp_(mlp_config(options_), init_rng_),
      optimizer_(parse_optimizer(options_.optimizer), options_.lr, mlp_.parameters()),
      train_ws_(mlp_.make_workspace(options_.batch_size)),
      eval_ws_(mlp_.make_workspace(kEvalChunk)),
      order_(data_.train_index),
      last_batch_loss_(kNaN) {
  const int b = options_.batch_size;
  steps_per_epoch_ = static_cast<int>(order_.size()) / b;
  batch_index_.resize(b);
  batch_x_.resize(2 * static_cast<std::size_t>(b));
  batch_y_.resize(b);
  eval_x_.resize(2 * static_cast<std::size_t>(kEvalChunk));
  eval_y_.resize(kEvalChunk);
  shuffle(order_.data(), static_cast<int>(order_.size()), shuffle_rng_);
}

// Takes the next batch_size points of this epoch's order; when fewer than a
// batch remain after it, the epoch is complete and a new order is drawn.
void Trainer::next_batch() {
  const int b = options_.batch_size;
  for (int r = 0; r < b; ++r) {
    const int i = order_[cursor_ + r];
    batch_index_[r] = i;
    batch_x_[2 * r] = data_.x[2 * i];
    batch_x_[2 * r + 1] = data_.x[2 * i + 1];
    batch_y_[r] = data_.y[i];
  }
  cursor_ += b;
}

double Trainer::step(int n) {
  check_value(spec_named(trainer_arguments(), "n"), OptionValue::of(static_cast<double>(n)));
  if (n == 0 || diverged_) return kNaN;
  const int b = options_.batch_size;
  double sum = 0.0;
  for (int s = 0; s < n; ++s) {
    next_batch();
    try {
      mlp_.forward(batch_x_.data(), b, train_ws_);
      has_batch_ = true;
      const LossResult r = softmax_cross_entropy(train_ws_.logits.data(), batch_y_.data(), b, 2,
                                                 train_ws_.dlogits.data());
      if (!std::isfinite(r.loss)) throw std::invalid_argument("the loss is not finite");
      mlp_.backward(batch_x_.data(), train_ws_);
      last_batch_loss_ = r.loss;
      sum += r.loss;
    } catch (const std::invalid_argument&) {
      // Non-finite values (BatchNorm1d refuses them): the run has diverged.
      diverged_ = true;
      last_batch_loss_ = kNaN;
      return kNaN;
    }
    optimizer_.step();
    ++steps_;
    if (cursor_ + b > static_cast<int>(order_.size())) {
      ++epoch_;
      cursor_ = 0;
      shuffle(order_.data(), static_cast<int>(order_.size()), shuffle_rng_);
    }
  }
  return sum / n;
}

void Trainer::eval_rows(const std::vector<int>& rows, double& loss_sum, int& correct) {
  const int total = static_cast<int>(rows.size());
  for (int start = 0; start < total; start += kEvalChunk) {
    const int m = std::min(kEvalChunk, total - start);
    for (int r = 0; r < m; ++r) {
      const int i = rows[start + r];
      eval_x_[2 * r] = data_.x[2 * i];
      eval_x_[2 * r + 1] = data_.x[2 * i + 1];
      eval_y_[r] = data_.y[i];
    }
    const float* logits = mlp_.forward(eval_x_.data(), m, eval_ws_);
    const LossResult res = softmax_cross_entropy(logits, eval_y_.data(), m, 2, nullptr);
    loss_sum += res.loss * m;
    correct += res.correct;
  }
}

Evaluation Trainer::evaluate() {
  Evaluation e{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  if (diverged_) return e;
  double train_loss = 0.0, test_loss = 0.0;
  int train_correct = 0, test_correct = 0;
  {
    EvalModeScope scope(mlp_);
    eval_rows(data_.train_index, train_loss, train_correct);
    eval_rows(data_.test_index, test_loss, test_correct);
  }
  const double n_train = static_cast<double>(data_.train_index.size());
  const double n_test = static_cast<double>(data_.test_index.size());
  e.loss = (train_loss + test_loss) / data_.samples;
  e.accuracy = (train_correct + test_correct) / static_cast<double>(data_.samples);
  if (n_train > 0) {
    e.train_loss = train_loss / n_train;
    e.train_accuracy = train_correct / n_train;
  }
  if (n_test > 0) {
    e.test_loss = test_loss / n_test;
    e.test_accuracy = test_correct / n_test;
  }
  return e;
}

void Trainer::predict_grid(int res, double xmin, double xmax, double ymin, double ymax, float* out) {
  check_value(spec_named(trainer_arguments(), "res"), OptionValue::of(static_cast<double>(res)));
  if (!std::isfinite(xmin) || !std::isfinite(xmax) || !(xmin < xmax))
    throw std::invalid_argument("xmin and xmax must be finite numbers with xmin < xmax");
  if (!std::isfinite(ymin) || !std::isfinite(ymax) || !(ymin < ymax))
    throw std::invalid_argument("ymin and ymax must be finite numbers with ymin < ymax");
  const long total = static_cast<long>(res) * res;
  if (diverged_) {
    for (long p = 0; p < total; ++p) out[p] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  const double dx = (xmax - xmin) / res, dy = (ymax - ymin) / res;
  EvalModeScope scope(mlp_);
  for (long start = 0; start < total; start += kEvalChunk) {
    const int m = static_cast<int>(std::min<long>(kEvalChunk, total - start));
    for (int q = 0; q < m; ++q) {
      const long p = start + q;
      const long r = p / res, c = p % res;
      eval_x_[2 * q] = static_cast<float>(xmin + (c + 0.5) * dx);
      eval_x_[2 * q + 1] = static_cast<float>(ymax - (r + 0.5) * dy);
    }
    const float* logits = mlp_.forward(eval_x_.data(), m, eval_ws_);
    for (int q = 0; q < m; ++q) out[start + q] = class1_probability(logits + 2 * q);
  }
}

LayerActivations Trainer::activations(int layer) const {
  const int layers = static_cast<int>(options_.hidden.size());
  if (layer < 0 || layer >= layers)
    throw std::invalid_argument("layerIndex must be an integer in [0, " + std::to_string(layers - 1) +
                                "] (a hidden layer), got " + std::to_string(layer));
  if (!has_batch_) throw std::logic_error("activations: no training batch yet; call step(n) with n >= 1 first");
  LayerActivations a;
  a.batch = options_.batch_size;
  a.width = options_.hidden[layer];
  const std::size_t n = static_cast<std::size_t>(a.batch) * a.width;
  const MlpWorkspace::Layer& w = train_ws_.layers[layer];
  a.pre.assign(w.z.begin(), w.z.begin() + static_cast<long>(n));
  a.activated.assign(w.h.begin(), w.h.begin() + static_cast<long>(n));
  if (const BatchNorm1d* norm = mlp_.norm(layer)) {
    // The layer's own x-hat of this batch: its input z (still in the training
    // workspace) under its statistics of the last training forward.
    a.xhat.resize(n);
    norm->training_xhat(a.pre.data(), a.batch, a.xhat.data());
  } else {
    a.xhat = a.pre;
  }
  return a;
}

}  // namespace bn
