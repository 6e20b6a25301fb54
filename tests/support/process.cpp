#include <signal.h>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "evidence.hpp"
#include "spawn.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

namespace {

// `bin args...` with the test's environment minus ONBOARD_*, plus `env`; stdout to
// out_path, stderr to err_path (or the same file).
SpawnOptions ApiSpawn(const std::string& bin, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const std::string& out_path,
                      const std::string& err_path) {
  SpawnOptions o;
  o.argv = {bin};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.env = ChildEnvironment(env);
  o.out_path = out_path;
  o.err_path = err_path;
  o.exec_failure =
      "test support: execve of the onboard-api binary failed (missing or being relinked?)\n";
  return o;
}

std::string Tail(const std::string& text, std::size_t max_bytes) {
  return text.size() <= max_bytes ? text : "...\n" + text.substr(text.size() - max_bytes);
}

}  // namespace

CliResult RunCli(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout) {
  const std::string bin = RequireApiBinary();
  const std::string dir = MakePrivateTempDir("cli");
  const pid_t pid = Spawn(ApiSpawn(bin, args, env, dir + "/out", dir + "/err"));
  CliResult result;
  auto code = WaitForExit(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    WaitForExit(pid, 5s);
    ADD_FAILURE() << "onboard-api did not finish within " << timeout.count() << " ms";
  }
  result.exit_code = code.value_or(-1);
  result.out = ReadWholeFile(dir + "/out");
  result.err = ReadWholeFile(dir + "/err");
  std::filesystem::remove_all(dir);
  return result;
}

ApiProcess::ApiProcess(const std::string& database_url,
                       const std::map<std::string, std::string>& extra_env) {
  const std::string bin = RequireApiBinary();
  dir_ = MakePrivateTempDir("api");
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
  pid_ = Spawn(ApiSpawn(bin, {"serve"}, env, log_path_, ""));

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

bool ApiProcess::running() { return StillRunning(pid_, exit_code_); }

std::optional<int> ApiProcess::Reap(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  exit_code_ = WaitForExit(pid_, timeout);
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

std::string ApiProcess::log() const { return ReadWholeFile(log_path_); }

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
