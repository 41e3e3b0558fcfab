// The launcher process above a rank on its host (mpirun, mpiexec), seen through /proc: who sent a
// signal, and whether a person watches the job's output.
#pragma once

#include <optional>
#include <string>

namespace hs::launch {

struct LauncherProcess {
  int pid = 0;
  std::string name;  // its comm: "mpirun", "mpiexec.hydra", ...
};

// The nearest launcher among this rank's ancestors (at most 4 up: Hydra puts its proxy in between),
// stopping at Open MPI's remote daemon (orted), Slurm's slurmstepd, sshd or init: none for a
// singleton, srun's tasks, or a rank on a node other than the launcher's.
std::optional<LauncherProcess> launcher_process();

// Whether a rank's stderr finally lands on a terminal (someone may be watching), as far as it can see.
// Open MPI 4.1 gives every local rank a pseudo-terminal as stdout whatever mpirun's stdout is, and a
// pipe as stderr; Hydra gives pipes. So a rank's own descriptors do not tell whether the job writes to
// a terminal or a log: with a launcher above it, its stderr (/proc/PID/fd/2) decides; without one, the
// rank's own stderr (a terminal under srun only with --pty).
bool output_reaches_a_terminal();

// Whether the file descriptor `fd` of process `pid` is a terminal (false when it cannot be seen).
bool fd_is_terminal(int pid, int fd);

}  // namespace hs::launch
