// The errors of the normalization core, built out of line: the hot code
// only calls these (each message's string temporaries would otherwise cost
// exception landing pads in every caller; see CMakeLists.txt, built for size).
#pragma once

#include <cstddef>
#include <cstdint>

namespace bn::detail {

// name must hold n finite numbers (and >= 0 when non_negative); throws
// std::invalid_argument naming it and the first bad entry.
void check_array(const char* name, const float* v, int n, bool non_negative);

// batch < 1, or batch * features beyond bn::max_elements().
[[noreturn]] void throw_bad_batch(int batch, int features);

// "Expected more than 1 value per channel when training" (PyTorch's words).
[[noreturn]] void throw_one_value_per_channel(const std::int64_t* dims, int rank);

// std::logic_error / std::invalid_argument with a fixed message.
[[noreturn]] void throw_logic(const char* message);
[[noreturn]] void throw_invalid(const char* message);

[[noreturn]] void throw_x_not_finite();
// Names dy when it holds a NaN or an infinity (count values), else says
// that the gradient sums overflowed float32.
[[noreturn]] void throw_dy_not_finite(const float* dy, std::size_t count);
// 1/sqrt(var + eps) = inv overflows float32 at statistic q.
[[noreturn]] void throw_eps_too_small(double eps, double inv, int q, double var);
// x - mean overflows float32 at statistic q.
[[noreturn]] void throw_x_spreads(double x, double mean, int q);

// A training forward would give running entry k the running variance
// Infinity in float32 (from the batch's unbiased variance).
[[noreturn]] void throw_running_var_overflow(int k, double unbiased);

}  // namespace bn::detail
