// The errors of the normalization core, built out of line: the hot code
// only calls these (each message's string temporaries would otherwise cost
// exception landing pads in every caller; see CMakeLists.txt, built for size).
#pragma once

namespace bn::detail {

// name must hold n finite numbers (and >= 0 when non_negative); throws
// std::invalid_argument naming it and the first bad entry.
void check_array(const char* name, const float* v, int n, bool non_negative);

[[noreturn]] void throw_x_not_finite();
[[noreturn]] void throw_dy_not_finite();
// 1/sqrt(var + eps) = inv overflows float32 at statistic q.
[[noreturn]] void throw_eps_too_small(double eps, double inv, int q, double var);
// x - mean overflows float32 at statistic q.
[[noreturn]] void throw_x_spreads(double x, double mean, int q);

}  // namespace bn::detail
