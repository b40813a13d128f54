// BatchNorm1d::backward_trace(): the chain-rule factors dxhat, dvar, dmean of
// the last backward against the same formulas in float64 on the bn::ref
// forward (bn/batchnorm_ref.hpp), dx/dgamma/dbeta against bn::ref::backward,
// the identity dx = dxhat invstd + dvar 2 (x - mean) / m + dmean / m, in
// training and eval, affine and not; and its lifetime: none before a
// backward, discarded by a new forward, untouched by a failing backward.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "bn/batchnorm.hpp"
#include "bn/batchnorm_ref.hpp"

namespace {

using bn::ref::Matrix;
using bn::ref::Vector;
using Catch::Matchers::Contains;

// Deterministic, well-spread values; an offset on the inputs so that
// x - mean matters.
double wave(int i, int k, double a) { return std::sin(a * (i + 1) + 0.41 * (k + 1) * (k + 3)); }

struct Case {
  int m, n;
  bool training, affine;
  double eps = 1e-5;
  std::vector<float> x, dy, gamma, beta, running_mean, running_var;
};

Case make_case(int m, int n, bool training, bool affine) {
  Case c{m, n, training, affine, 1e-5, {}, {}, {}, {}, {}, {}};
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < n; ++k) {
      c.x.push_back(static_cast<float>(3.0 * wave(i, k, 1.3) + 10.0 * k - 4.0));
      c.dy.push_back(static_cast<float>(wave(i, k, 2.9)));
    }
  for (int k = 0; k < n; ++k) {
    c.gamma.push_back(affine ? static_cast<float>(1.0 + 0.6 * wave(k, 1, 0.7)) : 1.0f);
    c.beta.push_back(affine ? static_cast<float>(0.3 * wave(k, 2, 1.1)) : 0.0f);
    c.running_mean.push_back(static_cast<float>(10.0 * k - 3.5 + wave(k, 3, 0.9)));
    c.running_var.push_back(static_cast<float>(2.0 + wave(k, 4, 1.7)));
  }
  return c;
}

Matrix matrix(const std::vector<float>& v, int m, int n) {
  Matrix out = xt::zeros<double>({static_cast<std::size_t>(m), static_cast<std::size_t>(n)});
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < n; ++k) out(i, k) = v[static_cast<std::size_t>(i) * n + k];
  return out;
}

Vector vector(const std::vector<float>& v) {
  Vector out = xt::zeros<double>({v.size()});
  for (std::size_t k = 0; k < v.size(); ++k) out(k) = v[k];
  return out;
}

struct Expected {
  Matrix dxhat, dx;
  Vector dvar, dmean, dgamma, dbeta, invstd;
  Matrix x_centered;
};

// The formulas of bn/batchnorm_ref.hpp, one factor at a time, in float64.
Expected expected(const Case& c) {
  const Matrix x = matrix(c.x, c.m, c.n), dy = matrix(c.dy, c.m, c.n);
  const Vector gamma = vector(c.gamma), beta = vector(c.beta);
  const bn::ref::Forward f =
      c.training ? bn::ref::forward_train(x, gamma, beta, c.eps)
                 : bn::ref::forward_eval(x, gamma, beta, vector(c.running_mean),
                                         vector(c.running_var), c.eps);
  const bn::ref::Backward b = bn::ref::backward(dy, f, gamma);
  Expected e;
  e.dx = b.dx;
  e.dgamma = b.dgamma;
  e.dbeta = b.dbeta;
  e.invstd = f.invstd;
  e.x_centered = f.x_centered;
  e.dxhat = dy;
  e.dvar = xt::zeros<double>({static_cast<std::size_t>(c.n)});
  e.dmean = e.dvar;
  for (int k = 0; k < c.n; ++k) {
    double s_dxhat = 0, s_dxhat_xc = 0, s_xc = 0;
    for (int i = 0; i < c.m; ++i) {
      e.dxhat(i, k) = dy(i, k) * gamma(k);
      s_dxhat += e.dxhat(i, k);
      s_dxhat_xc += e.dxhat(i, k) * f.x_centered(i, k);
      s_xc += f.x_centered(i, k);
    }
    if (!c.training) continue;
    e.dvar(k) = s_dxhat_xc * -0.5 * std::pow(f.var(k) + c.eps, -1.5);
    e.dmean(k) = -s_dxhat * f.invstd(k) + e.dvar(k) * (-2.0 / c.m) * s_xc;
  }
  return e;
}

