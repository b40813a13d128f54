// The option schema (bn/option_schema.hpp): JS-exact number formatting and
// value descriptions, every descriptor's rule and message, the defaults it
// exports (those of the options structs), the enum lists the parse_*
// functions read, and reading options from a JS-like object.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "bn/activations.hpp"
#include "bn/datasets.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
#include "bn/norm_layout.hpp"
#include "bn/linear.hpp"
#include "bn/optimizer.hpp"
#include "bn/params.hpp"
#include "bn/trainer_options.hpp"

#include <nlohmann/json.hpp>

using bn::OptionValue;
using Catch::Matchers::Contains;

namespace {

std::string message_of(const bn::OptionSpec& spec, const OptionValue& v) {
  try {
    bn::check_value(spec, v);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

const bn::OptionSpec& trainer_spec(const std::string& name) {
  for (const auto& f : bn::trainer_option_table())
    if (name == f.spec.name) return f.spec;
  throw std::logic_error("no trainer option " + name);
}

OptionValue object(std::vector<std::pair<std::string, OptionValue>> fields) {
  OptionValue v;
  v.kind = OptionValue::Kind::object;
  v.fields = std::move(fields);
  return v;
}

}  // namespace

TEST_CASE("js_number prints numbers as JavaScript's String() does") {
  const std::pair<double, const char*> cases[] = {
      {0.0, "0"}, {-0.0, "0"}, {1.0, "1"}, {-1.0, "-1"}, {0.1, "0.1"}, {0.5, "0.5"}, {1e-5, "0.00001"},
      {1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {123456.789, "123456.789"}, {4294967295.0, "4294967295"},
      {1e21, "1e+21"}, {1e20, "100000000000000000000"}, {2.0000009536743164, "2.0000009536743164"},
      {1.7976931348623157e308, "1.7976931348623157e+308"}, {5e-324, "5e-324"}, {0.1 + 0.2, "0.30000000000000004"},
      {std::nan(""), "NaN"}, {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"}, {-9.5367431640625e-7, "-9.5367431640625e-7"},
  };
  for (const auto& [x, text] : cases) CHECK(bn::js_number(x) == text);
}

TEST_CASE("describe shows values as validate.js's describe() does") {
  CHECK(bn::describe(OptionValue{}) == "undefined");
  CHECK(bn::describe(OptionValue::null_value()) == "null");
  CHECK(bn::describe(OptionValue::of(true)) == "true");
  CHECK(bn::describe(OptionValue::of(2.5)) == "2.5");
  CHECK(bn::describe(OptionValue::of(std::string("a\"b\n"))) == "\"a\\\"b\\n\"");
  CHECK(bn::describe(OptionValue::of(std::string(50, 'x'))) == "\"" + std::string(40, 'x') + "\xe2\x80\xa6\"");
  CHECK(bn::describe(OptionValue::of(std::vector<int>{1, 2})) == "an array of length 2");
  CHECK(bn::describe(object({})) == "a object");
}

TEST_CASE("every descriptor: its default passes, the values just outside fail naming it") {
  std::vector<bn::OptionSpec> all = bn::batchnorm_arguments();
  for (const auto& f : bn::batchnorm_option_table()) all.push_back(f.spec);
  for (const auto& f : bn::trainer_option_table()) all.push_back(f.spec);
  for (const auto& s : bn::trainer_arguments()) all.push_back(s);
  for (const bn::OptionSpec& s : all) {
    INFO(s.name);
    CHECK(std::string(s.doc).size() > 0);
    if (s.default_value.kind != OptionValue::Kind::absent) CHECK(message_of(s, s.default_value).empty());
    std::vector<OptionValue> bad = {OptionValue::of(std::string("?"))};
    if (std::isfinite(s.min)) bad.push_back(OptionValue::of(s.min_exclusive ? s.min : s.min - 1));
    if (std::isfinite(s.max) && s.type != bn::OptionType::integer_list) bad.push_back(OptionValue::of(s.max + 1));
    for (const OptionValue& v : bad) CHECK_THAT(message_of(s, v), Contains(std::string(s.name) + " must be"));
  }
}

TEST_CASE("the messages carry the schema's limits") {
  CHECK(message_of(trainer_spec("hidden"), OptionValue::of(std::vector<int>(101, 4))) ==
        "hidden must be an array of 1 to 100 layer widths, got an array of length 101");
  CHECK(message_of(trainer_spec("hidden"), OptionValue::of(std::vector<int>{16, 257})) ==
        "hidden[1] must be an integer in [1, 256], got 257");
  CHECK(message_of(trainer_spec("noise"), OptionValue::of(-0.1)) ==
        "noise must be a finite number >= 0 and <= 2, got -0.1");
  CHECK(message_of(trainer_spec("lr"), OptionValue::of(0.0)) == "lr must be a finite number > 0, got 0");
  CHECK(message_of(bn::batchnorm_option_table()[1].spec, OptionValue::of(2.0)) ==
        "momentum must be a finite number >= 0 and <= 1, or null, got 2");
  CHECK(message_of(bn::batchnorm_option_table()[1].spec, OptionValue::null_value()).empty());
  CHECK(message_of(trainer_spec("dataset"), OptionValue::of(std::string("swirl"))) ==
        "dataset must be one of \"spiral\", \"moons\", \"circles\", \"xor\", \"gaussians\", got \"swirl\"");
}

TEST_CASE("the schema's JSON: every group and descriptor, with the structs' defaults") {
  const nlohmann::json j = nlohmann::json::parse(bn::option_schema_json());
  REQUIRE(j.size() == 7);
  CHECK(j.at("landscape").at("arguments").at("steps").at("default") == 8);
  const nlohmann::json& bn1d = j.at("BatchNorm1d");
  const nlohmann::json& tr = j.at("Trainer");
  nlohmann::json eps = bn1d.at("options").at("eps");
  CHECK(eps.at("doc").get<std::string>().size() > 0);
  eps.erase("doc");
  const nlohmann::json expected_eps = nlohmann::json::parse(R"({"type":"number","default":0.00001,"min":0,"minExclusive":true})");
  CHECK(eps == expected_eps);
  CHECK(bn1d.at("options").at("momentum").at("nullable") == true);
  CHECK(bn1d.at("arguments").at("features").at("min") == 1);
  CHECK_FALSE(bn1d.at("arguments").at("features").contains("max"));   // unbounded: no Infinity in JSON
  const nlohmann::json items = nlohmann::json::parse(R"({"type":"integer","min":1,"max":256})");
  CHECK(tr.at("options").at("hidden").at("items") == items);
  CHECK(tr.at("options").at("hidden").at("maxLength") == 100);
  const nlohmann::json init_values = nlohmann::json::parse(R"(["auto","kaiming","xavier"])");
  CHECK(tr.at("options").at("init").at("values") == init_values);
  CHECK(tr.at("arguments").at("n").at("max") == 1000000);
  // The defaults (those of the structs' member initializers), in table order.
  nlohmann::json defaults;
  for (const auto& [name, d] : tr.at("options").items()) defaults[name] = d.at("default");
  const nlohmann::json api_defaults = nlohmann::json::parse(R"({"dataset":"spiral","samples":400,"noise":0.1,
      "hidden":[16,16],"activation":"relu","batchNorm":true,"optimizer":"sgd","lr":0.1,"batchSize":32,"seed":1,
      "init":"auto","testFraction":0.2,"norm":"batch","groups":1,"normPlacement":"before","residual":false,
      "momentum":0.1})");
  CHECK(defaults == api_defaults);
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(bn::option_schema_json());
  std::vector<std::string> order;
  for (const auto& item : ordered.at("Trainer").at("options").items()) order.push_back(item.key());
  std::vector<std::string> table_order;
  for (const auto& f : bn::trainer_option_table()) table_order.push_back(f.spec.name);
  CHECK(order == table_order);
}

TEST_CASE("the schema's JSON: the groups of BatchNorm2d, LayerNorm, GroupNorm and InstanceNorm2d, with torch's defaults") {
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(bn::option_schema_json());
  std::vector<std::string> groups;
  for (const auto& item : j.items()) groups.push_back(item.key());
  CHECK(groups == std::vector<std::string>{"BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm2d",
                                           "Trainer", "landscape"});
  CHECK(j.at("BatchNorm2d").at("options") == j.at("BatchNorm1d").at("options"));
  const auto defaults = [&](const char* group) {
    nlohmann::ordered_json d;
    for (const auto& [name, spec] : j.at(group).at("options").items()) d[name] = spec.at("default");
    return d.dump();
  };
  CHECK(defaults("LayerNorm") == R"({"eps":1e-05,"elementwiseAffine":true})");
  CHECK(defaults("GroupNorm") == R"({"eps":1e-05,"affine":true})");
  CHECK(defaults("InstanceNorm2d") == R"({"eps":1e-05,"momentum":0.1,"affine":false,"trackRunningStats":false})");
  CHECK_FALSE(j.at("InstanceNorm2d").at("options").at("momentum").contains("nullable"));   // torch's instance_norm takes no None
  const auto& shape = j.at("LayerNorm").at("arguments").at("normalizedShape");
  CHECK(shape.at("type") == "array");
  CHECK(shape.at("minLength") == 1);
  CHECK(shape.at("maxLength") == bn::kMaxRank - 1);
  CHECK(j.at("GroupNorm").at("arguments").contains("numGroups"));
  CHECK(j.at("GroupNorm").at("arguments").at("numChannels").at("min") == 1);
  CHECK(j.at("InstanceNorm2d").at("arguments").at("numFeatures").at("type") == "integer");
}

TEST_CASE("the layers' options are read through their tables, naming the layer") {
  OptionValue o;
  o.kind = OptionValue::Kind::object;
  o.fields.emplace_back("trackRunningStats", OptionValue::of(true));
  o.fields.emplace_back("momentum", OptionValue::of(0.5));
  const bn::InstanceNormOptions in = bn::read_options("InstanceNorm2d", bn::instancenorm_option_table(), o);
  CHECK(in.track_running_stats);
  CHECK(in.momentum == 0.5);
  CHECK_FALSE(in.affine);
  OptionValue bad;
  bad.kind = OptionValue::Kind::object;
  bad.fields.emplace_back("affine", OptionValue::of(true));
  CHECK_THROWS_WITH(bn::read_options("LayerNorm", bn::layernorm_option_table(), bad),
                    "unknown LayerNorm option \"affine\" (expected eps, elementwiseAffine)");
  OptionValue null_momentum;
  null_momentum.kind = OptionValue::Kind::object;
  null_momentum.fields.emplace_back("momentum", OptionValue::null_value());
  CHECK_THROWS_WITH(bn::read_options("InstanceNorm2d", bn::instancenorm_option_table(), null_momentum),
                    "momentum must be a finite number >= 0 and <= 1, got null");
  OptionValue eps;
  eps.kind = OptionValue::Kind::object;
  eps.fields.emplace_back("eps", OptionValue::of(0.0));
  CHECK_THROWS_WITH(bn::read_options("GroupNorm", bn::groupnorm_option_table(), eps), "eps must be a finite number > 0, got 0");
}

TEST_CASE("parse_* read the enum lists of the schema, with its message") {
  for (const std::string name : bn::dataset_names()) CHECK(bn::dataset_name(bn::parse_dataset(name)) == name);
  for (const std::string name : bn::activation_names()) CHECK(bn::activation_name(bn::parse_activation(name)) == name);
  for (const std::string name : bn::optimizer_names()) CHECK(bn::optimizer_name(bn::parse_optimizer(name)) == name);
  for (const std::string name : bn::init_names()) CHECK(bn::init_name(bn::parse_init(name)) == name);
  CHECK(trainer_spec("dataset").values == &bn::dataset_names());
  CHECK(trainer_spec("activation").values == &bn::activation_names());
  CHECK(trainer_spec("optimizer").values == &bn::optimizer_names());
  CHECK_THROWS_WITH(bn::parse_dataset("swirl"), message_of(trainer_spec("dataset"), OptionValue::of(std::string("swirl"))));
  CHECK_THROWS_WITH(bn::parse_optimizer("lbfgs"),
                    message_of(trainer_spec("optimizer"), OptionValue::of(std::string("lbfgs"))));
}

TEST_CASE("read_trainer_options: a JS-like object, checked field by field and as a whole") {
  const bn::TrainerOptions d = bn::read_trainer_options(OptionValue{});
  CHECK(d.samples == 400);
  const bn::TrainerOptions o = bn::read_trainer_options(
      object({{"hidden", OptionValue::of(std::vector<int>{8, 4})}, {"seed", OptionValue::of(4294967295.0)},
              {"noise", OptionValue{}}}));
  CHECK(o.hidden == std::vector<int>{8, 4});
  CHECK(o.seed == 4294967295u);
  CHECK(o.noise == 0.1);   // undefined: the default
  CHECK_THROWS_WITH(bn::read_trainer_options(object({{"learningRate", OptionValue::of(0.1)}})),
                    Contains("unknown Trainer option \"learningRate\" (expected dataset, samples,"));
  CHECK_THROWS_WITH(bn::read_trainer_options(OptionValue::of(3.0)), "Trainer options must be an object, got 3");
  CHECK_THROWS_WITH(bn::read_trainer_options(object({{"batchSize", OptionValue::of(400.0)}})),
                    "batchSize must be an integer in [1, 320] (the number of training points), got 400");
  CHECK_THROWS_WITH(bn::read_batchnorm_options(object({{"momentun", OptionValue::of(0.1)}})),
                    "unknown BatchNorm1d option \"momentun\" (expected eps, momentum, affine)");
  CHECK_FALSE(bn::read_batchnorm_options(object({{"momentum", OptionValue::null_value()}})).momentum.has_value());
}
