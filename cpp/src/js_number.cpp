// js_number(x): JavaScript's String(x), exactly, without printf or strtod
// (which would add ~20 KB to each WebAssembly build for a few messages).
//
// ECMAScript Number::toString: the shortest digit string s (k digits, the
// nearest to x among those of that length) whose value s x 10^(n-k) reads
// back as x; then plain notation for -7 < n - 1 < 21, else d.ddde+X.
// "Reads back as x" means: within x's rounding interval, the two midpoints to
// its neighbours, included when x's mantissa is even (round half to even).
// All exact, in decimal: x = m 2^e, so with F = 2^(e-2) (or 5^(2-e) / 10^(2-e)
// for e < 2) the interval ends and x are the integers (4m -+ 1 or 2) F and
// 4m F, held in base 10^9 so that their decimal digits are at hand.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bn/option_schema.hpp"

namespace bn {
namespace {

using Big = std::vector<std::uint32_t>;   // base 10^9, least significant limb first
constexpr std::uint32_t kLimb = 1000000000u;

Big big(std::uint64_t v) {
  Big b;
  do {
    b.push_back(static_cast<std::uint32_t>(v % kLimb));
    v /= kLimb;
  } while (v != 0);
  return b;
}

void multiply(Big& b, std::uint32_t factor) {   // factor < 2^32
  std::uint64_t carry = 0;
  for (std::uint32_t& limb : b) {
    const std::uint64_t t = static_cast<std::uint64_t>(limb) * factor + carry;
    limb = static_cast<std::uint32_t>(t % kLimb);
    carry = t / kLimb;
  }
  while (carry != 0) {
    b.push_back(static_cast<std::uint32_t>(carry % kLimb));
    carry /= kLimb;
  }
}

// v * base^power, exactly (base 2 or 5).
Big scaled(std::uint64_t v, std::uint32_t base, int power) {
  Big b = big(v);
  const std::uint32_t step = base == 2 ? (1u << 30) : 1220703125u;   // 2^30, 5^13
  const int per_step = base == 2 ? 30 : 13;
  for (; power >= per_step; power -= per_step) multiply(b, step);
  std::uint32_t rest = 1;
  for (; power > 0; --power) rest *= base;
  multiply(b, rest);
  return b;
}

std::string decimal(const Big& b) {
  std::string s = std::to_string(b.back());
  for (std::size_t i = b.size() - 1; i-- > 0;) {
    const std::string limb = std::to_string(b[i]);
    s += std::string(9 - limb.size(), '0') + limb;
  }
  return s;
}

// a <=> b for non-negative integers written in decimal without leading zeros.
int compare(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return std::strcmp(a.c_str(), b.c_str()) < 0 ? -1 : (a == b ? 0 : 1);
}

// x cut to `keep` significant digits, then (up) plus one in the last kept
// digit; as an integer of the same scale (one more digit after a carry).
std::string cut(const std::string& x, std::size_t keep, bool up) {
  std::string head = x.substr(0, keep);
  if (up) {
    std::size_t i = head.size();
    while (i > 0 && head[i - 1] == '9') head[--i] = '0';
    if (i == 0) head.insert(head.begin(), '1');
    else ++head[i - 1];
  }
  return head + std::string(x.size() - keep, '0');
}

// Whether x cut to `keep` digits is nearer rounded up (half to even).
bool rounds_up(const std::string& x, std::size_t keep) {
  const char first = x[keep];
  const bool rest_zero = x.find_first_not_of('0', keep + 1) == std::string::npos;
  return first > '5' || (first == '5' && (!rest_zero || (x[keep - 1] - '0') % 2 == 1));
}

}  // namespace

std::string js_number(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0.0) return "0";
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
  int e = -1074;
  if (biased != 0) {
    m |= std::uint64_t{1} << 52;
    e = biased - 1075;
  }
  // The interval [lo, hi] around x, all times 2^(e-2); the lower neighbour of
  // a power of two is half as far.
  const std::uint64_t below = (m == (std::uint64_t{1} << 52) && biased > 1) ? 1 : 2;
  const int j = e - 2;
  const auto at_scale = [j](std::uint64_t v) { return decimal(j >= 0 ? scaled(v, 2, j) : scaled(v, 5, -j)); };
  const std::string lo = at_scale(4 * m - below), mid = at_scale(4 * m), hi = at_scale(4 * m + 2);
  const bool inclusive = m % 2 == 0;
  const auto inside = [&](const std::string& c) {
    const int a = compare(lo, c), b = compare(c, hi);
    return (a < 0 || (inclusive && a == 0)) && (b < 0 || (inclusive && b == 0));
  };
  // The shortest length with a candidate inside; of its two candidates
  // (x cut, and cut + 1), the nearer to x first.
  std::string digits = mid;   // x itself, if nothing shorter is inside
  bool found = false;
  for (std::size_t keep = 1; keep < mid.size() && !found; ++keep) {
    const bool up = rounds_up(mid, keep);
    for (const bool side : {up, !up}) {
      const std::string c = cut(mid, keep, side);
      if (!found && inside(c)) {
        digits = c;
        found = true;
      }
    }
  }
  // digits is an integer of the scale 10^(-fraction): x ~ digits / 10^fraction.
  const int fraction = j >= 0 ? 0 : -j;
  const int n = static_cast<int>(digits.size()) - fraction;   // x = 0.d1d2... x 10^n
  digits.erase(digits.find_last_not_of('0') + 1);
  const int k = static_cast<int>(digits.size());
  std::string out = x < 0 ? "-" : "";
  if (k <= n && n <= 21) {   // an integer: digits, then zeros
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {   // ddd.ddd
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {   // 0.000ddd
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {   // d.ddde+X
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace bn
