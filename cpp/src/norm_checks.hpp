// Small helpers of the normalization core (cpp/src/norm_core*.cpp): buffer
// growth and the checks that run before anything changes.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace bn::detail {

// Grows v to at least n entries (never shrinks: buffers are reused).
template <class T>
void grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

inline bool all_finite(const double* v, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(v[k])) return false;
  return true;
}

// The largest |v_j|, as the bits of a float: NaN or +-Infinity exactly when
// the result is >= 0x7f800000 (all exponent bits set). An integer max, no
// dependency chain through a float, so the compiler vectorizes it.
inline std::uint32_t max_abs_bits(const float* v, std::size_t count) {
  std::uint32_t worst = 0;
  for (std::size_t j = 0; j < count; ++j) {
    std::uint32_t bits;
    std::memcpy(&bits, v + j, sizeof bits);
    bits &= 0x7fffffffu;
    worst = bits > worst ? bits : worst;
  }
  return worst;
}
constexpr std::uint32_t kNonFiniteBits = 0x7f800000u;

inline float float_of_bits(std::uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// name must hold n finite numbers (and >= 0 when non_negative).
inline void check_array(const char* name, const float* v, int n, bool non_negative) {
  for (int k = 0; k < n; ++k) {
    if (!std::isfinite(v[k]))
      throw std::invalid_argument(std::string(name) + " must hold finite numbers; entry " +
                                  std::to_string(k) + " is not finite");
    if (non_negative && v[k] < 0.0f)
      throw std::invalid_argument(std::string(name) + " must be >= 0; entry " +
                                  std::to_string(k) + " is negative");
  }
}

}  // namespace bn::detail
