#include "bn/layernorm.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "layer_checks.hpp"

namespace bn {
namespace {

NormConfig layer_norm_config(const Shape& normalized_shape, const LayerNormOptions& o) {
  if (normalized_shape.empty())
    throw std::invalid_argument(
        "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
        "element, but got normalized_shape = []");
  NormConfig c;
  c.params = static_cast<int>(
      checked_product("normalized_shape", normalized_shape, 0, normalized_shape.size()));
  detail::check_eps(o.eps);
  c.running = 0;
  c.eps = o.eps;
  c.affine = o.elementwise_affine;
  return c;
}

}  // namespace

LayerNorm::LayerNorm(Shape normalized_shape, LayerNormOptions options)
    : ShapedLayer(layer_norm_config(normalized_shape, options)),
      normalized_shape_(std::move(normalized_shape)), options_(options) {}

// [rows..., normalized_shape...]: layout [1, rows, D], one parameter per element.
ForwardPlan LayerNorm::plan(const Shape& shape, bool) const {
  const std::size_t k = normalized_shape_.size(), rank = shape.size();
  if (rank < k || !std::equal(normalized_shape_.begin(), normalized_shape_.end(), shape.end() - k)) {
    std::string star = "[*";
    for (std::int64_t d : normalized_shape_) star += ", " + std::to_string(d);
    throw std::invalid_argument("shape " + shape_string(shape) + ": Given normalized_shape=" +
                                shape_string(normalized_shape_) + ", expected input with shape " +
                                star + "], but got input of size" + shape_string(shape));
  }
  const std::int64_t rows = checked_product("shape", shape, 0, rank - k);
  ForwardPlan p;
  p.layout.outer = 1;
  p.layout.stats = static_cast<int>(rows);
  p.layout.inner = core_.config().params;
  p.layout.groups = 1;
  p.layout.per_group = p.layout.inner;
  p.layout.segment = 1;
  p.input_stats = true;
  p.update_running = false;
  p.samples = rank > k ? static_cast<int>(shape[0]) : 1;
  return p;
}

Shape LayerNorm::stats_shape(const Shape& shape) const {
  const std::size_t lead = shape.size() - normalized_shape_.size();
  if (lead == 0) return {1};
  return Shape(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(lead));
}

}  // namespace bn
