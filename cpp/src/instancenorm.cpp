#include "bn/instancenorm.hpp"

#include <stdexcept>
#include <string>

#include "layer_checks.hpp"

namespace bn {
namespace {

NormConfig instance_norm_config(int features, const InstanceNormOptions& o) {
  detail::check_count("num_features", features);
  detail::check_eps(o.eps);
  if (!(o.momentum >= 0.0 && o.momentum <= 1.0))
    throw std::invalid_argument("momentum must be in [0, 1]");
  NormConfig c;
  c.params = features;
  c.running = o.track_running_stats ? features : 0;
  c.eps = o.eps;
  c.momentum = o.momentum;
  c.affine = o.affine;
  c.count_batches = false;   // as torch: instance_norm leaves num_batches_tracked at 0
  return c;
}

}  // namespace

InstanceNorm2d::InstanceNorm2d(int num_features, InstanceNormOptions options)
    : ShapedLayer(instance_norm_config(num_features, options)), features_(num_features),
      options_(options) {}

// [N, C, H, W] or [C, H, W]: layout [1, N*C, H*W], parameter = channel.
ForwardPlan InstanceNorm2d::plan(const Shape& shape, bool check_mode) const {
  const int rank = static_cast<int>(shape.size());
  // The shape as text, for messages only (no allocation on the good path).
  auto s = [&] { return shape_string(shape); };
  if (rank != 3 && rank != 4)
    throw std::invalid_argument("shape " + s() + ": expected 3D or 4D input (got " +
                                std::to_string(rank) + "D input)");
  const std::int64_t pixels = checked_product("shape", shape, rank - 2, rank);
  const std::int64_t n = rank == 4 ? shape[0] : 1, c = shape[rank - 3];
  if (c != features_)
    throw std::invalid_argument("shape " + s() + ": expected " + std::to_string(features_) +
                                " channels (num_features) at dim " + std::to_string(rank - 3) +
                                ", got " + std::to_string(c));
  const bool track = options_.track_running_stats;
  ForwardPlan p;
  p.input_stats = training_ || !track;
  p.update_running = training_ && track;
  if (check_mode && p.input_stats && pixels == 1) {
    const std::int64_t dims[4] = {n, c, shape[rank - 2], shape[rank - 1]};
    throw std::invalid_argument(
        "Expected more than 1 spatial element when training, got input size " +
        shape_string(dims, 4));
  }
  p.layout.outer = 1;
  p.layout.stats = static_cast<int>(n) * features_;
  p.layout.inner = static_cast<int>(pixels);
  p.layout.groups = features_;
  p.layout.per_group = 1;
  p.layout.segment = p.layout.inner;
  p.samples = static_cast<int>(n);
  return p;
}

Shape InstanceNorm2d::stats_shape(const Shape& shape) const {
  if (shape.size() == 4) return {shape[0], features_};
  return {features_};
}

}  // namespace bn
