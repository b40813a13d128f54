// How a normalization layer reduces its input: the one picture behind all
// five layers (BatchNorm1d/2d, LayerNorm, GroupNorm, InstanceNorm2d).
//
// x (row-major) is viewed as [P, Q, R] = [outer, stats, inner]: one statistic
// (mean, var) per q, over the P * R elements x[p, q, r]:
//   BatchNorm  [N, C, S]      S = L or H*W (1 for a 2-D input): per channel
//   LayerNorm  [1, rows, D]   D = prod(normalized_shape), rows = the rest
//   GroupNorm  [1, N*G, D]    D = (C/G) * H*W: per sample and group
//   Instance   [1, N*C, H*W]  per sample and channel
// The affine parameters (gamma, beta) follow a second index map,
//   a(q, r) = (q % groups) * per_group + r / segment,
// i.e. each run x[p, q, :] is per_group segments of `segment` elements, each
// segment sharing one parameter:
//   BatchNorm  groups = C, per_group = 1, segment = S     (a = q)
//   LayerNorm  groups = 1, per_group = D, segment = 1     (a = r)
//   GroupNorm  groups = G, per_group = C/G, segment = H*W (a = channel)
//   Instance   groups = C, per_group = 1, segment = H*W   (a = channel)
// Running statistics, where tracked, are indexed q % running (BatchNorm:
// running = C = Q; InstanceNorm: running = C, averaged over the N samples).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bn {

using Shape = std::vector<std::int64_t>;

// The most dimensions an input (or LayerNorm's normalized_shape) may have.
constexpr int kMaxRank = 8;

struct NormLayout {
  int outer = 1;       // P
  int stats = 1;       // Q
  int inner = 1;       // R = per_group * segment
  int groups = 1;
  int per_group = 1;
  int segment = 1;

  std::size_t elements() const {
    return static_cast<std::size_t>(outer) * static_cast<std::size_t>(stats) *
           static_cast<std::size_t>(inner);
  }
  // Elements behind one statistic (the M of mean = sum / M).
  std::int64_t reduced() const { return static_cast<std::int64_t>(outer) * inner; }
  int params() const { return groups * per_group; }
  // The statistic index is the fastest axis and each statistic has its own
  // parameter: the column kernels of bn/kernels.hpp apply.
  bool columns() const { return inner == 1 && groups == stats && per_group == 1; }
  // Each element of a run has its own parameter (LayerNorm; GroupNorm on [N, C]).
  bool per_element_affine() const { return segment == 1 && per_group > 1; }
};

// What one forward does: the layout, and where the statistics come from.
struct ForwardPlan {
  NormLayout layout;
  bool input_stats = true;      // normalize with the statistics of x (else the running ones)
  bool update_running = false;  // and fold them into the running statistics
  int samples = 1;              // N, for Trace::batch
};

// The parameter of element (q, r): (q % groups) * per_group + r / segment.
inline int affine_index(const NormLayout& l, int q, int r) {
  return (q % l.groups) * l.per_group + r / l.segment;
}

// The statistic of element j of x (row-major): q of [p, q, r]. Every j with
// the same q shares one mean and variance: what the stepper highlights.
inline int statistic_of(const NormLayout& l, std::size_t j) {
  return static_cast<int>((j / static_cast<std::size_t>(l.inner)) % static_cast<std::size_t>(l.stats));
}

// "[2, 3, 4]"
std::string shape_string(const std::int64_t* dims, int rank);
inline std::string shape_string(const Shape& s) {
  return shape_string(s.data(), static_cast<int>(s.size()));
}

// The most elements one input may have: any product of sizes then fits an
// int, and the bytes of the buffers (x, y, dy, dx and copies) a size_t,
// even where it has 32 bits.
std::int64_t max_elements();

// Product of shape[from..to), after checking the whole shape: at most
// kMaxRank dimensions, every size >= 1 and the element count small enough
// that any product of sizes fits an int and the buffers' bytes a size_t.
// Throws std::invalid_argument naming `name` otherwise.
std::int64_t checked_product(const char* name, const Shape& shape, std::size_t from,
                             std::size_t to);

}  // namespace bn
