// Constructor checks the LayerNorm, GroupNorm and InstanceNorm2d classes
// share (BatchNorm's are bn::validate_options).
#pragma once

#include <stdexcept>
#include <string>

#include "bn/params.hpp"

namespace bn::detail {

inline void check_count(const char* name, int value) {
  if (value < 1)
    throw std::invalid_argument(std::string(name) + " must be a positive integer, got " +
                                std::to_string(value));
}

// eps finite and > 0, with bn::validate_options' message.
inline void check_eps(double eps) {
  BatchNormOptions o;
  o.eps = eps;
  validate_options(1, o);
}

}  // namespace bn::detail
