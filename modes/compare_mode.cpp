// `hyperslice compare OLD NEW`: rank 0 reads two checks' JSON (check/compare.hpp) and prints each
// metric's change and its significance; the other ranks (if any) only agree on a bad file's error.
#include "base/user_error.hpp"
#include "check/compare.hpp"
#include "job/gather.hpp"
#include "modes/modes.hpp"

namespace hs::modes {

Outcome compare_mode(const CompareModeOptions& o, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  check::Baseline before, after;
  std::string problem;
  if (rank == 0) try {
      before = check::read_check_json("compare", o.before);
      after = check::read_check_json("compare", o.after);
    } catch (const UserError& e) {
      problem = e.what();
    }
  if (const auto verdict = job::agree(comm, problem); !verdict.empty()) throw UserError(verdict);
  if (rank != 0) return Outcome::ok;
  const auto report = check::compare(before, after, o.compare);
  print_report(o.output, topology::Machine::this_host(), check::to_json(report), check::to_text(report), 1);
  return report.regressions > 0 ? Outcome::check_failed : Outcome::ok;
}

}  // namespace hs::modes
