// Options of a BatchNorm1d layer, with PyTorch's defaults (the member
// initializers; names and ranges are in the option schema,
// cpp/src/option_schema.cpp, which reads these defaults back).
#pragma once

#include <optional>

#include "bn/option_schema.hpp"

namespace bn {

struct BatchNormOptions {
  double eps = 1e-5;                      // added to the variance
  std::optional<double> momentum = 0.1;   // nullopt = cumulative average
  bool affine = true;                     // learnable gamma (ones) and beta (zeros)
};

// Throws std::invalid_argument naming the option when it breaks the schema
// (features not a positive integer, eps not finite or <= 0, momentum not in [0, 1]).
void validate_options(int features, const BatchNormOptions& options);

// Options from a JS-like object (see read_options in bn/option_schema.hpp).
BatchNormOptions read_batchnorm_options(const OptionValue& options);

}  // namespace bn
