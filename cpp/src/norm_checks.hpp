// Small helpers of the normalization core (cpp/src/norm_core*.cpp): buffer
// growth and the cheap checks that run before anything changes (their
// errors: norm_errors.hpp).
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace bn::detail {

// Half the float range: |x - mean| can overflow float32 only where x or the
// mean reaches it, or sum (x - mean)^2 reaches its square.
constexpr double kHalfFloatMax = FLT_MAX / 2.0;

// Grows v to at least n entries (never shrinks: buffers are reused).
template <class T>
void grow(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

// Whether every v_k fits float32 (|v_k| <= FLT_MAX; NaN does not): a sum
// that becomes a float32 gradient.
inline bool all_float32(const double* v, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (!(std::fabs(v[k]) <= FLT_MAX)) return false;
  return true;
}

inline bool all_finite(const double* v, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(v[k])) return false;
  return true;
}

// Whether some |v_j| >= 2^127 (half the float range) or is NaN / Infinity:
// exactly when its exponent is 254 or 255, i.e. its top seven exponent bits
// are ones. An OR of integer equality tests (no dependency chain through a
// float), so the compiler vectorizes it: one cheap read of v. Only when it
// says yes does anything look closer.
inline bool any_huge_or_non_finite(const float* v, std::size_t count) {
  constexpr std::uint32_t kTopExponentBits = 0x7f000000u;
  std::uint32_t found = 0;
  for (std::size_t j = 0; j < count; ++j) {
    std::uint32_t bits;
    std::memcpy(&bits, v + j, sizeof bits);
    found |= static_cast<std::uint32_t>((bits & kTopExponentBits) == kTopExponentBits);
  }
  return found != 0;
}

inline bool all_finite(const float* v, std::size_t count) {
  for (std::size_t j = 0; j < count; ++j)
    if (!std::isfinite(v[j])) return false;
  return true;
}

}  // namespace bn::detail
