// Gradient check: central finite differences, in double, of the scalar loss
//   L(x, gamma, beta) = sum_ik w_ik * y_ik      (y from bn::ref forward)
// against the backward pass of bn::BatchNorm1d (float32, dy = w) and of
// bn::ref, in training mode (through the batch statistics) and eval mode
// (through fixed running statistics), with and without affine.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/batchnorm_ref.hpp"

namespace {

using bn::ref::Matrix;
using bn::ref::Vector;

struct Problem {
  int m, n;
  bool training, affine;
  double eps = 1e-5;
  Matrix x, w;
  Vector gamma, beta, running_mean, running_var;
};

// Deterministic, well-spread values (no two rows alike, so var > 0).
double wave(int i, int k, double a) { return std::sin(a * (i + 1) + 0.37 * (k + 1) * (k + 2)); }

Problem make_problem(int m, int n, bool training, bool affine) {
  Problem p;
  p.m = m;
  p.n = n;
  p.training = training;
  p.affine = affine;
  const std::size_t M = m, N = n;
  p.x = xt::zeros<double>({M, N});
  p.w = p.x;
  p.gamma = xt::ones<double>({N});
  p.beta = xt::zeros<double>({N});
  p.running_mean = xt::zeros<double>({N});
  p.running_var = xt::ones<double>({N});
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < n; ++k) {
      // Stored as floats: the layer sees exactly these values.
      p.x(i, k) = static_cast<float>(2.0 * wave(i, k, 1.3) + 0.5 * k);
      p.w(i, k) = static_cast<float>(wave(i, k, 2.9));
    }
  for (int k = 0; k < n; ++k) {
    if (affine) {
      p.gamma(k) = static_cast<float>(1.0 + 0.4 * wave(k, 1, 0.7));
      p.beta(k) = static_cast<float>(0.3 * wave(k, 2, 1.1));
    }
    p.running_mean(k) = static_cast<float>(0.5 * wave(k, 3, 0.9));
    p.running_var(k) = static_cast<float>(0.5 + 0.25 * (1 + wave(k, 4, 1.7)));
  }
  return p;
}

double loss(const Problem& p, const Matrix& x, const Vector& gamma, const Vector& beta) {
  const bn::ref::Forward f =
      p.training ? bn::ref::forward_train(x, gamma, beta, p.eps)
                 : bn::ref::forward_eval(x, gamma, beta, p.running_mean, p.running_var, p.eps);
  return xt::sum(p.w * f.y)();
}

// dL/dv for every entry of one of (x, gamma, beta), by central differences.
template <class T>
std::vector<double> numeric_gradient(const Problem& p, T Problem::*which) {
  Problem q = p;
  std::vector<double> grad;
  for (std::size_t j = 0; j < (q.*which).size(); ++j) {
    const double v = (q.*which).data()[j];
    const double h = 1e-5 * std::max(1.0, std::abs(v));
    (q.*which).data()[j] = v + h;
    const double up = loss(q, q.x, q.gamma, q.beta);
    (q.*which).data()[j] = v - h;
    const double down = loss(q, q.x, q.gamma, q.beta);
    (q.*which).data()[j] = v;
    grad.push_back((up - down) / (2 * h));
  }
  return grad;
}

// max_i |a_i - t_i| / max_i |t_i|
template <class A>
double normwise(const A& a, const std::vector<double>& t) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - t[i]));
    scale = std::max(scale, std::abs(t[i]));
  }
  return diff / scale;
}

struct Gradients {
  std::vector<float> dx, dgamma, dbeta;
};

Gradients layer_gradients(const Problem& p) {
  bn::BatchNorm1d layer(p.n, {p.eps, 0.1, p.affine});
  std::vector<float> g(p.gamma.begin(), p.gamma.end()), b(p.beta.begin(), p.beta.end());
  std::vector<float> rm(p.running_mean.begin(), p.running_mean.end());
  std::vector<float> rv(p.running_var.begin(), p.running_var.end());
  layer.set_params(p.affine ? g.data() : nullptr, p.affine ? b.data() : nullptr, rm.data(), rv.data());
  p.training ? layer.train() : layer.eval();
  std::vector<float> x(p.x.begin(), p.x.end()), w(p.w.begin(), p.w.end()), y(x.size());
  layer.forward(x.data(), p.m, y.data());
  Gradients out{std::vector<float>(x.size()), std::vector<float>(p.n), std::vector<float>(p.n)};
  layer.backward(w.data(), out.dx.data(), out.dgamma.data(), out.dbeta.data());
  return out;
}

}  // namespace

TEST_CASE("gradcheck: backward matches central differences of L = sum(w * y)") {
  for (const bool training : {true, false})
    for (const bool affine : {true, false})
      for (const auto& [m, n] : {std::pair{4, 3}, std::pair{7, 5}, std::pair{3, 1}}) {
        INFO((training ? "training" : "eval") << (affine ? ", affine" : ", no affine") << ", " << m
                                              << "x" << n);
        const Problem p = make_problem(m, n, training, affine);
        const std::vector<double> dx_num = numeric_gradient(p, &Problem::x);

        // The float64 reference: agrees to finite-difference accuracy.
        const bn::ref::Forward f =
            training ? bn::ref::forward_train(p.x, p.gamma, p.beta, p.eps)
                     : bn::ref::forward_eval(p.x, p.gamma, p.beta, p.running_mean, p.running_var, p.eps);
        const bn::ref::Backward ref = bn::ref::backward(p.w, f, p.gamma);
        CHECK(normwise(ref.dx.data(), dx_num) <= 1e-7);

        // The float32 layer: agrees to float32 rounding.
        const Gradients got = layer_gradients(p);
        CHECK(normwise(got.dx, dx_num) <= 1e-5);
        if (affine) {
          const std::vector<double> dgamma_num = numeric_gradient(p, &Problem::gamma);
          const std::vector<double> dbeta_num = numeric_gradient(p, &Problem::beta);
          CHECK(normwise(ref.dgamma.data(), dgamma_num) <= 1e-7);
          CHECK(normwise(ref.dbeta.data(), dbeta_num) <= 1e-7);
          CHECK(normwise(got.dgamma, dgamma_num) <= 1e-5);
          CHECK(normwise(got.dbeta, dbeta_num) <= 1e-5);
        }
      }
}

TEST_CASE("gradcheck: in training mode dx sums to zero over the batch, in eval it does not") {
  // Through the batch statistics, shifting every x of a feature by c changes
  // nothing, so sum_i dL/dx_ik = 0; through fixed statistics it is
  // sum_i w_ik gamma_k invstd_k.
  const Problem train = make_problem(6, 4, true, true);
  const Gradients g = layer_gradients(train);
  for (int k = 0; k < 4; ++k) {
    double sum = 0, size = 0;
    for (int i = 0; i < 6; ++i) {
      sum += g.dx[i * 4 + k];
      size += std::abs(g.dx[i * 4 + k]);
    }
    CHECK(std::abs(sum) <= 1e-6 * size);
  }
  const Problem ev = make_problem(6, 4, false, true);
  const Gradients e = layer_gradients(ev);
  for (int k = 0; k < 4; ++k) {
    double sum = 0, expected = 0;
    for (int i = 0; i < 6; ++i) {
      sum += e.dx[i * 4 + k];
      expected += ev.w(i, k) * ev.gamma(k) / std::sqrt(ev.running_var(k) + ev.eps);
    }
    CHECK(sum == Approx(expected).epsilon(1e-5));
  }
}
