// Every bad input PyTorch has a message for (tests/data/golden_errors.json,
// written by tests/reference/golden_errors.py with torch's message): our
// layer refuses it with std::invalid_argument saying the same thing --
// torch's own words where they describe the input, else naming `shape` and
// the sizes -- and a refused forward leaves the layer without one.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "golden_layers.hpp"

using Catch::Matchers::Contains;

TEST_CASE("golden errors: every bad input PyTorch refuses, we refuse in the same words") {
  const nlohmann::json doc = golden::load_json("golden_errors.json");
  REQUIRE(doc.at("cases").size() >= 20);
  for (const auto& c : doc.at("cases")) {
    const std::string layer = c.at("layer"), where = c.at("where");
    INFO(c.at("name").get<std::string>() << "; torch said: " << c.at("torch_message").get<std::string>());
    std::string message;
    try {
      auto m = golden::make_layer(layer, c.at("args"));
      REQUIRE(where == "forward");
      c.at("mode") == "train" ? m->train() : m->eval();
      const bn::Shape shape = c.at("shape").get<bn::Shape>();
      std::int64_t n = 1;
      for (std::int64_t d : shape) n *= d;
      std::vector<float> x(static_cast<std::size_t>(n), 0.5f), y(x.size());
      try {
        m->forward(x.data(), x.size(), shape, y.data());
      } catch (const std::invalid_argument&) {
        CHECK_FALSE(m->has_forward());
        CHECK(m->num_batches_tracked() == 0);
        throw;
      }
    } catch (const std::invalid_argument& e) {
      message = e.what();
    }
    INFO("ours: " << message);
    REQUIRE_FALSE(message.empty());
    for (const auto& words : c.at("ours_must_say")) CHECK_THAT(message, Contains(words.get<std::string>()));
  }
}

TEST_CASE("golden errors: a refused forward changes nothing, and the layer keeps working") {
  bn::InstanceNorm2d layer(2, {1e-5, 0.1, true, true});
  const bn::Shape good = {2, 2, 2, 2};
  std::vector<float> x(16), y(16);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 5) - 1.5f;
  layer.forward(x.data(), x.size(), good, y.data());
  const std::vector<float> mean = layer.running_mean(), y_before = layer.trace().y;
  for (const bn::Shape& bad : {bn::Shape{2, 2, 1, 1}, bn::Shape{2, 3, 2, 2}, bn::Shape{2, 2}, bn::Shape{2, 0, 2, 2}}) {
    INFO(bn::shape_string(bad));
    CHECK_THROWS_AS(layer.forward(x.data(), x.size(), bad, y.data()), std::invalid_argument);
    CHECK(layer.running_mean() == mean);
    CHECK(layer.trace().y == y_before);
    CHECK(layer.last_shape() == good);
  }
  CHECK_THROWS_WITH(layer.forward(x.data(), 15, good, y.data()), Contains("shape [2, 2, 2, 2] has 16 elements but x has 15"));
  layer.forward(x.data(), x.size(), good, y.data());
  CHECK(layer.running_mean() != mean);
}
