// The trainer's parts, each against a plain reference or a hand calculation:
// RNG, datasets, linear kernels, activations, loss and optimizers (the
// network's gradients against finite differences: test_deep_network.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

#include "bn/activations.hpp"
#include "bn/datasets.hpp"
#include "bn/linear.hpp"
#include "bn/linear_kernels.hpp"
#include "bn/loss.hpp"
#include "bn/mlp.hpp"
#include "bn/optimizer.hpp"
#include "bn/rng.hpp"

using Catch::Matchers::Contains;

TEST_CASE("Pcg32 reproduces the reference pcg32 stream (seed 42, stream 54)") {
  // pcg32-demo from pcg-random.org: pcg32_srandom_r(&rng, 42u, 54u).
  bn::Pcg32 rng(42u, 54u);
  const std::uint32_t expected[] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                    0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
  for (std::uint32_t e : expected) CHECK(rng.next_u32() == e);
}

TEST_CASE("Pcg32 uniform, below and normal have the right ranges and moments") {
  bn::Pcg32 rng(7, 3);
  const int n = 200000;
  double sum = 0, sum2 = 0, usum = 0;
  int counts[5] = {0, 0, 0, 0, 0};
  int out_of_range = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    out_of_range += !(u >= 0.0 && u < 1.0);
    usum += u;
    const std::uint32_t b = rng.below(5);
    if (b < 5u) ++counts[b]; else ++out_of_range;
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
  }
  CHECK(out_of_range == 0);
  CHECK(usum / n == Approx(0.5).margin(0.005));
  for (int c : counts) CHECK(c == Approx(n / 5.0).epsilon(0.03));
  CHECK(sum / n == Approx(0.0).margin(0.01));
  CHECK(sum2 / n == Approx(1.0).margin(0.015));
}

TEST_CASE("shuffle gives a permutation that depends on the seed") {
  std::vector<int> a(50), b(50);
  for (int i = 0; i < 50; ++i) a[i] = b[i] = i;
  bn::Pcg32 r1(1), r2(2);
  bn::shuffle(a.data(), 50, r1);
  bn::shuffle(b.data(), 50, r2);
  CHECK(std::set<int>(a.begin(), a.end()).size() == 50);
  CHECK(a != b);
}

TEST_CASE("datasets: shapes, balanced labels, test split, determinism") {
  for (const char* name : {"spiral", "moons", "circles", "xor", "gaussians"}) {
    INFO(name);
    const bn::DatasetKind kind = bn::parse_dataset(name);
    CHECK(std::string(bn::dataset_name(kind)) == name);
    const bn::Dataset d = bn::make_dataset(kind, 101, 0.1, 0.2, 5);
    REQUIRE(d.x.size() == 202);
    REQUIRE(d.y.size() == 101);
    int ones = 0;
    for (std::uint8_t y : d.y) ones += y;
    CHECK(ones == 50);
    CHECK(d.test_index.size() == 20);
    CHECK(d.train_index.size() == 81);
    for (int i : d.test_index) CHECK(d.is_test[i] == 1);
    for (float v : d.x) {
      CHECK(std::isfinite(v));
      CHECK(std::fabs(v) < 3.0f);
    }
    const bn::Dataset again = bn::make_dataset(kind, 101, 0.1, 0.2, 5);
    CHECK(again.x == d.x);
    CHECK(again.is_test == d.is_test);
    CHECK(bn::make_dataset(kind, 101, 0.1, 0.2, 6).x != d.x);
  }
  REQUIRE_THROWS_WITH(bn::parse_dataset("spirals"), Contains("dataset must be one of"));
}

TEST_CASE("datasets have the promised geometry") {
  const bn::Dataset circles = bn::make_dataset(bn::DatasetKind::circles, 400, 0.0, 0.0, 1);
  for (int i = 0; i < 400; ++i) {
    const double r = std::hypot(circles.x[2 * i], circles.x[2 * i + 1]);
    CHECK(r == Approx(circles.y[i] == 0 ? 1.0 : 0.5).margin(1e-5));
  }
  const bn::Dataset xr = bn::make_dataset(bn::DatasetKind::xor_quadrants, 400, 0.0, 0.0, 1);
  for (int i = 0; i < 400; ++i) CHECK((xr.x[2 * i] * xr.x[2 * i + 1] < 0) == (xr.y[i] == 1));
}

