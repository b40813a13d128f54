// Every allocation of the test binary is counted (allocations.cpp replaces
// operator new), so a test can show that steady-state calls allocate nothing.
#pragma once

#include <cstdint>

namespace testing {

// operator new calls so far.
std::uint64_t allocations();

}  // namespace testing