bn::BatchNorm1d layer_for(const Case& c) {
  bn::BatchNormOptions o;
  o.eps = c.eps;
  o.affine = c.affine;
  bn::BatchNorm1d layer(c.n, o);
  if (c.affine) layer.set_params(c.gamma.data(), c.beta.data(), nullptr, nullptr);
  layer.set_params(nullptr, nullptr, c.running_mean.data(), c.running_var.data());
  c.training ? layer.train() : layer.eval();
  return layer;
}

// |a - b| within rel of the largest magnitude of the column (float32 storage
// and float32 kernels against float64).
void check_close(float got, double want, double scale, double rel, const char* what) {
  INFO(what << ": got " << got << ", want " << want << " (scale " << scale << ")");
  CHECK(std::abs(got - want) <= rel * scale + 1e-30);
}

}  // namespace

TEST_CASE("backward_trace matches the float64 chain rule and bn::ref::backward") {
  for (bool training : {true, false})
    for (bool affine : {true, false})
      for (auto [m, n] : {std::pair{2, 1}, std::pair{4, 3}, std::pair{7, 5}, std::pair{33, 9}}) {
        const Case c = make_case(m, n, training, affine);
        INFO("m " << m << " n " << n << (training ? " training" : " eval")
                  << (affine ? " affine" : " no affine"));
        bn::BatchNorm1d layer = layer_for(c);
        std::vector<float> y(c.x.size()), dx(c.x.size()), dgamma(n, -1.0f), dbeta(n, -1.0f);
        layer.forward(c.x.data(), m, y.data());
        layer.backward(c.dy.data(), dx.data(), dgamma.data(), dbeta.data());
        const bn::BackwardTrace t = layer.backward_trace();
        const Expected e = expected(c);

        CHECK(t.training == training);
        CHECK(t.batch == m);
        CHECK(t.features == n);
        REQUIRE(t.dy.size() == c.dy.size());
        REQUIRE(t.dxhat.size() == c.dy.size());
        REQUIRE(t.dx.size() == c.dy.size());
        REQUIRE(t.dvar.size() == static_cast<std::size_t>(n));
        REQUIRE(t.dmean.size() == static_cast<std::size_t>(n));
        CHECK(t.dy == c.dy);
        CHECK(t.dx == dx);   // exactly what backward returned
        if (affine) {
          CHECK(t.dgamma == dgamma);
          CHECK(t.dbeta == dbeta);
        } else {
          CHECK(t.dgamma.empty());
          CHECK(t.dbeta.empty());
        }

        for (int k = 0; k < n; ++k) {
          double dxhat_scale = 0, dx_scale = 0, dvar_scale = 0, dmean_scale = 0;
          double dgamma_scale = 0, dbeta_scale = 0;
          for (int i = 0; i < m; ++i) {
            dgamma_scale += std::abs(c.dy[static_cast<std::size_t>(i) * n + k] * e.x_centered(i, k) * e.invstd(k));
            dbeta_scale += std::abs(c.dy[static_cast<std::size_t>(i) * n + k]);
            dxhat_scale = std::max(dxhat_scale, std::abs(e.dxhat(i, k)));
            // dx cancels (to ~0 for m = 2): measure it by its terms too.
            dx_scale = std::max({dx_scale, std::abs(e.dx(i, k)), std::abs(e.dxhat(i, k)) * e.invstd(k)});
            // dvar and dmean are sums: measure them by the sum of |terms|.
            dvar_scale += std::abs(e.dxhat(i, k) * e.x_centered(i, k)) * 0.5 * std::pow(e.invstd(k), 3);
            dmean_scale += std::abs(e.dxhat(i, k)) * e.invstd(k);
          }
          if (training) {
            check_close(t.dvar[k], e.dvar(k), dvar_scale, 1e-5, "dvar");
            check_close(t.dmean[k], e.dmean(k), dmean_scale, 1e-5, "dmean");
          } else {
            CHECK(t.dvar[k] == 0.0f);   // fixed statistics: no gradient into them
            CHECK(t.dmean[k] == 0.0f);
          }
          if (affine) {
            check_close(t.dgamma[k], e.dgamma(k), dgamma_scale, 1e-5, "dgamma vs bn::ref::backward");
            check_close(t.dbeta[k], e.dbeta(k), dbeta_scale, 1e-5, "dbeta vs bn::ref::backward");
          }
          for (int i = 0; i < m; ++i) {
            const std::size_t at = static_cast<std::size_t>(i) * n + k;
            check_close(t.dxhat[at], e.dxhat(i, k), dxhat_scale, 1e-6, "dxhat");
            check_close(t.dx[at], e.dx(i, k), dx_scale, 1e-4, "dx vs bn::ref::backward");
            // The factors rebuild dx (the last step of the chain rule).
            const double rebuilt = t.dxhat[at] * e.invstd(k) +
                                   t.dvar[k] * 2.0 * e.x_centered(i, k) / m + t.dmean[k] / m;
            check_close(t.dx[at], rebuilt, dx_scale, 1e-4, "dx = dxhat invstd + dvar 2 xc / m + dmean / m");
          }
        }
      }
}

