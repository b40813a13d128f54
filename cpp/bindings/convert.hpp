// Helpers shared by the Embind bindings: the seam protocol (C++ errors ->
// the one failure value), JS values -> bn::OptionValue, and float arrays ->
// fresh JS Float32Array copies. The only place besides bindings_*.cpp that
// sees Emscripten.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bn/option_schema.hpp"

namespace bn::bindings {

// THE SEAM PROTOCOL. Errors never cross into JavaScript as exceptions: a JS
// exception thrown through WebAssembly frames skips their epilogues, so every
// such error would leak shadow stack (the instance died with "memory access
// out of bounds" after ~16k bad inputs). Instead:
//   - every binding method that can fail runs its body through catching()
//     and returns `undefined` on failure (the one failure value), its result
//     otherwise; the message is kept for the binding's lastError();
//   - a constructor cannot return a value: it runs through attempt() and the
//     binding's ok() says whether it was built (lastError() again).
// web/js/seam.js turns both into an Error thrown from plain JS. `too_large`
// names what to blame when memory runs out.
template <typename F>
bool attempt(std::string& error, const char* too_large, F&& f) {
  try {
    f();
    return true;
  } catch (const std::bad_alloc&) {
    error = std::string(too_large) + " is too large: out of WebAssembly memory";
  } catch (const std::length_error&) {
    error = std::string(too_large) + " is too large: out of WebAssembly memory";
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "bn-wasm: unknown C++ error";
  }
  return false;
}

template <typename F>
emscripten::val catching(std::string& error, const char* too_large, F&& f) {
  emscripten::val out = emscripten::val::undefined();   // the failure value
  attempt(error, too_large, [&] { out = emscripten::val(f()); });
  return out;
}

// A JS value as the option validators see it (bn/option_schema.hpp), read
// once: objects by their own enumerable keys, arrays and typed arrays entry
// by entry; anything else is kept as its description (validate.js describe()).
inline OptionValue option_value(const emscripten::val& v) {
  using emscripten::val;
  if (v.isUndefined()) return OptionValue{};
  if (v.isNull()) return OptionValue::null_value();
  if (v.isTrue() || v.isFalse()) return OptionValue::of(v.isTrue());
  if (v.isNumber()) return OptionValue::of(v.as<double>());
  if (v.isString()) return OptionValue::of(v.as<std::string>());
  const bool is_view = val::global("ArrayBuffer").call<bool>("isView", v);
  const bool is_list = is_view ? !v.instanceof(val::global("DataView"))
                               : val::global("Array").call<bool>("isArray", v);
  const std::string length = is_view ? val::global("String")(v["length"]).as<std::string>() : "";
  if (is_list) {
    OptionValue list;
    list.kind = OptionValue::Kind::list;
    if (is_view) list.text = "a " + v["constructor"]["name"].as<std::string>() + " of length " + length;
    const unsigned n = v["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) list.list.push_back(option_value(v[i]));
    return list;
  }
  if (is_view) return OptionValue::described("a DataView of length " + length);
  const std::string type = v.typeOf().as<std::string>();
  if (type != "object") return OptionValue::described("a " + type);
  OptionValue object;
  object.kind = OptionValue::Kind::object;
  const val keys = val::global("Object").call<val>("keys", v);
  const unsigned n = keys["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    const std::string key = keys[i].as<std::string>();
    object.fields.emplace_back(key, option_value(v[key]));
  }
  return object;
}

// A schema descriptor as a plain JS object (docs/api.md, "Option schema").
emscripten::val descriptor(const OptionSpec& spec);

// A fresh Float32Array copy of n floats at p.
inline emscripten::val float32_copy(const float* p, std::size_t n) {
  return emscripten::val::global("Float32Array")
      .new_(emscripten::val(emscripten::typed_memory_view(n, p)));
}
inline emscripten::val float32_copy(const std::vector<float>& v) {
  return float32_copy(v.data(), v.size());
}

// Raw pointers cross the JS boundary as byte addresses into the heap.
inline std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

}  // namespace bn::bindings
