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

#include "bn/norm_layout.hpp"
#include "bn/option_schema.hpp"

namespace bn::bindings {

// THE SEAM PROTOCOL. Errors never cross into JavaScript as exceptions: a JS
// exception thrown through WebAssembly frames skips their epilogues, so every
// such error would leak shadow stack (the instance died with "memory access
// out of bounds" after ~16k bad inputs). Instead:
//   - a binding method that returns a heap address (the hot calls: staging,
//     forward, backward) runs its body through catching_address() and
//     returns 0 on failure (no buffer lives at address 0): a plain number,
//     so the hot path allocates no JS value;
//   - every other binding method that can fail runs its body through
//     catching() and returns `undefined` on failure, its result otherwise;
//   - either way the message is kept for the binding's lastError();
//   - a constructor cannot return a value: it runs through attempt() and the
//     binding's ok() says whether it was built (lastError() again).
// web/js/seam.js turns each into an Error thrown from plain JS.
//
// Running out of memory (std::bad_alloc, or std::length_error from a
// container) gives a message that starts with kOutOfMemory and names
// `for_what` (what was being allocated); web/js/seam.js adds how much of
// the heap is in use and by how many live objects.
inline constexpr const char kOutOfMemory[] = "out of WebAssembly memory";
std::string error_message(const std::exception& e, const char* for_what);

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
std::uintptr_t catching_address(std::string& error, const char* for_what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    error = error_message(e, for_what);
  }
  return 0;   // the failure value of an address
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

// SIZES. A count arrives from JS as a double (an `int` parameter would wrap
// 2^32 + 2 to 2 on the way in) and is checked here before any arithmetic.
// The most values one buffer (an input, a parameter vector) may hold: any
// product of sizes then fits an int, and the bytes of 8 such float buffers a
// 32-bit size_t (2^27 in WebAssembly); web/js/seam.js reads the same figure
// (maxElements()) to check first, with the same messages.
double max_elements();
// `value` as an int after checking it is a count whose product with `per`
// (values per unit, named per_label: "features"; 1 and nullptr for a plain
// size) is at most max_elements(); else std::invalid_argument with the
// message web/js/seam-args.js gives too ("batch must be an integer in
// [1, 33554431] for 4 features, got 4294967298 (batch × features = ...)").
int count_argument(const char* name, double value, double per = 1, const char* per_label = nullptr);

// A layer's input shape from JS (an array of 1 to bn::kMaxRank integers,
// each in [1, max_elements()]; web/js/shaped-layer.js checks it first), or
// std::invalid_argument naming `shape`. The core checks the product.
Shape shape_argument(const emscripten::val& v);

}  // namespace bn::bindings
