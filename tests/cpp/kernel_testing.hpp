// What the kernel tests share: a small deterministic generator (the same
// numbers in every build) and a bit-for-bit comparison.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace testing {

class Noise {
 public:
  explicit Noise(std::uint64_t seed) : state_(seed * 2862933555777941757ULL + 3037000493ULL) {}
  double uniform() {  // in (0, 1)
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(state_ >> 11) + 0.5) / 9007199254740992.0;
  }
  double normal() {   // Box-Muller
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
  }

 private:
  std::uint64_t state_;
};

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(T) * a.size()) == 0;
}

}  // namespace testing
