// Reference normalization layers in float64 with xtensor: the formulas as
// written, no tricks. The oracle every fast path is tested against.
//
// Written independently of bn::NormLayout: each layer is x reshaped to its
// natural axes, statistics reduced over some of them (xt::mean, keep_dims),
// gamma/beta broadcast along the others:
//   BatchNorm     x as [N, C, S]          statistics over {0, 2}, gamma [1, C, 1]
//   LayerNorm     x as [rows, D]          statistics over {1},    gamma [1, D]
//   GroupNorm     x as [N, G, C/G, S]     statistics over {2, 3}, gamma [1, G, C/G, 1]
//   InstanceNorm  x as [N, C, S]          statistics over {2},    gamma [1, C, 1]
// dgamma/dbeta reduce over the axes gamma is broadcast along.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <xtensor/xarray.hpp>

namespace bn::ref {

using Array = xt::xarray<double>;
using Axes = std::vector<std::size_t>;

struct View {
  Axes shape;          // x is reshaped to this
  Axes stat_axes;      // reduced for mean and var
  Axes param_axes;     // reduced for dgamma, dbeta (and to average statistics into running ones)
  Axes param_shape;    // gamma, beta (and running statistics) reshaped to this
};

View batch_norm_view(const std::vector<std::int64_t>& x_shape);
View layer_norm_view(const std::vector<std::int64_t>& x_shape, std::size_t normalized_rank);
View group_norm_view(const std::vector<std::int64_t>& x_shape, int groups);
View instance_norm_view(const std::vector<std::int64_t>& x_shape);

struct NormForward {
  bool input_stats = true;     // statistics of x (else fixed ones)
  Array mean, var, invstd;     // keep_dims shape: broadcastable to the view
  Array x_centered, xhat, y;   // the view's shape
};

struct NormBackward {
  Array dx;                    // the view's shape
  Array dgamma, dbeta;         // flat: one entry per parameter
};

// Input statistics: mean = E[x], var = E[(x - mean)^2] over the statistic
// axes; xhat = (x - mean) / sqrt(var + eps); y = gamma xhat + beta.
// x: any array with the view's element count; gamma, beta: flat.
NormForward norm_forward(const View& v, const Array& x, const Array& gamma, const Array& beta,
                         double eps);

// The same with fixed statistics (running ones, flat, one per parameter).
NormForward norm_forward_fixed(const View& v, const Array& x, const Array& gamma,
                               const Array& beta, const Array& mean, const Array& var, double eps);

// dbeta = sum dy, dgamma = sum dy xhat (over the parameter axes);
// input statistics, M elements per statistic, dxhat = dy gamma:
//   dvar  = sum dxhat (x - mean) (-1/2) (var + eps)^(-3/2)
//   dmean = -sum dxhat invstd + dvar (-2/M) sum (x - mean)
//   dx    = dxhat invstd + dvar 2 (x - mean) / M + dmean / M
// fixed statistics: dx = dxhat invstd.
NormBackward norm_backward(const View& v, const Array& dy, const NormForward& f,
                           const Array& gamma);

// running_mean <- (1 - f) running_mean + f avg(mean);
// running_var  <- (1 - f) running_var  + f avg(var M / (M - 1)),
// avg over the parameter axes (the N samples for InstanceNorm), M the
// elements per statistic, f = momentum or 1 / batches_tracked. Flat arrays.
void norm_update_running(const View& v, Array& running_mean, Array& running_var,
                         const NormForward& f, std::optional<double> momentum,
                         long batches_tracked);

}  // namespace bn::ref
