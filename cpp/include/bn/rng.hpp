// The project's own random numbers: PCG32 (O'Neill 2014, pcg-random.org,
// "XSH RR 64/32") and a Box-Muller normal sampler on top of it. Never
// std:: distributions, whose output differs between standard libraries: the
// same seed gives the same stream natively and in every WebAssembly build.
#pragma once

#include <cstdint>

namespace bn {

class Pcg32 {
 public:
  // Two generators with the same seed and different streams are independent.
  explicit Pcg32(std::uint64_t seed, std::uint64_t stream = 0);

  // state <- state * 6364136223846793005 + inc
  // out = rotr32(((old >> 18) ^ old) >> 27, old >> 59)
  std::uint32_t next_u32();

  // Uniform in [0, 1) with 53 random bits: (a >> 5, b >> 6) as in genrand_res53.
  double uniform();

  // Uniform integer in [0, n), unbiased (rejection of the short last range).
  // n must be >= 1.
  std::uint32_t below(std::uint32_t n);

  // Standard normal N(0, 1) by Box-Muller: with u1 in (0, 1], u2 in [0, 1),
  //   r = sqrt(-2 ln u1), z0 = r cos(2 pi u2), z1 = r sin(2 pi u2);
  // z1 is kept for the next call.
  double normal();

 private:
  std::uint64_t state_ = 0;
  std::uint64_t inc_ = 1;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// Fisher-Yates shuffle of v[0..n) with rng.
void shuffle(int* v, int n, Pcg32& rng);

}  // namespace bn
