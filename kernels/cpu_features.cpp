// Own runtime ISA detection: CPUID feature bits AND the register state the OS enabled in XCR0.
// xsimd 8.1's dispatcher is not used: it reads AVX from the wrong CPUID leaf and never checks that the
// OS saves AVX-512 state (both fixed only in later xsimd releases), so it can pick code that faults.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernels/series.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace hs::kernels {
namespace {

#if defined(__x86_64__) || defined(__i386__)
struct X86Features {
  bool sse2 = false, avx2 = false, avx512f = false;
};

std::uint64_t read_xcr0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

X86Features detect() {
  X86Features f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  f.sse2 = (d & bit_SSE2) != 0;
  const bool osxsave = (c & bit_OSXSAVE) != 0;
  const bool avx = (c & bit_AVX) != 0;
  const std::uint64_t xcr0 = osxsave ? read_xcr0() : 0;
  const bool os_ymm = (xcr0 & 0x6) == 0x6;    // SSE and AVX state
  const bool os_zmm = (xcr0 & 0xe6) == 0xe6;  // plus opmask, ZMM_Hi256, Hi16_ZMM
  unsigned a7 = 0, b7 = 0, c7 = 0, d7 = 0;
  if (__get_cpuid_count(7, 0, &a7, &b7, &c7, &d7)) {
    f.avx2 = avx && os_ymm && (b7 & bit_AVX2) != 0;
    f.avx512f = avx && os_zmm && (b7 & bit_AVX512F) != 0;
  }
  return f;
}
#endif

// HYPERSLICE_DISABLE_ISA="avx512,avx2" makes this process act as if its CPU lacked those ISAs: to test
// fallbacks, and how a cluster of mixed machines behaves, on one machine.
bool disabled_by_environment(Isa isa) noexcept {
  const char* env = std::getenv("HYPERSLICE_DISABLE_ISA");
  if (!env) return false;
  std::string_view list(env);
  const std::string_view want = name(isa);
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == want) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool isa_supported(Isa isa) noexcept {
  if (isa != Isa::scalar && disabled_by_environment(isa)) return false;
#if defined(__x86_64__) || defined(__i386__)
  static const X86Features f = detect();
  switch (isa) {
    case Isa::scalar:
      return true;
    case Isa::sse2:
      return f.sse2;
    case Isa::avx2:
      return f.avx2;
    case Isa::avx512:
      return f.avx512f;
  }
  return false;
#else
  return isa == Isa::scalar;
#endif
}

Isa best_isa() noexcept {
  for (Isa isa : {Isa::avx512, Isa::avx2, Isa::sse2})
    if (isa_supported(isa)) return isa;
  return Isa::scalar;
}

}  // namespace hs::kernels
