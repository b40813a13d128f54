// BatchNorm1d: bookkeeping (validation, running statistics, saved state)
// around the kernels of bn/kernels.hpp.
#include "bn/batchnorm.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "bn/kernels.hpp"

namespace bn {
namespace {

void grow(std::vector<float>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

bool all_finite(const double* v, int n) {
  for (int k = 0; k < n; ++k)
    if (!std::isfinite(v[k])) return false;
  return true;
}

// A float is NaN or +-Infinity exactly when its 8 exponent bits are all ones.
// An OR over integers (no dependency chain through a float sum), so the
// compiler vectorizes it: one cheap read of x.
bool all_finite(const float* v, long count) {
  constexpr std::uint32_t kExponent = 0x7f800000u;
  std::uint32_t bad = 0;
  for (long j = 0; j < count; ++j) {
    std::uint32_t bits;
    std::memcpy(&bits, v + j, sizeof bits);
    bad |= static_cast<std::uint32_t>((bits & kExponent) == kExponent);
  }
  return bad == 0;
}

// The per-element intermediates of one forward, as float32:
//   xc_ik = (x_ik - mean_hi_k) - mean_lo_k,   xhat_ik = xc_ik * invstd_k
// (xc may be null). trace() and training_xhat() share it, so their x-hat agree bit for bit.
void center_and_scale(const float* x, int m, int n, const float* mean_hi, const float* mean_lo,
                      const float* invstd, float* xc, float* xhat) {
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < n; ++k) {
      const std::size_t at = static_cast<std::size_t>(i) * n + k;
      const float c = (x[at] - mean_hi[k]) - mean_lo[k];
      if (xc) xc[at] = c;
      xhat[at] = c * invstd[k];
    }
}

void check_array(const char* name, const float* v, int n, bool non_negative) {
  for (int k = 0; k < n; ++k) {
    if (!std::isfinite(v[k]))
      throw std::invalid_argument(std::string(name) + " must hold finite numbers; entry " +
                                  std::to_string(k) + " is not finite");
    if (non_negative && v[k] < 0.0f)
      throw std::invalid_argument(std::string(name) + " must be >= 0; entry " +
                                  std::to_string(k) + " is negative");
  }
}

}  // namespace

BatchNorm1d::BatchNorm1d(int features, BatchNormOptions options)
    : features_(features), options_(options) {
  validate_options(features, options);
  const std::size_t n = static_cast<std::size_t>(features);
  if (options_.affine) {
    gamma_.assign(n, 1.0f);
    beta_.assign(n, 0.0f);
  }
  running_mean_.assign(n, 0.0f);
  running_var_.assign(n, 1.0f);
  dgamma_.assign(n, 0.0f);
  dbeta_.assign(n, 0.0f);
  scale_.assign(n, 0.0f);
  next_mean_.assign(n, 0.0f);
  next_var_.assign(n, 0.0f);
  save_.mean_hi.assign(n, 0.0f);
  save_.mean_lo.assign(n, 0.0f);
  save_.invstd.assign(n, 0.0f);
  for (Saved* s : {&saved_, &staging_}) {
    s->mean.assign(n, 0.0);
    s->var.assign(n, 0.0);
    s->mean_hi.assign(n, 0.0f);
    s->mean_lo.assign(n, 0.0f);
    s->invstd.assign(n, 0.0f);
    s->gamma.assign(n, 1.0f);
    s->beta.assign(n, 0.0f);
  }
}

void BatchNorm1d::set_params(const float* gamma, const float* beta, const float* running_mean,
                             const float* running_var) {
  if ((gamma || beta) && !options_.affine)
    throw std::invalid_argument("gamma/beta cannot be set: the layer was built with affine: false");
  // Check everything first: all-or-nothing.
  if (gamma) check_array("gamma", gamma, features_, false);
  if (beta) check_array("beta", beta, features_, false);
  if (running_mean) check_array("runningMean", running_mean, features_, false);
  if (running_var) check_array("runningVar", running_var, features_, true);
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(features_);
  if (gamma) std::memcpy(gamma_.data(), gamma, bytes);
  if (beta) std::memcpy(beta_.data(), beta, bytes);
  if (running_mean) std::memcpy(running_mean_.data(), running_mean, bytes);
  if (running_var) std::memcpy(running_var_.data(), running_var, bytes);
}

void BatchNorm1d::check_batch(int batch) const {
  if (batch < 1)
    throw std::invalid_argument("batch must be a positive integer, got " + std::to_string(batch));
  if (training_ && batch < 2)
    throw std::invalid_argument(
        "Expected more than 1 value per channel when training, got input of batch 1 "
        "(use eval mode for a single example)");
}

float* BatchNorm1d::staging_input(int batch) {
  if (batch < 1)
    throw std::invalid_argument("batch must be a positive integer, got " + std::to_string(batch));
  grow(staging_x_, static_cast<std::size_t>(batch) * features_);
  return staging_x_.data();
}

void BatchNorm1d::forward(const float* x, int batch, float* y) {
  check_batch(batch);
  float* in = staging_input(batch);
  std::memcpy(in, x, sizeof(float) * static_cast<std::size_t>(batch) * features_);
  forward_staged(batch);
  std::memcpy(y, output(), sizeof(float) * static_cast<std::size_t>(batch) * features_);
}

// Fills s with the statistics this forward normalizes with:
//   training: mean_k = (1/m) sum_i x_ik, var_k = (1/m) sum_i (x_ik - mean_k)^2
//   eval:     mean_k = running_mean_k, var_k = running_var_k
//   both:     invstd_k = 1 / sqrt(var_k + eps)
// Throws (before anything is changed) when x holds a NaN or an infinity.
void BatchNorm1d::compute_saved_stats(Saved& s, const float* x, int batch) const {
  const int n = features_;
  if (training_) {
    kernels::fast::batch_mean_var(x, batch, n, s.mean.data(), s.var.data());
    // A NaN or an infinity anywhere in a column makes its double sum non-finite
    // (finite floats cannot overflow a double sum), so this check is free.
    if (!all_finite(s.mean.data(), n) || !all_finite(s.var.data(), n))
      throw std::invalid_argument("x must hold finite numbers (found NaN or Infinity)");
  } else {
    if (!all_finite(x, static_cast<long>(batch) * n))
      throw std::invalid_argument("x must hold finite numbers (found NaN or Infinity)");
    for (int k = 0; k < n; ++k) {
      s.mean[k] = running_mean_[k];
      s.var[k] = running_var_[k];
    }
  }
  for (int k = 0; k < n; ++k) {
    s.mean_hi[k] = static_cast<float>(s.mean[k]);
    s.mean_lo[k] = static_cast<float>(s.mean[k] - static_cast<double>(s.mean_hi[k]));
    s.invstd[k] = static_cast<float>(1.0 / std::sqrt(s.var[k] + options_.eps));
    s.gamma[k] = options_.affine ? gamma_[k] : 1.0f;
    s.beta[k] = options_.affine ? beta_[k] : 0.0f;
  }
  s.training = training_;
  s.batch = batch;
  s.valid = true;
}

// The running statistics a training forward with statistics s leaves,
// into next_mean_ / next_var_ (committed by forward_staged):
//   running_mean <- (1 - f) running_mean + f mean_B
//   running_var  <- (1 - f) running_var  + f var_B * m / (m - 1)   (unbiased)
// with f = momentum, or f = 1 / num_batches_tracked when momentum is null;
// f = 1 keeps the batch statistic alone (no 0 * old term). Throws
// std::invalid_argument naming x, before anything changes, when one is not
// finite in float32 (a batch variance past 3.4e38, from finite x): setParams
// refuses such running statistics too, and eval forwards would give NaN.
void BatchNorm1d::next_running_stats(const Saved& s) {
  const double f = options_.momentum ? *options_.momentum
                                     : 1.0 / static_cast<double>(num_batches_tracked_ + 1);
  const double m = s.batch;
  for (int k = 0; k < features_; ++k) {
    const double unbiased = s.var[k] * m / (m - 1.0);
    next_mean_[k] = static_cast<float>(f == 1.0 ? s.mean[k] : (1.0 - f) * running_mean_[k] + f * s.mean[k]);
    next_var_[k] = static_cast<float>(f == 1.0 ? unbiased : (1.0 - f) * running_var_[k] + f * unbiased);
    if (!std::isfinite(next_var_[k]))
      throw std::invalid_argument("x gives feature " + std::to_string(k) + " a batch variance of " +
                                  js_number(unbiased) + " (unbiased), which is Infinity as float32 in "
                                  "runningVar (at most 3.4e38): scale x down; the layer is unchanged");
  }
}

// y_ik = gamma_k * (x_ik - mean_k) * invstd_k + beta_k
void BatchNorm1d::forward_staged(int batch) {
  check_batch(batch);
  const std::size_t total = static_cast<std::size_t>(batch) * features_;
  if (staging_x_.size() < total)
    throw std::logic_error("forward_staged: staging_input(batch) was not called for this batch");
  compute_saved_stats(staging_, staging_x_.data(), batch);  // may throw: nothing changed yet
  if (staging_.training) next_running_stats(staging_);       // may throw too
  for (int k = 0; k < features_; ++k) scale_[k] = staging_.gamma[k] * staging_.invstd[k];
  // Nothing can fail past this point (resize either succeeds or changes
  // nothing), so y goes straight into the one output buffer.
  grow(saved_y_, total);
  kernels::fast::normalize(staging_x_.data(), batch, features_, staging_.mean_hi.data(),
                           staging_.mean_lo.data(), scale_.data(), staging_.beta.data(),
                           saved_y_.data());
  // Commit: this forward becomes the saved one.
  std::swap(staging_, saved_);
  std::swap(staging_x_, saved_x_);
  backward_valid_ = false;   // the last backward belonged to the previous forward
  if (saved_.training) {
    ++num_batches_tracked_;
    std::swap(running_mean_, next_mean_);   // same sizes: no allocation
    std::swap(running_var_, next_var_);
    save_.mean_hi = saved_.mean_hi;   // same sizes: copies, no allocation
    save_.mean_lo = saved_.mean_lo;
    save_.invstd = saved_.invstd;
    save_.valid = true;
  }
}

float* BatchNorm1d::staging_dy() {
  if (!saved_.valid) throw std::logic_error("backward called before any forward");
  grow(staging_dy_, static_cast<std::size_t>(saved_.batch) * features_);
  return staging_dy_.data();
}

void BatchNorm1d::backward(const float* dy, float* dx, float* dgamma, float* dbeta) {
  float* in = staging_dy();
  const std::size_t total = static_cast<std::size_t>(saved_.batch) * features_;
  std::memcpy(in, dy, sizeof(float) * total);
  backward_staged();
  std::memcpy(dx, dx_.data(), sizeof(float) * total);
  if (options_.affine) {
    if (dgamma) std::memcpy(dgamma, dgamma_.data(), sizeof(float) * features_);
    if (dbeta) std::memcpy(dbeta, dbeta_.data(), sizeof(float) * features_);
  }
}

// dbeta_k  = sum_i dy_ik
// dgamma_k = sum_i dy_ik * xhat_ik
// training: dx_ik = gamma_k invstd_k (dy_ik - dbeta_k / m - xhat_ik dgamma_k / m)
// eval:     dx_ik = gamma_k invstd_k dy_ik
void BatchNorm1d::backward_staged() {
  if (!saved_.valid) throw std::logic_error("backward called before any forward");
  const int m = saved_.batch, n = features_;
  const std::size_t total = static_cast<std::size_t>(m) * n;
  if (staging_dy_.size() < total)
    throw std::logic_error("backward_staged: staging_dy() was not called");
  // Reuse the staging statistics as scratch: sums in mean/var (double),
  // the per-feature factors in mean_hi/mean_lo/invstd (float).
  double* sum_dy = staging_.mean.data();
  double* sum_dy_xhat = staging_.var.data();
  kernels::fast::backward_reduce(staging_dy_.data(), saved_x_.data(), m, n,
                                 saved_.mean_hi.data(), saved_.mean_lo.data(),
                                 saved_.invstd.data(), sum_dy, sum_dy_xhat);
  if (!all_finite(sum_dy, n) || !all_finite(sum_dy_xhat, n))
    throw std::invalid_argument("dy must hold finite numbers (found NaN or Infinity)");
  float* mean_dy = staging_.mean_hi.data();
  float* mean_dy_xhat = staging_.mean_lo.data();
  for (int k = 0; k < n; ++k) {
    scale_[k] = saved_.gamma[k] * saved_.invstd[k];
    mean_dy[k] = saved_.training ? static_cast<float>(sum_dy[k] / m) : 0.0f;
    mean_dy_xhat[k] = saved_.training ? static_cast<float>(sum_dy_xhat[k] / m) : 0.0f;
    dbeta_[k] = static_cast<float>(sum_dy[k]);
    dgamma_[k] = static_cast<float>(sum_dy_xhat[k]);
  }
  grow(dx_, total);
  kernels::fast::backward_dx(staging_dy_.data(), saved_x_.data(), m, n, saved_.mean_hi.data(),
                             saved_.mean_lo.data(), saved_.invstd.data(), scale_.data(),
                             mean_dy, mean_dy_xhat, dx_.data());
  // Commit: keep this dy for backward_trace() (a swap, no copy).
  std::swap(staging_dy_, saved_dy_);
  backward_valid_ = true;
}

Trace BatchNorm1d::trace() const {
  if (!saved_.valid) throw std::logic_error("trace called before any forward");
  const int m = saved_.batch, n = features_;
  Trace t;
  t.training = saved_.training;
  t.batch = m;
  t.features = n;
  t.mean.resize(n); t.var.resize(n); t.std.resize(n); t.inv_std.resize(n);
  for (int k = 0; k < n; ++k) {
    t.mean[k] = static_cast<float>(saved_.mean[k]);
    t.var[k] = static_cast<float>(saved_.var[k]);
    t.std[k] = static_cast<float>(std::sqrt(saved_.var[k] + options_.eps));
    t.inv_std[k] = saved_.invstd[k];
  }
  if (save_.valid) {
    t.save_mean.resize(n);
    for (int k = 0; k < n; ++k) t.save_mean[k] = save_.mean_hi[k];   // the batch mean in float32
    t.save_invstd = save_.invstd;
  }
  const std::size_t total = static_cast<std::size_t>(m) * n;
  t.x_centered.resize(total); t.xhat.resize(total);
  t.y.assign(saved_y_.begin(), saved_y_.begin() + static_cast<long>(total));
  center_and_scale(saved_x_.data(), m, n, saved_.mean_hi.data(), saved_.mean_lo.data(),
                   saved_.invstd.data(), t.x_centered.data(), t.xhat.data());
  return t;
}

void BatchNorm1d::training_xhat(const float* x, int batch, float* xhat) const {
  if (!save_.valid) throw std::logic_error("training_xhat: no training forward yet");
  center_and_scale(x, batch, features_, save_.mean_hi.data(), save_.mean_lo.data(),
                   save_.invstd.data(), nullptr, xhat);
}

// The chain rule one factor at a time, in double from the saved x (float)
// and the saved statistics (double), with m = batch:
//   dxhat_ik = dy_ik * gamma_k
//   dvar_k   = sum_i dxhat_ik (x_ik - mean_k) (-1/2) (var_k + eps)^(-3/2)
//   dmean_k  = -sum_i dxhat_ik invstd_k + dvar_k (-2/m) sum_i (x_ik - mean_k)
// so that dx_ik = dxhat_ik invstd_k + dvar_k 2 (x_ik - mean_k) / m + dmean_k / m.
// Eval (fixed statistics): mean and var are constants, dvar = dmean = 0.
// dx, dgamma, dbeta are copies of what backward() returned.
BackwardTrace BatchNorm1d::backward_trace() const {
  if (!saved_.valid || !backward_valid_)
    throw std::logic_error(
        "backwardTrace called before any backward since the last forward: call backward(dy) first");
  const int m = saved_.batch, n = features_;
  const std::size_t total = static_cast<std::size_t>(m) * n;
  BackwardTrace t;
  t.training = saved_.training;
  t.batch = m;
  t.features = n;
  t.dy.assign(saved_dy_.begin(), saved_dy_.begin() + static_cast<long>(total));
  t.dx.assign(dx_.begin(), dx_.begin() + static_cast<long>(total));
  if (options_.affine) {
    t.dgamma = dgamma_;
    t.dbeta = dbeta_;
  }
  t.dxhat.resize(total);
  t.dvar.assign(static_cast<std::size_t>(n), 0.0f);
  t.dmean.assign(static_cast<std::size_t>(n), 0.0f);
  for (int k = 0; k < n; ++k) {
    const double gamma = saved_.gamma[k], mean = saved_.mean[k];
    const double var_eps = saved_.var[k] + options_.eps;
    double sum_dxhat = 0.0, sum_dxhat_xc = 0.0, sum_xc = 0.0;
    for (int i = 0; i < m; ++i) {
      const std::size_t at = static_cast<std::size_t>(i) * n + k;
      const double dxhat = static_cast<double>(saved_dy_[at]) * gamma;
      const double xc = static_cast<double>(saved_x_[at]) - mean;
      t.dxhat[at] = static_cast<float>(dxhat);
      sum_dxhat += dxhat;
      sum_dxhat_xc += dxhat * xc;
      sum_xc += xc;
    }
    if (!saved_.training) continue;   // fixed statistics: no gradient into them
    const double dvar = sum_dxhat_xc * -0.5 * std::pow(var_eps, -1.5);
    const double dmean = -sum_dxhat / std::sqrt(var_eps) + dvar * (-2.0 / m) * sum_xc;
    t.dvar[k] = static_cast<float>(dvar);
    t.dmean[k] = static_cast<float>(dmean);
  }
  return t;
}

}  // namespace bn
