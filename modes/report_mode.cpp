// `hyperslice report FILE.json... --html OUT`: rank 0 reads every file (report/report.hpp recognises
// each: check, bench, topology, hello, a sweep's results.json) and writes the one page; the other ranks
// (if any) only agree on a bad file's error.
#include "base/user_error.hpp"
#include "job/gather.hpp"
#include "modes/modes.hpp"

namespace hs::modes {

void report_mode(const ReportModeOptions& o, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::vector<report::Document> docs;
  std::string problem = rank == 0 ? html_problem(o.html) : "";
  if (rank == 0 && problem.empty()) try {
      for (const auto& f : o.files) docs.push_back(report::read_document("report", f));
    } catch (const UserError& e) {
      problem = e.what();
    }
  if (const auto verdict = job::agree(comm, problem); !verdict.empty()) throw UserError(verdict);
  if (rank == 0) write_html(o.html, docs);
}

}  // namespace hs::modes
