#include "allocations.hpp"

#include <cstdlib>
#include <new>

namespace {
std::uint64_t g_allocations = 0;
}

namespace testing {
std::uint64_t allocations() { return g_allocations; }
}  // namespace testing

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
