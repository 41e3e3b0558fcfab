// Kernel microbenchmarks: every kernel x ISA x accumulation (plain: lanes summed without compensation;
// compensated: what `run` ships, exact accumulator included), in terms/s per core, beside the two
// ceilings measured in this same binary for the same vector width: the divider probe and the
// add/multiply probe (bench/kernel_report.py divides them by each kernel's operations per term).
//
//   build/release/bench/kernels_bench --benchmark_min_time=0.5 --benchmark_out=bench.json
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "bench/divider_probe.hpp"
#include "kernels/series.hpp"

using namespace hs::kernels;

namespace {

std::map<Isa, double> g_divider;  // divisions/s per ISA, measured at start-up
std::map<Isa, double> g_addmul;   // adds + multiplies/s per ISA

double probe(Isa isa, std::uint64_t iterations) {
  switch (isa) {
    case Isa::scalar:
      return hs::bench::probe_scalar(iterations);
    case Isa::sse2:
      return hs::bench::probe_sse2(iterations);
    case Isa::avx2:
      return hs::bench::probe_avx2(iterations);
    case Isa::avx512:
      return hs::bench::probe_avx512(iterations);
  }
  return 0;
}

double addmul_probe(Isa isa, std::uint64_t iterations) {
  switch (isa) {
    case Isa::scalar:
      return hs::bench::addmul_probe_scalar(iterations);
    case Isa::sse2:
      return hs::bench::addmul_probe_sse2(iterations);
    case Isa::avx2:
      return hs::bench::addmul_probe_avx2(iterations);
    case Isa::avx512:
      return hs::bench::addmul_probe_avx512(iterations);
  }
  return 0;
}

double divisions_per_term(Kernel k) {
  return k == Kernel::leibniz_paired ? 0.5 : k == Kernel::leibniz_grouped ? 0.125 : 1.0;
}

// Adds and multiplies per term in the compensated hot loop (kernels/lane_loop.hpp), counted by hand:
// per item the term's own, plus the base offset, the group add and a quarter of Fast2Sum's four.
double addmul_per_term(Kernel k) {
  switch (k) {
    case Kernel::leibniz:
      return 3.0;  // 0 in the term + 3
    case Kernel::leibniz_paired:
      return 2.5;  // (2 + 3) per pair
    case Kernel::leibniz_grouped:
      return 23.0 / 8;  // (10 adds + 10 multiplies + 3) per octet
    case Kernel::midpoint:
      return 6.0;  // 3 in the term + 3
  }
  return 0;
}

void BM_DividerProbe(benchmark::State& state, Isa isa) {
  double rate = 0;
  for (auto _ : state) rate = probe(isa, 1u << 20);
  state.counters["div/s"] = rate;
}

void BM_AddMulProbe(benchmark::State& state, Isa isa) {
  double rate = 0;
  for (auto _ : state) rate = addmul_probe(isa, 1u << 20);
  state.counters["addmul/s"] = rate;
}

void BM_Kernel(benchmark::State& state, Kernel k, Isa isa, Accumulation acc) {
  // Blocks far from the start: the fast path that dominates any long run (not the precise first 2^20).
  constexpr std::uint64_t kTerms = std::uint64_t{1} << 40;
  constexpr std::uint64_t kFirstBlock = (std::uint64_t{1} << 30) / kBlockTerms;
  constexpr std::uint64_t kBlocksPerIter = 16;
  const SeriesKernel sk(k, kTerms, isa, acc);
  ExactAccumulator total;
  std::uint64_t b = kFirstBlock;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < kBlocksPerIter; ++i) sk.sum_block(b++, total);
  }
  benchmark::DoNotOptimize(total.round());
  const double terms = static_cast<double>(state.iterations() * kBlocksPerIter * kBlockTerms);
  state.counters["terms/s"] = benchmark::Counter(terms, benchmark::Counter::kIsRate);
  state.counters["div/s"] = benchmark::Counter(terms * divisions_per_term(k), benchmark::Counter::kIsRate);
  state.counters["addmul/s"] = benchmark::Counter(terms * addmul_per_term(k), benchmark::Counter::kIsRate);
  state.counters["divider_probe"] = g_divider[isa];
  state.counters["addmul_probe"] = g_addmul[isa];
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (Isa isa : all_isas()) {
    if (!isa_supported(isa)) continue;
    probe(isa, 1u << 18);  // warm up
    g_divider[isa] = probe(isa, 1u << 23);
    addmul_probe(isa, 1u << 18);
    g_addmul[isa] = addmul_probe(isa, 1u << 23);
    benchmark::RegisterBenchmark(("divider_probe/" + std::string(name(isa))).c_str(), BM_DividerProbe, isa);
    benchmark::RegisterBenchmark(("addmul_probe/" + std::string(name(isa))).c_str(), BM_AddMulProbe, isa);
  }
  for (Kernel k : all_kernels())
    for (Isa isa : all_isas()) {
      if (!isa_supported(isa)) continue;
      for (Accumulation a : {Accumulation::plain, Accumulation::compensated}) {
        const std::string bm = std::string(name(k)) + "/" + std::string(name(isa)) + "/" + std::string(name(a));
        benchmark::RegisterBenchmark(bm.c_str(), BM_Kernel, k, isa, a)->Unit(benchmark::kMicrosecond);
      }
    }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
