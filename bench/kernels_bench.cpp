// Kernel microbenchmarks: every kernel x ISA x accumulation (plain: lanes summed without compensation;
// compensated: what `run` ships, exact accumulator included), in terms/s per core, beside the two
// ceilings measured in this same binary for the same vector width: the divider probe and the
// add/multiply probe (bench/kernel_report.py divides them by each kernel's operations per term).
//
//   build/release/bench/kernels_bench --benchmark_min_time=0.5 --benchmark_out=bench.json
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "kernels/probes.hpp"
#include "kernels/series.hpp"

using namespace hs::kernels;

// Counters follow Google Benchmark's conventions: items_per_second (SetItemsProcessed) is the headline
// rate -- terms for kernels, divisions or adds+multiplies for the probes -- and the other counters are
// named for what they count, with kIsRate making them "/s" in the console and per second in JSON.
namespace {

std::map<Isa, double> g_divider;  // divisions/s per ISA, measured at start-up
std::map<Isa, double> g_addmul;   // adds + multiplies/s per ISA

double rate(const Timed& t) { return t.seconds > 0 ? t.work / t.seconds : 0; }

void BM_DividerProbe(benchmark::State& state, Isa isa) {
  double work = 0;
  for (auto _ : state) work += divider_probe(isa, 1u << 20).work;
  state.SetItemsProcessed(static_cast<std::int64_t>(work));
}

void BM_AddMulProbe(benchmark::State& state, Isa isa) {
  double work = 0;
  for (auto _ : state) work += addmul_probe(isa, 1u << 20).work;
  state.SetItemsProcessed(static_cast<std::int64_t>(work));
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
  state.SetItemsProcessed(static_cast<std::int64_t>(terms));
  state.counters["divisions"] = benchmark::Counter(terms * divisions_per_term(k), benchmark::Counter::kIsRate);
  state.counters["adds_multiplies"] = benchmark::Counter(terms * addmul_per_term(k), benchmark::Counter::kIsRate);
  state.counters["divider_probe"] = g_divider[isa];  // divisions/s, measured once at start-up
  state.counters["addmul_probe"] = g_addmul[isa];    // adds + multiplies/s
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (Isa isa : all_isas()) {
    if (!isa_supported(isa)) continue;
    divider_probe(isa, 1u << 18);  // warm up
    g_divider[isa] = rate(divider_probe(isa, 1u << 23));
    addmul_probe(isa, 1u << 18);
    g_addmul[isa] = rate(addmul_probe(isa, 1u << 23));
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
