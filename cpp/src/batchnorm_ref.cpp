// The BatchNorm1d reference on [batch, features] matrices: bn/norm_ref.hpp's
// batch norm on [m, n, 1], in the matrix and vector types of
// bn/batchnorm_ref.hpp.
#include "bn/batchnorm_ref.hpp"

#include "bn/norm_ref.hpp"

namespace bn::ref {
namespace {

View matrix_view(const Matrix& x) {
  return batch_norm_view({static_cast<std::int64_t>(x.shape()[0]), static_cast<std::int64_t>(x.shape()[1])});
}

Matrix as_matrix(const Array& a, std::size_t m, std::size_t n) {
  Matrix out = xt::zeros<double>({m, n});
  std::copy(a.begin(), a.end(), out.begin());
  return out;
}

Vector as_vector(const Array& a) {
  Vector out = xt::zeros<double>({a.size()});
  std::copy(a.begin(), a.end(), out.begin());
  return out;
}

Forward as_forward(const NormForward& f, std::size_t m, std::size_t n) {
  Forward out;
  out.training = f.input_stats;
  out.mean = as_vector(f.mean);
  out.var = as_vector(f.var);
  out.invstd = as_vector(f.invstd);
  out.x_centered = as_matrix(f.x_centered, m, n);
  out.xhat = as_matrix(f.xhat, m, n);
  out.y = as_matrix(f.y, m, n);
  return out;
}

Array as_array(const Vector& v) { return Array(v); }

}  // namespace

Forward forward_train(const Matrix& x, const Vector& gamma, const Vector& beta, double eps) {
  const NormForward f = norm_forward(matrix_view(x), Array(x), as_array(gamma), as_array(beta), eps);
  return as_forward(f, x.shape()[0], x.shape()[1]);
}

Forward forward_eval(const Matrix& x, const Vector& gamma, const Vector& beta,
                     const Vector& running_mean, const Vector& running_var, double eps) {
  const NormForward f = norm_forward_fixed(matrix_view(x), Array(x), as_array(gamma), as_array(beta),
                                           as_array(running_mean), as_array(running_var), eps);
  return as_forward(f, x.shape()[0], x.shape()[1]);
}

Backward backward(const Matrix& dy, const Forward& f, const Vector& gamma) {
  const std::size_t m = dy.shape()[0], n = dy.shape()[1];
  NormForward nf;
  nf.input_stats = f.training;
  nf.mean = xt::reshape_view(Array(f.mean), {std::size_t{1}, n, std::size_t{1}});
  nf.var = xt::reshape_view(Array(f.var), {std::size_t{1}, n, std::size_t{1}});
  nf.invstd = xt::reshape_view(Array(f.invstd), {std::size_t{1}, n, std::size_t{1}});
  nf.x_centered = xt::reshape_view(Array(f.x_centered), {m, n, std::size_t{1}});
  nf.xhat = xt::reshape_view(Array(f.xhat), {m, n, std::size_t{1}});
  const NormBackward b = norm_backward(matrix_view(dy), Array(dy), nf, as_array(gamma));
  Backward out;
  out.dx = as_matrix(b.dx, m, n);
  out.dgamma = as_vector(b.dgamma);
  out.dbeta = as_vector(b.dbeta);
  return out;
}

void update_running(Vector& running_mean, Vector& running_var, const Forward& f, int batch,
                    std::optional<double> momentum, long batches_tracked) {
  const std::size_t n = running_mean.size();
  NormForward nf;
  nf.mean = xt::reshape_view(Array(f.mean), {std::size_t{1}, n, std::size_t{1}});
  nf.var = xt::reshape_view(Array(f.var), {std::size_t{1}, n, std::size_t{1}});
  Array mean = as_array(running_mean), var = as_array(running_var);
  norm_update_running(batch_norm_view({batch, static_cast<std::int64_t>(n)}), mean, var, nf,
                      momentum, batches_tracked);
  running_mean = as_vector(mean);
  running_var = as_vector(var);
}

}  // namespace bn::ref
