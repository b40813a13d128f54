// Helpers shared by the Embind bindings: the seam protocol (C++ errors ->
// the one failure value), JS values -> bn::OptionValue, and float arrays ->
// fresh JS Float32Array copies. The only place besides bindings_*.cpp that
// sees Emscripten.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <exception>
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
// The message for a caught exception: its what(), or, when memory ran out,
// "`too_large` is too large: out of WebAssembly memory".
std::string error_message(const std::exception& e, const char* too_large);

template <typename F>
bool attempt(std::string& error, const char* too_large, F&& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {   // the core throws nothing else (a catch (...)
    error = error_message(e, too_large);  // here would add ~12 KB to each module)
  }
  return false;
}

template <typename F>
emscripten::val catching(std::string& error, const char* too_large, F&& f) {
  try {
    return emscripten::val(f());
  } catch (const std::exception& e) {   // the core throws nothing else (a catch (...)
    error = error_message(e, too_large);  // here would add ~12 KB to each module)
  }
  return emscripten::val::undefined();   // the failure value
}

// A JS value as the option validators see it (bn/option_schema.hpp), read
// once: objects by their own enumerable keys, arrays and typed arrays entry
// by entry; anything else is kept as its description (validate.js describe()).
OptionValue option_value(const emscripten::val& v);

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
