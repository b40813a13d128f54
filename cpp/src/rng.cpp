#include "bn/rng.hpp"

#include <cmath>
#include <utility>

namespace bn {

Pcg32::Pcg32(std::uint64_t seed, std::uint64_t stream) : inc_((stream << 1u) | 1u) {
  // pcg32_srandom_r: advance once, add the seed, advance again.
  next_u32();
  state_ += seed;
  next_u32();
}

std::uint32_t Pcg32::next_u32() {
  const std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  const auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

double Pcg32::uniform() {
  const std::uint32_t a = next_u32() >> 5, b = next_u32() >> 6;   // 27 + 26 bits
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

std::uint32_t Pcg32::below(std::uint32_t n) {
  // Accept r only in the largest multiple of n below 2^32.
  const std::uint32_t threshold = (0u - n) % n;   // 2^32 mod n
  for (;;) {
    const std::uint32_t r = next_u32();
    if (r >= threshold) return r % n;
  }
}

double Pcg32::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - uniform();   // (0, 1]: log stays finite
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 6.283185307179586 * u2;
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

void shuffle(int* v, int n, Pcg32& rng) {
  for (int i = n - 1; i > 0; --i) {
    const int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(i + 1)));
    std::swap(v[i], v[j]);
  }
}

}  // namespace bn
