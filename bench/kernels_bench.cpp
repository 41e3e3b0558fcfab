// Kernel microbenchmarks: every kernel x ISA x accumulation (plain: lanes summed without compensation;
// compensated: what `run` ships, exact accumulator included), in terms/s per core, and as a fraction of
// the divider probe measured in this same binary for the same vector width.
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

double divisions_per_term(Kernel k) { return k == Kernel::leibniz_paired ? 0.5 : 1.0; }

void BM_DividerProbe(benchmark::State& state, Isa isa) {
  double rate = 0;
  for (auto _ : state) rate = probe(isa, 1u << 20);
  state.counters["div/s"] = rate;
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
  state.counters["divider_probe"] = g_divider[isa];
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (Isa isa : all_isas()) {
    if (!isa_supported(isa)) continue;
    probe(isa, 1u << 18);  // warm up
    g_divider[isa] = probe(isa, 1u << 23);
    benchmark::RegisterBenchmark(("divider_probe/" + std::string(name(isa))).c_str(), BM_DividerProbe, isa);
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
