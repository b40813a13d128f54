// BatchNorm1d, and the plan every batch norm shares (batchnorm_plan.hpp).
#include "bn/batchnorm.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "batchnorm_plan.hpp"
#include "norm_errors.hpp"

namespace bn {
namespace detail {

NormConfig batch_norm_config(int features, const BatchNormOptions& options) {
  validate_options(features, options);
  NormConfig c;
  c.params = features;
  c.running = features;
  c.eps = options.eps;
  c.momentum = options.momentum;
  c.affine = options.affine;
  return c;
}

ForwardPlan batch_norm_plan(const Shape& shape, int channels, bool training, bool check_mode,
                            int min_rank, int max_rank, const char* ranks) {
  const int rank = static_cast<int>(shape.size());
  if (rank < min_rank || rank > max_rank)
    throw std::invalid_argument("shape " + shape_string(shape) + ": expected " + ranks +
                                " input (got " + std::to_string(rank) + "D input)");
  const std::int64_t spatial = checked_product("shape", shape, 2, shape.size());
  if (shape[1] != channels)
    throw std::invalid_argument("shape " + shape_string(shape) + ": expected " +
                                std::to_string(channels) + " channels (num_features) at dim 1, got " +
                                std::to_string(shape[1]));
  if (check_mode && training && shape[0] * spatial == 1)
    throw_one_value_per_channel(shape.data(), rank);
  ForwardPlan p;
  p.layout.outer = static_cast<int>(shape[0]);
  p.layout.stats = channels;
  p.layout.inner = static_cast<int>(spatial);
  p.layout.groups = channels;
  p.layout.per_group = 1;
  p.layout.segment = p.layout.inner;
  p.input_stats = training;
  p.update_running = training;
  p.samples = p.layout.outer;
  return p;
}

}  // namespace detail

BatchNorm1d::BatchNorm1d(int features, BatchNormOptions options)
    : ShapedLayer(detail::batch_norm_config(features, options)), features_(features),
      options_(options) {}

ForwardPlan BatchNorm1d::plan(const Shape& shape, bool check_mode) const {
  return detail::batch_norm_plan(shape, features_, training_, check_mode, 2, 3, "2D or 3D");
}

// [batch, features], without building a Shape (no allocation per call).
ForwardPlan BatchNorm1d::rows_plan(int batch, bool check_mode) const {
  if (batch < 1 || static_cast<std::int64_t>(batch) * features_ > max_elements())
    detail::throw_bad_batch(batch, features_);
  if (check_mode && training_ && batch < 2) {
    const std::int64_t dims[2] = {batch, features_};
    detail::throw_one_value_per_channel(dims, 2);
  }
  ForwardPlan p;
  p.layout.outer = batch;
  p.layout.stats = features_;
  p.layout.groups = features_;
  p.input_stats = training_;
  p.update_running = training_;
  p.samples = batch;
  return p;
}

float* BatchNorm1d::staging_input(int batch) {
  return core_.staging_input(rows_plan(batch, false).layout.elements());
}

void BatchNorm1d::forward_staged(int batch) {
  const ForwardPlan p = rows_plan(batch, true);
  const std::int64_t dims[2] = {batch, features_};
  forward_planned(p, dims, 2);
}

void BatchNorm1d::training_xhat(const float* x, int batch, float* xhat) const {
  core_.training_xhat(x, rows_plan(batch, false).layout, xhat);
}

void BatchNorm1d::forward(const float* x, int batch, float* y) {
  const ForwardPlan p = rows_plan(batch, true);
  const std::size_t total = p.layout.elements();
  std::memcpy(core_.staging_input(total), x, sizeof(float) * total);
  const std::int64_t dims[2] = {batch, features_};
  forward_planned(p, dims, 2);
  std::memcpy(y, output(), sizeof(float) * total);
}

}  // namespace bn
