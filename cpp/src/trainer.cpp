// Trainer: construction, the training steps, and what a step leaves behind
// (activations, layer statistics, the landscape measures). Evaluation,
// recalibration and the decision grid are in trainer_eval.cpp.
#include "bn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "bn/loss.hpp"
#include "bn/trainer_network.hpp"

namespace bn {
namespace {

constexpr std::uint64_t kInitStream = 0x1417, kShuffleStream = 0x5eed, kEvalOrderStream = 0xe7a1;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The twin of the network (see Trainer::twin_): its weights are overwritten
// before every use, so they come from an rng of their own.
Mlp make_twin(const TrainerOptions& o) {
  MlpConfig c = network_config(o);
  c.momentum = std::nullopt;
  Pcg32 unused(0);
  return Mlp(c, unused);
}

std::vector<int> fixed_order(std::vector<int> rows, Pcg32& rng) {
  shuffle(rows.data(), static_cast<int>(rows.size()), rng);
  return rows;
}

}  // namespace

TrainerOptions Trainer::normalized(TrainerOptions o) {
  resolve_network_options(o);
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
      mlp_(network_config(options_), init_rng_),
      twin_(make_twin(options_)),
      params_(mlp_.parameters()),
      twin_params_(twin_.parameters()),
      optimizer_(parse_optimizer(options_.optimizer), options_.lr, params_),
      train_ws_(mlp_.make_workspace(options_.batch_size)),
      eval_ws_(mlp_.make_workspace(std::max(kEvalChunk, options_.batch_size + 1))),
      order_(data_.train_index),
      last_batch_loss_(kNaN) {
  const int b = options_.batch_size;
  steps_per_epoch_ = static_cast<int>(order_.size()) / b;
  batch_index_.resize(b);
  batch_x_.resize(2 * static_cast<std::size_t>(b));
  batch_y_.resize(b);
  eval_x_.resize(2 * static_cast<std::size_t>(eval_ws_.capacity));
  eval_y_.resize(eval_ws_.capacity);
  shuffle(order_.data(), static_cast<int>(order_.size()), shuffle_rng_);
  Pcg32 eval_rng(options_.seed, kEvalOrderStream);
  fixed_train_order_ = fixed_order(data_.train_index, eval_rng);
  fixed_test_order_ = fixed_order(data_.test_index, eval_rng);
  for (const ParamRef& p : mlp_.parameters()) parameter_count_ += p.size;
  const std::int64_t per_step = parameter_count_ * b;
  const auto most = static_cast<std::int64_t>(spec_named(trainer_arguments(), "n").max);   // the schema's bound
  max_steps_per_call_ = static_cast<int>(std::clamp<std::int64_t>(kMaxWorkPerCall / per_step, 1, most));
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
  if (n > max_steps_per_call_)
    throw std::invalid_argument("n must be an integer in [0, " + std::to_string(max_steps_per_call_) +
                                "] for this network (one call does at most n * batchSize * parameterCount = "
                                "2^34 multiply-adds), got " + std::to_string(n));
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

void Trainer::require_batch(const char* what) const {
  if (!has_batch_)
    throw std::logic_error(std::string(what) + ": no training batch yet; call step(n) with n >= 1 first");
}

LayerActivations Trainer::activations(int layer) const {
  const int layers = static_cast<int>(options_.hidden.size());
  if (layer < 0 || layer >= layers)
    throw std::invalid_argument("layerIndex must be an integer in [0, " + std::to_string(layers - 1) +
                                "] (a hidden layer), got " + std::to_string(layer));
  require_batch("activations");
  LayerActivations a;
  a.batch = options_.batch_size;
  a.width = options_.hidden[layer];
  const std::size_t n = static_cast<std::size_t>(a.batch) * a.width;
  const MlpWorkspace::Layer& w = train_ws_.layers[layer];
  a.pre.assign(w.z.begin(), w.z.begin() + static_cast<long>(n));
  a.activated.assign(w.h.begin(), w.h.begin() + static_cast<long>(n));
  if (const BatchNorm1d* norm = mlp_.norm(layer)) {
    // The layer's own x-hat of this batch: its input (z before the
    // activation, h after it; still in the training workspace) under its
    // statistics of the last training forward.
    a.xhat.resize(n);
    const bool before = options_.norm_placement == "before";
    norm->training_xhat(before ? a.pre.data() : a.activated.data(), a.batch, a.xhat.data());
  } else {
    a.xhat = a.pre;
  }
  return a;
}

std::vector<LayerStats> Trainer::layer_stats() const {
  require_batch("layerStats");
  if (!diverged_) return bn::layer_stats(mlp_, train_ws_);
  const LayerStats none{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  return std::vector<LayerStats>(options_.hidden.size(), none);
}

Landscape Trainer::landscape(const LandscapeOptions& options) {
  require_batch("landscape");
  if (diverged_) throw std::logic_error("landscape: the run has diverged (its weights are not finite)");
  sync_twin();
  return measure_landscape(twin_, eval_ws_, twin_params_, batch_x_.data(), batch_y_.data(), options_.batch_size,
                           options_.lr, options);
}

}  // namespace bn
