#include "bn/params.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace bn {

void validate_options(int features, const BatchNormOptions& options) {
  if (features <= 0)
    throw std::invalid_argument("features must be a positive integer, got " +
                                std::to_string(features));
  if (!std::isfinite(options.eps) || options.eps <= 0.0)
    throw std::invalid_argument("eps must be a finite number > 0");
  if (options.momentum) {
    const double mom = *options.momentum;
    if (!(mom >= 0.0 && mom <= 1.0))
      throw std::invalid_argument("momentum must be in [0, 1] (or null for a cumulative average)");
  }
}

}  // namespace bn
