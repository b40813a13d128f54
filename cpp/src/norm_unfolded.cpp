#include "norm_unfolded.hpp"


namespace bn::detail {

void backward_dx_unfolded(const float* dy, const float* x, int m, int n, int k,
                          const kernels::Centering& c, float scale, float mean_dy,
                          float mean_dy_xhat, float* dx) {
  for (int i = 0; i < m; ++i) {
    const long at = static_cast<long>(i) * n + k;
    const float xhat = ((x[at] - c.mean_hi[k]) - c.mean_lo[k]) * c.invstd[k];
    dx[at] = scale * ((dy[at] - mean_dy) - xhat * mean_dy_xhat);
  }
}

}  // namespace bn::detail
