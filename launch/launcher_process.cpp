// The launcher process and its stderr, found through /proc (Linux).
#include "launch/launcher_process.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace hs::launch {
namespace {

std::string comm_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

int parent_of(int pid) {
  // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces or parentheses, so read after the last ')'.
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  char state = 0;
  int ppid = 0;
  if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return 0;
  return ppid;
}

bool is_launcher(std::string_view comm) {
  // comm is at most 15 characters: "mpiexec.openmpi", "mpiexec.hydra", "mpiexec.mpich", "orterun", "mpirun".
  return comm == "mpirun" || comm == "orterun" || comm == "prterun" || comm.substr(0, 7) == "mpiexec";
}

// Processes past which no launcher of this job can be: Open MPI's remote daemon (local ranks are
// mpirun's own children), Slurm's step daemon, sshd (a Hydra proxy started on another node) or init.
// Hydra's local proxy, hydra_pmi_proxy, is mpiexec's child: the walk goes through it.
bool is_boundary(std::string_view comm) {
  return comm == "orted" || comm == "prted" || comm == "slurmstepd" || comm == "sshd" || comm == "systemd" ||
         comm == "init";
}

}  // namespace

bool fd_is_terminal(int pid, int fd) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return false;  // a file, pipe or socket
  // A character device: a terminal or something like /dev/null. Opening it cannot make it this
  // process's controlling terminal (O_NOCTTY) nor block (O_NONBLOCK).
  const int d = open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (d < 0) return false;
  const bool tty = isatty(d) == 1;
  close(d);
  return tty;
}

std::optional<LauncherProcess> launcher_process() {
  int pid = getppid();
  for (int depth = 0; depth < 4 && pid > 1; ++depth) {
    std::string comm = comm_of(pid);
    if (is_launcher(comm)) return LauncherProcess{pid, std::move(comm)};
    if (is_boundary(comm)) break;
    pid = parent_of(pid);
  }
  return std::nullopt;
}

bool output_reaches_a_terminal() {
  if (const auto l = launcher_process()) return fd_is_terminal(l->pid, STDERR_FILENO);
  return isatty(STDERR_FILENO) == 1;
}

}  // namespace hs::launch
