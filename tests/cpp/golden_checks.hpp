// Checks every golden test shares (BatchNorm1d's tests/cpp/test_golden.cpp
// and the other layers' tests/cpp/test_golden_layers.cpp): one array of one
// step against torch float32 and against the float64 truth.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace golden {

template <class A>
double max_diff(const A& a, const std::vector<double>& t) {
  double d = 0;
  for (std::size_t i = 0; i < t.size(); ++i) d = std::max(d, std::abs(static_cast<double>(a[i]) - t[i]));
  return d;
}

// Within `rel` (float32 rounding, relative to `scale`) of the float64 truth,
// and within that plus torch's own distance to the truth of torch float32,
// element by element.
template <class A>
void check_array(const char* what, const A& ours, const std::vector<double>& torch,
                 const std::vector<double>& truth, double rel, double scale) {
  INFO(what);
  REQUIRE(ours.size() == truth.size());
  REQUIRE(torch.size() == truth.size());
  const double allowed = rel * (scale > 0 ? scale : 1.0);
  CHECK(max_diff(ours, truth) <= allowed);
  const double torch_off = max_diff(torch, truth);
  for (std::size_t i = 0; i < torch.size(); ++i) {
    if (std::abs(ours[i] - torch[i]) > torch_off + allowed) {
      INFO("element " << i);
      CHECK(static_cast<double>(ours[i]) == Approx(torch[i]).margin(torch_off + allowed));
    }
  }
}

}  // namespace golden