namespace {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
  bn::Pcg32 rng(seed);
  std::vector<float> v(n);
  for (float& f : v) f = static_cast<float>(rng.normal());
  return v;
}

}  // namespace

TEST_CASE("linear kernels match a double-precision reference, and SIMD matches scalar bit for bit") {
  for (int in : {1, 2, 3, 5, 16, 19}) {
    for (int out : {1, 2, 4, 7, 16, 21}) {
      const int m = 5;
      INFO("in " << in << " out " << out);
      const auto x = random_floats(static_cast<std::size_t>(m) * in, 1);
      const auto w = random_floats(static_cast<std::size_t>(out) * in, 2);
      const auto b = random_floats(out, 3);
      const auto dy = random_floats(static_cast<std::size_t>(m) * out, 4);
      std::vector<float> wt(w.size());
      for (int j = 0; j < out; ++j)
        for (int k = 0; k < in; ++k) wt[k * out + j] = w[j * in + k];
      std::vector<float> y(m * out), dx(m * in), dw(w.size()), db(out);
      bn::linear_kernels::scalar::forward(x.data(), wt.data(), b.data(), m, in, out, y.data());
      bn::linear_kernels::scalar::backward_input(dy.data(), w.data(), m, in, out, dx.data());
      bn::linear_kernels::scalar::backward_params(x.data(), dy.data(), m, in, out, dw.data(), db.data());
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < out; ++j) {
          double s = b[j];
          for (int k = 0; k < in; ++k) s += static_cast<double>(x[i * in + k]) * w[j * in + k];
          CHECK(y[i * out + j] == Approx(s).margin(1e-5));
        }
      for (int i = 0; i < m; ++i)
        for (int k = 0; k < in; ++k) {
          double s = 0;
          for (int j = 0; j < out; ++j) s += static_cast<double>(dy[i * out + j]) * w[j * in + k];
          CHECK(dx[i * in + k] == Approx(s).margin(1e-5));
        }
      for (int j = 0; j < out; ++j) {
        double sb = 0;
        for (int i = 0; i < m; ++i) sb += dy[i * out + j];
        CHECK(db[j] == Approx(sb).margin(1e-5));
        for (int k = 0; k < in; ++k) {
          double s = 0;
          for (int i = 0; i < m; ++i) s += static_cast<double>(dy[i * out + j]) * x[i * in + k];
          CHECK(dw[j * in + k] == Approx(s).margin(1e-5));
        }
      }
#if defined(__wasm_simd128__)
      std::vector<float> y2(y.size()), dx2(dx.size()), dw2(dw.size()), db2(db.size());
      bn::linear_kernels::simd::forward(x.data(), wt.data(), b.data(), m, in, out, y2.data());
      bn::linear_kernels::simd::backward_input(dy.data(), w.data(), m, in, out, dx2.data());
      bn::linear_kernels::simd::backward_params(x.data(), dy.data(), m, in, out, dw2.data(), db2.data());
      CHECK(y2 == y);
      CHECK(dx2 == dx);
      CHECK(dw2 == dw);
      CHECK(db2 == db);
#endif
    }
  }
}

TEST_CASE("activations: values and derivatives") {
  const std::vector<float> z = {-2.0f, -0.5f, 0.25f, 1.5f};
  for (bn::Activation a : {bn::Activation::relu, bn::Activation::tanh, bn::Activation::sigmoid}) {
    INFO(bn::activation_name(a));
    CHECK(bn::parse_activation(bn::activation_name(a)) == a);
    std::vector<float> h(4), dz(4), hp(4), hm(4);
    const std::vector<float> dh = {1.0f, -2.0f, 0.5f, 3.0f};
    bn::activation_forward(a, z.data(), 4, h.data());
    bn::activation_backward(a, h.data(), dh.data(), 4, dz.data());
    for (int j = 0; j < 4; ++j) {
      const double zj = z[j];
      const double expect = a == bn::Activation::relu ? std::max(zj, 0.0)
                            : a == bn::Activation::tanh ? std::tanh(zj)
                                                        : 1.0 / (1.0 + std::exp(-zj));
      CHECK(h[j] == Approx(expect).margin(1e-6));
      // central difference of f at z_j
      const float e = 1e-3f;
      std::vector<float> zp = z, zm = z;
      zp[j] += e;
      zm[j] -= e;
      bn::activation_forward(a, zp.data(), 4, hp.data());
      bn::activation_forward(a, zm.data(), 4, hm.data());
      CHECK(dz[j] == Approx(dh[j] * (hp[j] - hm[j]) / (2 * e)).margin(2e-3));
    }
  }
  REQUIRE_THROWS_WITH(bn::parse_activation("gelu"), Contains("activation must be one of"));
}

