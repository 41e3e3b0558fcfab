// Own runtime ISA detection. x86: CPUID feature bits AND the register state the OS enabled in XCR0.
// aarch64: the kernel's hardware capabilities in the auxiliary vector (getauxval(AT_HWCAP), HWCAP_ASIMD),
// not an instruction: the ID registers are readable only from EL1 unless the kernel emulates MRS.
// xsimd 8.1's dispatcher is not used: it reads AVX from the wrong CPUID leaf and never checks that the
// OS saves AVX-512 state (both fixed only in later xsimd releases), so it can pick code that faults.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernels/series.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace hs::kernels {
namespace {

// One member per "CPU feature" column of kernels/isa_table.hpp; false unless this CPU and OS have it.
struct CpuFeatures {
  bool always = true;
  bool sse2 = false, avx2 = false, avx512f = false;  // x86
  bool asimd = false;                                // aarch64: Advanced SIMD (NEON) with doubles
};

#if defined(__x86_64__) || defined(__i386__)

std::uint64_t read_xcr0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

CpuFeatures detect() {
  CpuFeatures f;
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
#elif defined(__aarch64__)
CpuFeatures detect() {
  CpuFeatures f;
  // Advanced SIMD is part of every ARMv8-A CPU that Linux runs on; the kernel's word is still the one taken.
  f.asimd = (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
  return f;
}
#else
CpuFeatures detect() { return {}; }
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

bool has_feature(const CpuFeatures& f, Isa isa) noexcept {
#define HYPERSLICE_ISA_FEATURE(row, arch, flags, feature) \
  case Isa::row:                                          \
    return f.feature;
  switch (isa) { HYPERSLICE_ISA_TABLE(HYPERSLICE_ISA_FEATURE) }
#undef HYPERSLICE_ISA_FEATURE
  return false;
}

}  // namespace

bool isa_supported(Isa isa) noexcept {
  if (isa != Isa::scalar && disabled_by_environment(isa)) return false;
  const auto& compiled = all_isas();
  if (std::find(compiled.begin(), compiled.end(), isa) == compiled.end()) return false;
  static const CpuFeatures f = detect();
  return has_feature(f, isa);
}

Isa best_isa() noexcept {
  const auto& isas = all_isas();
  for (auto it = isas.rbegin(); it != isas.rend(); ++it)
    if (isa_supported(*it)) return *it;
  return Isa::scalar;
}

}  // namespace hs::kernels
