#pragma once

// A background program for the delivery tests (onboard-courier, onboard-dev-sms, Prism,
// aiosmtpd): started with exactly the given environment, its stdout and stderr in one log
// file, stopped with SIGTERM (or SIGKILL) and reaped. The child dies with the test process.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace onboard::testsupport {

class ChildProcess {
 public:
  /// Starts `argv` (argv[0] an absolute path) with the test's environment minus every
  /// ONBOARD_* variable, plus `env`. Throws std::runtime_error when fork fails.
  ChildProcess(std::string name, std::vector<std::string> argv,
               const std::map<std::string, std::string>& env);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::string& name() const noexcept { return name_; }
  pid_t pid() const noexcept { return pid_; }
  bool running();
  /// SIGTERM, then waits; SIGKILL when it does not exit within `timeout`. Returns the exit
  /// code (128+signal when killed), nullopt when it had to be killed.
  std::optional<int> Terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void Kill();
  /// Everything it wrote so far.
  std::string log() const;
  const std::string& log_path() const noexcept { return log_path_; }
  /// A private temporary directory that lives as long as this object (port files).
  const std::string& dir() const noexcept { return dir_; }
  /// Waits for a file holding a port number (or for the process to die); 0 on failure.
  int WaitForPortFile(const std::string& path, std::chrono::milliseconds timeout);

 private:
  std::string name_;
  std::string dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

/// A loopback TCP port that nothing listens on right now (bind to port 0, then close).
int FreeLoopbackPort();

/// True once something accepts TCP connections on 127.0.0.1:`port`.
bool PortAccepts(int port);

}  // namespace onboard::testsupport
