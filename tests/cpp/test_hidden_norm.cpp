// The trainer's hidden normalization with LayerNorm and GroupNorm
// (bn/hidden_norm.hpp): batch size 1 trains, each row is normalized by itself
// (eval mode and train mode agree), a step allocates nothing in steady state;
// batch norm at batch size 1 is refused in PyTorch's words.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "allocations.hpp"
#include "bn/trainer.hpp"

using Catch::Matchers::Contains;

namespace {

bn::TrainerOptions row_norm_options(const char* norm, int batch_size) {
  bn::TrainerOptions o;
  o.dataset = "moons";
  o.hidden = {16, 16};
  o.norm = norm;
  o.groups = 4;
  o.batch_size = batch_size;
  o.lr = 0.05;
  return o;
}

}  // namespace

TEST_CASE("hidden LayerNorm / GroupNorm: eval mode and train mode agree (no running statistics); batch norm's do not") {
  // Train mode evaluates in batches of batchSize, eval mode all points at
  // once: the same per-row outputs, the loss summed in another order.
  for (const char* norm : {"layer", "group"}) {
    INFO(norm);
    bn::Trainer t(row_norm_options(norm, 8));
    t.step(30);
    const bn::Evaluation e = t.evaluate();
    CHECK(e.loss == Approx(e.train_mode.loss).epsilon(1e-12));
    CHECK(e.test_loss == Approx(e.train_mode.test_loss).epsilon(1e-12));
    CHECK(e.accuracy == e.train_mode.accuracy);
  }
  // Control: batch norm's eval mode (running statistics) differs from its train mode.
  bn::Trainer t(row_norm_options("batch", 8));
  t.step(30);
  const bn::Evaluation e = t.evaluate();
  CHECK(std::abs(e.loss - e.train_mode.loss) > 1e-6);
}

TEST_CASE("hidden LayerNorm / GroupNorm train at batch size 1; batch norm is refused there") {
  for (const char* norm : {"layer", "group"}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      INFO(norm << " seed " << seed);
      bn::TrainerOptions o = row_norm_options(norm, 1);
      o.seed = seed;
      bn::Trainer t(o);
      const double before = t.evaluate().accuracy;
      t.step(2000);
      const bn::Evaluation e = t.evaluate();
      INFO("accuracy " << before << " -> " << e.accuracy);
      CHECK(e.accuracy >= 0.85);
      CHECK(e.accuracy > before + 0.1);
    }
  }
  bn::TrainerOptions o = row_norm_options("batch", 1);
  REQUIRE_THROWS_WITH(bn::Trainer(o), Contains("Expected more than 1 value per channel when training"));
}

TEST_CASE("hidden LayerNorm / GroupNorm: a training step allocates nothing in steady state") {
  for (const char* norm : {"layer", "group"}) {
    for (int batch_size : {1, 7}) {
      INFO(norm << " batch " << batch_size);
      bn::Trainer t(row_norm_options(norm, batch_size));
      t.step(60);   // buffers reach their sizes (epochs wrap too)
      t.evaluate();
      const std::uint64_t before = testing::allocations();
      t.step(50);
      CHECK(testing::allocations() == before);
    }
  }
}
