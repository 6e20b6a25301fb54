#include "child_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "spawn.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

ChildProcess::ChildProcess(std::string name, std::vector<std::string> argv_in,
                           const std::map<std::string, std::string>& env)
    : name_(std::move(name)) {
  dir_ = MakePrivateTempDir(name_);
  log_path_ = dir_ + "/" + name_ + ".log";
  SpawnOptions options;
  options.argv = std::move(argv_in);
  options.env = ChildEnvironment(env);
  options.out_path = log_path_;
  options.own_process_group = true;
  pid_ = Spawn(options);
}

ChildProcess::~ChildProcess() {
  if (running()) Terminate(std::chrono::seconds(5));
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool ChildProcess::running() { return StillRunning(pid_, exit_code_); }

std::optional<int> ChildProcess::Terminate(std::chrono::milliseconds timeout) {
  if (!running()) return exit_code_;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  if (WaitUntil([&] { return !running(); }, timeout, std::chrono::milliseconds(5)))
    return exit_code_;
  Kill();
  return std::nullopt;
}

void ChildProcess::Kill() {
  if (!running()) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  WaitUntil([&] { return !running(); }, std::chrono::seconds(10), std::chrono::milliseconds(5));
}

std::string ChildProcess::log() const { return ReadWholeFile(log_path_); }

int ChildProcess::WaitForPortFile(const std::string& path, std::chrono::milliseconds timeout) {
  int port = 0;
  WaitUntil(
      [&] {
        std::ifstream in(path);
        if (in >> port && port > 0) return true;
        port = 0;
        return !running();
      },
      timeout, std::chrono::milliseconds(10));
  return port;
}

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool PortAccepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace onboard::testsupport