TEST_CASE("softmax cross-entropy: value, accuracy and gradient by hand") {
  const std::vector<float> logits = {2.0f, 0.0f, -1.0f, 1.0f};   // rows (2, 0) and (-1, 1)
  const std::vector<std::uint8_t> labels = {0, 0};
  std::vector<float> d(4);
  const bn::LossResult r = bn::softmax_cross_entropy(logits.data(), labels.data(), 2, 2, d.data());
  const double l0 = std::log(1.0 + std::exp(-2.0)), l1 = std::log(1.0 + std::exp(2.0));
  CHECK(r.loss == Approx((l0 + l1) / 2));
  CHECK(r.correct == 1);
  const double p01 = 1.0 / (1.0 + std::exp(2.0));   // softmax of row 0, class 1
  CHECK(d[0] == Approx(-p01 / 2));
  CHECK(d[1] == Approx(p01 / 2));
  CHECK(d[2] + d[3] == Approx(0.0).margin(1e-7));
  CHECK(bn::class1_probability(logits.data()) == Approx(p01));
}

TEST_CASE("optimizers: one and two steps by hand") {
  SECTION("sgd") {
    std::vector<float> p = {1.0f, -2.0f}, g = {0.5f, 1.0f};
    bn::Optimizer opt(bn::OptimizerKind::sgd, 0.1, {{p.data(), g.data(), 2}});
    opt.step();
    CHECK(p[0] == Approx(0.95));
    CHECK(p[1] == Approx(-2.1));
  }
  SECTION("momentum") {
    std::vector<float> p = {1.0f}, g = {0.5f};
    bn::Optimizer opt(bn::OptimizerKind::momentum, 0.1, {{p.data(), g.data(), 1}});
    opt.step();   // v = 0.5
    opt.step();   // v = 0.9 * 0.5 + 0.5 = 0.95
    CHECK(p[0] == Approx(1.0 - 0.1 * 0.5 - 0.1 * 0.95));
  }
  SECTION("adam") {
    std::vector<float> p = {1.0f, 1.0f}, g = {0.5f, -3.0f};
    bn::Optimizer opt(bn::OptimizerKind::adam, 0.01, {{p.data(), g.data(), 2}});
    opt.step();   // first step: m_hat = g, v_hat = g^2 -> p -= lr * sign(g)
    CHECK(p[0] == Approx(0.99).margin(1e-6));
    CHECK(p[1] == Approx(1.01).margin(1e-6));
    g = {0.5f, 1.0f};
    opt.step();
    // m = 0.9 * 0.1 * g1 + 0.1 * g2 ..., checked against the formulas in double
    const double m1 = 0.9 * (0.1 * -3.0) + 0.1 * 1.0, v1 = 0.999 * (0.001 * 9.0) + 0.001 * 1.0;
    const double mh = m1 / (1 - 0.81), vh = v1 / (1 - 0.998001);
    CHECK(p[1] == Approx(1.01 - 0.01 * mh / (std::sqrt(vh) + 1e-8)).margin(1e-6));
  }
  REQUIRE_THROWS_WITH(bn::parse_optimizer("rmsprop"), Contains("optimizer must be one of"));
  std::vector<float> p = {1.0f}, g = {1.0f};
  for (double bad : {0.0, -1.0, std::nan("")})
    REQUIRE_THROWS_WITH(bn::Optimizer(bn::OptimizerKind::sgd, bad, {{p.data(), g.data(), 1}}),
                        Contains("lr must be"));
}

TEST_CASE("Linear init: Kaiming and Xavier standard deviations") {
  bn::Pcg32 rng(3);
  const bn::Linear kaiming(64, 128, bn::Init::kaiming, rng), xavier(64, 128, bn::Init::xavier, rng);
  auto stdev = [](const std::vector<float>& w) {
    double s = 0, s2 = 0;
    for (float v : w) { s += v; s2 += static_cast<double>(v) * v; }
    const double m = s / w.size();
    return std::sqrt(s2 / w.size() - m * m);
  };
  CHECK(stdev(kaiming.weights()) == Approx(std::sqrt(2.0 / 64)).epsilon(0.03));
  CHECK(stdev(xavier.weights()) == Approx(std::sqrt(2.0 / 192)).epsilon(0.03));
}

