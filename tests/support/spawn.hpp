#pragma once

// What the test programs that start other programs share (ApiProcess and RunCli in
// process.cpp, ChildProcess, RunProgram): a private temporary directory, fork/exec with the
// standard streams sent to files, and reaping.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace onboard::testsupport {

/// A new directory $TMPDIR/onboard-<what>-XXXXXX (/tmp without TMPDIR) only we can enter.
/// Throws std::runtime_error when mkdtemp fails.
std::string MakePrivateTempDir(const std::string& what);

/// Everything in the file at `path`; "" when it cannot be read.
std::string ReadWholeFile(const std::string& path);

/// The test's environment without any ONBOARD_* variable, plus `env`, as NAME=value entries.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env);

struct SpawnOptions {
  std::vector<std::string> argv;  ///< argv[0] is an absolute path
  std::vector<std::string> env;   ///< the child's whole environment, NAME=value entries
  std::string out_path;           ///< stdout is appended to this file (made 0600)
  std::string err_path;           ///< stderr likewise; empty: the same file as stdout
  /// setpgid(0, 0): a signal to -pid reaches what the child starts (node's children).
  bool own_process_group = false;
  /// Written to the child's stderr when execve fails (exit status 127).
  std::string exec_failure = "test support: execve failed\n";
};

/// fork + execve: stdin from /dev/null, no blocked signals, SIGTERM/SIGINT/SIGPIPE at their
/// defaults; the child dies with the test process (PR_SET_PDEATHSIG). Throws
/// std::runtime_error when fork fails.
pid_t Spawn(const SpawnOptions& options);

/// True while `pid` runs. Once it has exited it is reaped and its exit code (128+signal when
/// a signal ended it) kept in `exit_code`; with `exit_code` already set, false at once.
bool StillRunning(pid_t pid, std::optional<int>& exit_code);

/// Waits up to `timeout` for `pid` to exit and reaps it: its exit code, 128+signal, -1 when
/// it is not our child (any more), or nullopt when it still runs.
std::optional<int> WaitForExit(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace onboard::testsupport
