// The option schema as JSON text, the one form it leaves the core in (the
// optionSchema() binding hands it to JS, which parses it into bn.schema):
//   { "BatchNorm1d": { "arguments": { name: descriptor }, "options": { ... } },
//     "BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm2d": { ... },
//     "Trainer": { ... }, "landscape": { "arguments": { steps, maxScale }, "options": {} } }
// A descriptor: "type" (boolean | integer | number | enum | array), "default"
// (options), the bounds that exist ("min", "max"), "minExclusive" and
// "nullable" (numbers), "values" (enum), "minLength", "maxLength", "items",
// "itemLabel" (array), and "doc". Numbers are written as JS writes them.
#include <cmath>
#include <string>
#include <vector>

#include "bn/option_schema.hpp"
#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
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

// Appends only (no string temporaries): this is cold code, kept small.
void put_number(std::string& out, const char* key, double x) {
  out += key;
  out += js_number(x);
}

void put_string(std::string& out, const char* key, const std::string& text) {
  out += key;
  out += json_string(text);
}

void put_value(std::string& out, const OptionValue& v) {
  switch (v.kind) {
    case OptionValue::Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case OptionValue::Kind::number: put_number(out, "", v.number); return;
    case OptionValue::Kind::string: put_string(out, "", v.text); return;
    case OptionValue::Kind::list:
      out += '[';
      for (std::size_t i = 0; i < v.list.size(); ++i) {
        if (i > 0) out += ',';
        put_value(out, v.list[i]);
      }
      out += ']';
      return;
    default: out += "null";
  }
}

// Only the bounds that exist (JSON has no Infinity).
void put_bounds(std::string& out, const OptionSpec& s) {
  if (std::isfinite(s.min)) put_number(out, ",\"min\":", s.min);
  if (std::isfinite(s.max)) put_number(out, ",\"max\":", s.max);
}

void put_descriptor(std::string& out, const OptionSpec& s) {
  put_string(out, "{\"type\":", type_name(s.type));
  if (s.default_value.kind != OptionValue::Kind::absent) {
    out += ",\"default\":";
    put_value(out, s.default_value);
  }
  switch (s.type) {
    case OptionType::integer:
      put_bounds(out, s);
      break;
    case OptionType::number:
      put_bounds(out, s);
      if (s.min_exclusive) out += ",\"minExclusive\":true";
      if (s.nullable) out += ",\"nullable\":true";
      break;
    case OptionType::choice:
      out += ",\"values\":[";
      for (std::size_t i = 0; i < s.values->size(); ++i) put_string(out, i > 0 ? "," : "", (*s.values)[i]);
      out += ']';
      break;
    case OptionType::integer_list:
      put_number(out, ",\"minLength\":", s.min_length);
      put_number(out, ",\"maxLength\":", s.max_length);
      out += ",\"items\":{\"type\":\"integer\"";
      put_bounds(out, s);
      put_string(out, "},\"itemLabel\":", s.item_label);
      break;
    case OptionType::boolean:
      break;
  }
  put_string(out, ",\"doc\":", s.doc);
  out += '}';
}

template <typename O>
void put_group(std::string& out, const char* name, const std::vector<OptionSpec>& arguments,
               const OptionTable<O>& table) {
  put_string(out, "", name);
  out += ":{\"arguments\":{";
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    put_string(out, i > 0 ? "," : "", arguments[i].name);
    out += ':';
    put_descriptor(out, arguments[i]);
  }
  out += "},\"options\":{";
  for (std::size_t i = 0; i < table.size(); ++i) {
    put_string(out, i > 0 ? "," : "", table[i].spec.name);
    out += ':';
    put_descriptor(out, table[i].spec);
  }
  out += "}}";
}

}  // namespace

std::string option_schema_json() {
  std::string out = "{";
  put_group(out, "BatchNorm1d", batchnorm_arguments(), batchnorm_option_table());
  out += ',';
  put_group(out, "BatchNorm2d", batchnorm2d_arguments(), batchnorm_option_table());
  out += ',';
  put_group(out, "LayerNorm", layernorm_arguments(), layernorm_option_table());
  out += ',';
  put_group(out, "GroupNorm", groupnorm_arguments(), groupnorm_option_table());
  out += ',';
  put_group(out, "InstanceNorm2d", instancenorm_arguments(), instancenorm_option_table());
  out += ',';
  put_group(out, "Trainer", trainer_arguments(), trainer_option_table());
  out += ',';
  put_group(out, "landscape", landscape_arguments(), OptionTable<BatchNormOptions>{});   // arguments only
  return out + '}';
}

}  // namespace bn