TEST_CASE("backward_trace: none before a backward, discarded by a new forward") {
  const Case c = make_case(4, 3, true, true);
  bn::BatchNorm1d layer = layer_for(c);
  std::vector<float> y(12), dx(12);
  REQUIRE_THROWS_WITH(layer.backward_trace(), Contains("backwardTrace called before any backward"));
  layer.forward(c.x.data(), 4, y.data());
  REQUIRE_THROWS_AS(layer.backward_trace(), std::logic_error);
  layer.backward(c.dy.data(), dx.data(), nullptr, nullptr);
  CHECK(layer.backward_trace().dx == dx);
  // A failing forward changes nothing, the backward trace included.
  std::vector<float> bad = c.x;
  bad[5] = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THROWS_AS(layer.forward(bad.data(), 4, y.data()), std::invalid_argument);
  CHECK(layer.backward_trace().dy == c.dy);
  // A good forward discards it.
  layer.forward(c.x.data(), 4, y.data());
  REQUIRE_THROWS_WITH(layer.backward_trace(), Contains("backwardTrace called before any backward"));
}

TEST_CASE("a failing backward leaves backward_trace as it was") {
  for (bool training : {true, false}) {
    const Case c = make_case(5, 4, training, true);
    bn::BatchNorm1d layer = layer_for(c);
    std::vector<float> y(20), dx(20), dgamma(4), dbeta(4);
    layer.forward(c.x.data(), 5, y.data());
    layer.backward(c.dy.data(), dx.data(), dgamma.data(), dbeta.data());
    const bn::BackwardTrace before = layer.backward_trace();
    for (float bad_value : {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity()}) {
      std::vector<float> bad(20, 7.0f);
      bad[13] = bad_value;
      REQUIRE_THROWS_AS(layer.backward(bad.data(), dx.data(), dgamma.data(), dbeta.data()),
                        std::invalid_argument);
      const bn::BackwardTrace after = layer.backward_trace();
      CHECK(after.dy == before.dy);
      CHECK(after.dxhat == before.dxhat);
      CHECK(after.dvar == before.dvar);
      CHECK(after.dmean == before.dmean);
      CHECK(after.dx == before.dx);
      CHECK(after.dgamma == before.dgamma);
      CHECK(after.dbeta == before.dbeta);
    }
    // A second good backward replaces it.
    std::vector<float> dy2 = c.dy;
    for (float& v : dy2) v *= -2.0f;
    layer.backward(dy2.data(), dx.data(), dgamma.data(), dbeta.data());
    const bn::BackwardTrace second = layer.backward_trace();
    CHECK(second.dy == dy2);
    CHECK(second.dx == dx);
    for (std::size_t j = 0; j < dx.size(); ++j) CHECK(second.dxhat[j] == Approx(-2.0 * before.dxhat[j]));
  }
}
