#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "evidence.hpp"
#include "test_support.hpp"

extern char** environ;

namespace onboard::testsupport {

namespace {

std::string MakeTempDir(const char* what) {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/onboard-" +
                     what + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed: " + std::string(strerror(errno)));
  return buf.data();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The child's environment: ours without any ONBOARD_* variable, plus `env`.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "ONBOARD_", 8) != 0) out.emplace_back(*e);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

// fork/exec `bin args...`; stdin from /dev/null, stdout to out_path, stderr to err_path
// (or the same file). The child dies with the test process (PR_SET_PDEATHSIG).
pid_t Spawn(const std::string& bin, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env, const std::string& out_path,
            const std::string& err_path) {
  std::vector<std::string> argv_s{bin};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = ChildEnvironment(env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(strerror(errno)));
  if (pid == 0) {
    // Only async-signal-safe calls from here on.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int err =
        err_path.empty() ? out : ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(argv[0], argv.data(), envp.data());
    static const char kMsg[] =
        "test support: execve of the onboard-api binary failed (missing or being relinked?)\n";
    [[maybe_unused]] auto n = ::write(2, kMsg, sizeof(kMsg) - 1);
    ::_exit(127);
  }
  return pid;
}

// Waits for `pid` up to `timeout`; returns the exit code, 128+signal, or nullopt.
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  std::optional<int> code;
  WaitUntil(
      [&] {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
          code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
          return true;
        }
        if (r < 0 && errno == ECHILD) {
          code = -1;
          return true;
        }
        return false;
      },
      timeout, 5ms);
  return code;
}

std::string Tail(const std::string& text, std::size_t max_bytes) {
  return text.size() <= max_bytes ? text : "...\n" + text.substr(text.size() - max_bytes);
}

}  // namespace

CliResult RunCli(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout) {
  const std::string bin = RequireApiBinary();
  const std::string dir = MakeTempDir("cli");
  const pid_t pid = Spawn(bin, args, env, dir + "/out", dir + "/err");
  CliResult result;
  auto code = WaitFor(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    WaitFor(pid, 5s);
    ADD_FAILURE() << "onboard-api did not finish within " << timeout.count() << " ms";
  }
  result.exit_code = code.value_or(-1);
  result.out = ReadFile(dir + "/out");
  result.err = ReadFile(dir + "/err");
  std::filesystem::remove_all(dir);
  return result;
}

ApiProcess::ApiProcess(const std::string& database_url,
                       const std::map<std::string, std::string>& extra_env) {
  const std::string bin = RequireApiBinary();
  dir_ = MakeTempDir("api");
  log_path_ = dir_ + "/api.log";
  const std::string port_file = dir_ + "/port";
  std::map<std::string, std::string> env{
      {"ONBOARD_DATABASE_URL", database_url},
      {"ONBOARD_HTTP_HOST", "127.0.0.1"},
      {"ONBOARD_HTTP_PORT", "0"},
      {"ONBOARD_HTTP_PORT_FILE", port_file},
      {"ONBOARD_HTTP_SHUTDOWN_GRACE_S", "2"},
      {"ONBOARD_DATABASE_POOL_SIZE", "4"},
      // Required to serve: client secrets are stored under it. Tests that check the
      // stored hashes pass their own through extra_env.
      {"ONBOARD_SECRETS_PEPPER", kTestPepper},
      {"ONBOARD_SECRETS_KEK", kTestKek},
  };
  for (const auto& [k, v] : extra_env) env[k] = v;
  PhaseTimer timer("start onboard-api");
  pid_ = Spawn(bin, {"serve"}, env, log_path_, "");

  const bool bound =
      WaitUntil([&] { return std::filesystem::exists(port_file) || !running(); }, 30s);
  if (!bound || !running()) {
    const std::string why = !bound
                                ? "did not write its port file within 30 s"
                                : "exited with status " + std::to_string(exit_code_.value_or(-1));
    ADD_FAILURE() << "onboard-api " << why << "; its output:\n" << Tail(log(), 8000);
    if (running()) Kill();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw std::runtime_error("onboard-api did not start");
  }
  std::ifstream(port_file) >> port_;
  HttpClient client(port_);
  const bool healthy = WaitUntil(
      [&] {
        try {
          return client.Get("/healthz").status == 200;
        } catch (...) {
          return false;
        }
      },
      10s, 20ms);
  if (!healthy) {
    ADD_FAILURE() << "onboard-api on port " << port_
                  << " never answered GET /healthz with 200; its output:\n"
                  << Tail(log(), 8000);
    Kill();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw std::runtime_error("onboard-api is not healthy");
  }
}

ApiProcess::~ApiProcess() {
  if (running()) {
    // Every test that starts the service also checks that it shuts down cleanly.
    PhaseTimer timer("stop onboard-api");
    // Normally 0.3 s (at most ~1.3 s: serve.cpp bounds Poco's dispatcher idle wait to 1 s).
    const auto code = Terminate(5s);
    if (!code) {
      ADD_FAILURE() << "onboard-api (pid " << pid_
                    << ") did not exit within 5 s of SIGTERM; it was killed. "
                    << "Its output:\n"
                    << Tail(log(), 8000);
    } else if (*code != 0) {
      ADD_FAILURE() << "onboard-api (pid " << pid_ << ") exited with status " << *code
                    << " on SIGTERM. "
                    << "Its output:\n"
                    << Tail(log(), 8000);
    }
  }
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const bool failed = test != nullptr
                          ? ::testing::Test::HasFailure()
                          : ::testing::UnitTest::GetInstance()->current_test_suite() != nullptr &&
                                ::testing::UnitTest::GetInstance()->current_test_suite()->Failed();
  if (failed)
    std::cerr << "---- onboard-api output (pid " << pid_ << ") ----\n"
              << Tail(log(), 20000) << "----\n";
  evidence::KeepLog(log_path_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool ApiProcess::running() {
  if (exit_code_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::optional<int> ApiProcess::Reap(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  exit_code_ = WaitFor(pid_, timeout);
  return exit_code_;
}

std::optional<int> ApiProcess::Terminate(std::chrono::milliseconds timeout) {
  if (!running()) return exit_code_;
  ::kill(pid_, SIGTERM);
  auto code = Reap(timeout);
  if (!code) {
    Kill();
    return std::nullopt;
  }
  return code;
}

void ApiProcess::Kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  Reap(10s);
}

std::string ApiProcess::log() const { return ReadFile(log_path_); }

std::vector<Poco::JSON::Object::Ptr> ApiProcess::LogObjects() const {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::istringstream in(log());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() != '{') continue;
    try {
      Poco::JSON::Parser parser;
      auto v = parser.parse(line);
      if (v.type() == typeid(Poco::JSON::Object::Ptr))
        out.push_back(v.extract<Poco::JSON::Object::Ptr>());
    } catch (...) {
    }
  }
  return out;
}

std::vector<Poco::JSON::Object::Ptr> ApiProcess::AccessLog() const {
  std::vector<Poco::JSON::Object::Ptr> out;
  for (auto& o : LogObjects()) {
    if (o->optValue<std::string>("msg", "") == "access") out.push_back(o);
  }
  return out;
}

}  // namespace onboard::testsupport
