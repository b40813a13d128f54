#include "bn/batchnorm2d.hpp"

#include "batchnorm_plan.hpp"

namespace bn {

BatchNorm2d::BatchNorm2d(int num_features, BatchNormOptions options)
    : ShapedLayer(detail::batch_norm_config(num_features, options)), features_(num_features),
      options_(options) {}

ForwardPlan BatchNorm2d::plan(const Shape& shape, bool check_mode) const {
  return detail::batch_norm_plan(shape, features_, training_, check_mode, 4, 4, "4D");
}

}  // namespace bn
