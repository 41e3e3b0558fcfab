// fd_is_terminal through /proc: a pseudo-terminal is one; a pipe, a file and /dev/null are not.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <cstdio>

#include "launch/launcher_process.hpp"

using hs::launch::fd_is_terminal;

TEST(Terminal, OnlyATerminalIsOne) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  EXPECT_TRUE(fd_is_terminal(getpid(), slave));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_FALSE(fd_is_terminal(getpid(), pipe_fds[1]));
  const int null = open("/dev/null", O_WRONLY);
  EXPECT_FALSE(fd_is_terminal(getpid(), null));
  std::FILE* file = std::tmpfile();
  EXPECT_FALSE(fd_is_terminal(getpid(), fileno(file)));
  EXPECT_FALSE(fd_is_terminal(getpid(), 1000));  // not open
  EXPECT_FALSE(fd_is_terminal(999999999, 2));    // no such process
  for (int fd : {master, slave, pipe_fds[0], pipe_fds[1], null}) close(fd);
  std::fclose(file);
}
