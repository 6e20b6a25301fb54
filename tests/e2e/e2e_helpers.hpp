#pragma once

#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>

#include <map>
#include <memory>
#include <string>

#include "test_support.hpp"

namespace onboard::testsupport {

/// One running onboard-api on its own database, with a token per role.
struct ApiEnv {
  std::unique_ptr<TempDatabase> db;
  std::unique_ptr<ApiProcess> api;
  std::unique_ptr<HttpClient> http;
  TestToken op;
  TestToken auditor;
  TestToken provider;
  TestToken portal;

  static std::unique_ptr<ApiEnv> Start(const std::map<std::string, std::string>& env = {});

  /// Operator call.
  HttpResponse Op(const std::string& method, const std::string& path,
                  const std::optional<std::string>& body = std::nullopt, Headers more = {}) const;
  /// Portal call acting for `orgno` as portal user "kari".
  HttpResponse Portal(const std::string& orgno, const std::string& method, const std::string& path,
                      const std::optional<std::string>& body = std::nullopt,
                      Headers more = {}) const;

  /// Creates an organisation as operator and checks it was created.
  void CreateOrg(const std::string& orgno, const std::string& name) const;
};

/// A test suite sharing one ApiEnv per process (ctest runs each test in its own process,
/// a developer running the binary gets one service per suite). The service is started by
/// the first test's SetUp, not in SetUpTestSuite: gtest turns a failure in SetUpTestSuite
/// into SKIPPED tests, and a missing database must fail, never skip.
/// `Config::Env()` gives extra ONBOARD_* variables.
template <class Config>
class ApiSuite : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    env_.reset();
    error_.clear();
  }
  void SetUp() override {
    if (!env_ && error_.empty()) {
      try {
        env_ = ApiEnv::Start(Config::Env());
      } catch (const std::exception& e) {
        error_ = e.what();
      }
    }
    ASSERT_TRUE(env_) << "onboard-api did not start: " << error_;
  }

  static ApiEnv& env() { return *env_; }

 public:
  static inline std::unique_ptr<ApiEnv> env_;
  static inline std::string error_;
};

/// Organisation numbers for the tests of one file, none used twice: ValidOrgno(0, base),
/// ValidOrgno(1, base), ... Tests share one service and database when the binary runs them
/// in one process, so each file counts from a base of its own. Not thread-safe.
class OrgnoSequence {
 public:
  explicit OrgnoSequence(int base) : base_(base) {}
  std::string Next() { return ValidOrgno(next_++, base_); }

 private:
  int base_;
  int next_ = 0;
};

/// A throwaway database that the test's service reaches through a TcpProxy, and an operator
/// token: stopping the proxy is "the database went away" for this service alone, without
/// touching the cluster other tests share. Made afresh for each test; a database that cannot
/// be had fails the test.
class DatabaseBehindProxy : public ::testing::Test {
 protected:
  void SetUp() override;

  std::unique_ptr<TempDatabase> db_;
  TestToken op_;  ///< "proxy-operator"
  std::unique_ptr<TcpProxy> proxy_;
  std::string via_proxy_;  ///< the database's URL through the proxy
};

struct DefaultConfig {
  static std::map<std::string, std::string> Env() { return {}; }
};

/// A TCP connection to 127.0.0.1:`port` that a test writes byte by byte and reads raw (the
/// HTTP wire and limit tests): 5 s to connect, reads give up after `read_timeout`.
class RawSocket {
 public:
  RawSocket(int port, std::chrono::milliseconds read_timeout);
  void Send(const std::string& bytes);

 protected:
  void SetReadTimeout(std::chrono::milliseconds timeout);
  Poco::Net::StreamSocket socket_;
};

/// JSON text of an organisation with one contact.
std::string OrgBody(const std::string& orgno, const std::string& name);

/// Asserts an RFC 9457 problem: status, content type, every member, code, the request id
/// echoed from the X-Request-Id response header, and no SQL or stack trace in the body.
void ExpectProblem(const HttpResponse& r, int status, const std::string& code);

/// True when the text looks like it leaks internals (SQL, constraint names, C++ types).
std::string LeakIn(const std::string& text);

/// The `path` members of a problem's `errors` array.
std::vector<std::string> ErrorPaths(const HttpResponse& r);

}  // namespace onboard::testsupport
