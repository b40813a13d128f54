// The option schema as JSON text, the one form it leaves the core in (the
// optionSchema() binding hands it to JS, which parses it into bn.schema):
//   { "BatchNorm1d": { "arguments": { name: descriptor }, "options": { ... } },
//     "Trainer": { ... } }
// A descriptor: "type" (boolean | integer | number | enum | array), "default"
// (options), the bounds that exist ("min", "max"), "minExclusive" and
// "nullable" (numbers), "values" (enum), "minLength", "maxLength", "items",
// "itemLabel" (array), and "doc". Numbers are written as JS writes them.
#include <cmath>
#include <string>
#include <vector>

#include "bn/option_schema.hpp"
#include "bn/params.hpp"
#include "bn/trainer_options.hpp"

namespace bn {
namespace {

const char* type_name(OptionType t) {
  switch (t) {
    case OptionType::boolean: return "boolean";
    case OptionType::integer: return "integer";
    case OptionType::number: return "number";
    case OptionType::choice: return "enum";
    case OptionType::integer_list: return "array";
  }
  return "?";
}

std::string json(const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::boolean: return v.boolean ? "true" : "false";
    case OptionValue::Kind::number: return js_number(v.number);
    case OptionValue::Kind::string: return json_string(v.text);
    case OptionValue::Kind::list: {
      std::string out;
      for (const OptionValue& x : v.list) out += (out.empty() ? "" : ",") + json(x);
      return "[" + out + "]";
    }
    default: return "null";
  }
}

// Only the bounds that exist (JSON has no Infinity).
std::string bounds(const OptionSpec& s) {
  std::string out;
  if (std::isfinite(s.min)) out += ",\"min\":" + js_number(s.min);
  if (std::isfinite(s.max)) out += ",\"max\":" + js_number(s.max);
  return out;
}

std::string descriptor(const OptionSpec& s) {
  std::string out = "{\"type\":\"" + std::string(type_name(s.type)) + "\"";
  if (s.default_value.kind != OptionValue::Kind::absent) out += ",\"default\":" + json(s.default_value);
  switch (s.type) {
    case OptionType::integer:
      out += bounds(s);
      break;
    case OptionType::number:
      out += bounds(s);
      if (s.min_exclusive) out += ",\"minExclusive\":true";
      if (s.nullable) out += ",\"nullable\":true";
      break;
    case OptionType::choice: {
      std::string values;
      for (const std::string& name : *s.values) values += (values.empty() ? "" : ",") + json_string(name);
      out += ",\"values\":[" + values + "]";
      break;
    }
    case OptionType::integer_list:
      out += ",\"minLength\":" + std::to_string(s.min_length) + ",\"maxLength\":" + std::to_string(s.max_length) +
             ",\"items\":{\"type\":\"integer\"" + bounds(s) + "},\"itemLabel\":" + json_string(s.item_label);
      break;
    case OptionType::boolean:
      break;
  }
  return out + ",\"doc\":" + json_string(s.doc) + "}";
}

template <typename O>
std::string group(const char* name, const std::vector<OptionSpec>& arguments, const OptionTable<O>& table) {
  std::string args, options;
  for (const OptionSpec& s : arguments) args += (args.empty() ? "" : ",") + json_string(s.name) + ":" + descriptor(s);
  for (const OptionField<O>& f : table)
    options += (options.empty() ? "" : ",") + json_string(f.spec.name) + ":" + descriptor(f.spec);
  return json_string(name) + ":{\"arguments\":{" + args + "},\"options\":{" + options + "}}";
}

}  // namespace

std::string option_schema_json() {
  return "{" + group("BatchNorm1d", batchnorm_arguments(), batchnorm_option_table()) + "," +
         group("Trainer", trainer_arguments(), trainer_option_table()) + "}";
}

}  // namespace bn
