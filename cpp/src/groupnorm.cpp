#include "bn/groupnorm.hpp"

#include <stdexcept>
#include <string>

#include "layer_checks.hpp"

namespace bn {
namespace {

NormConfig group_norm_config(int groups, int channels, const GroupNormOptions& o) {
  detail::check_count("num_groups", groups);
  detail::check_count("num_channels", channels);
  if (channels % groups != 0)
    throw std::invalid_argument("num_channels must be divisible by num_groups (num_channels = " +
                                std::to_string(channels) + ", num_groups = " +
                                std::to_string(groups) + ")");
  detail::check_eps(o.eps);
  NormConfig c;
  c.params = channels;
  c.running = 0;
  c.eps = o.eps;
  c.affine = o.affine;
  return c;
}

}  // namespace

GroupNorm::GroupNorm(int num_groups, int num_channels, GroupNormOptions options)
    : ShapedLayer(group_norm_config(num_groups, num_channels, options)), groups_(num_groups),
      channels_(num_channels), options_(options) {}

// [N, C, *spatial]: layout [1, N*G, (C/G)*S], parameter = channel.
ForwardPlan GroupNorm::plan(const Shape& shape, bool check_mode) const {
  // The shape as text, for messages only (no allocation on the good path).
  auto s = [&] { return shape_string(shape); };
  if (shape.size() < 2)
    throw std::invalid_argument("shape " + s() + ": expected input of at least 2 dimensions, [N, C, *] (got " +
                                std::to_string(shape.size()) + "D input)");
  const std::int64_t spatial = checked_product("shape", shape, 2, shape.size());
  if (shape[1] % groups_ != 0)
    throw std::invalid_argument("shape " + s() + ": Expected number of channels in input to be "
                                "divisible by num_groups, but got input of shape " + s() +
                                " and num_groups=" + std::to_string(groups_));
  if (shape[1] != channels_)
    throw std::invalid_argument("shape " + s() + ": expected " + std::to_string(channels_) +
                                " channels (num_channels) at dim 1, got " + std::to_string(shape[1]));
  const int per_group = channels_ / groups_;
  // PyTorch's check (F.group_norm, in any mode): the view
  // [N * C/G, G, *spatial] must hold more than one value per "channel" G.
  if (check_mode && shape[0] * per_group * spatial == 1) {
    Shape view = shape;
    view[0] = shape[0] * per_group;
    view[1] = groups_;
    throw std::invalid_argument(
        "Expected more than 1 value per channel when training, got input size " +
        shape_string(view));
  }
  ForwardPlan p;
  p.layout.outer = 1;
  p.layout.stats = static_cast<int>(shape[0]) * groups_;
  p.layout.inner = per_group * static_cast<int>(spatial);
  p.layout.groups = groups_;
  p.layout.per_group = per_group;
  p.layout.segment = static_cast<int>(spatial);
  p.input_stats = true;
  p.update_running = false;
  p.samples = static_cast<int>(shape[0]);
  return p;
}

}  // namespace bn
