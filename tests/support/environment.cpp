#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <thread>

#include "test_support.hpp"

namespace onboard::testsupport {

namespace {

std::string PercentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseConninfo(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    const std::string msg = err != nullptr ? err : "out of memory";
    if (err != nullptr) PQfreemem(err);
    throw std::invalid_argument("not a libpq connection string: " + msg);
  }
  std::map<std::string, std::string> kv;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') kv[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  return kv;
}

}  // namespace

std::string RequireAdminUrl() {
  const char* url = std::getenv("ONBOARD_TEST_ADMIN_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE()
        << "ONBOARD_TEST_ADMIN_URL is not set: integration and e2e tests need a PostgreSQL 15 "
           "server "
           "(a role that may CREATE DATABASE); ops/test starts one. This is a failure, not a skip.";
    throw std::runtime_error("ONBOARD_TEST_ADMIN_URL is not set");
  }
  return url;
}

std::string RequireApiBinary() {
  const char* bin = std::getenv("ONBOARD_API_BIN");
  if (bin == nullptr || *bin == '\0') {
    ADD_FAILURE()
        << "ONBOARD_API_BIN is not set: run the e2e tests through ctest (CMake sets it to the "
           "onboard-api binary)";
    throw std::runtime_error("ONBOARD_API_BIN is not set");
  }
  return bin;
}

std::string WithDatabase(const std::string& url, const std::string& dbname,
                         const std::optional<std::pair<std::string, int>>& host_port) {
  auto kv = ParseConninfo(url);
  kv["dbname"] = dbname;
  if (host_port) {
    kv["host"] = host_port->first;
    kv["port"] = std::to_string(host_port->second);
    kv.erase("hostaddr");
  }
  std::string out = "postgresql://";
  if (kv.count("user") != 0) {
    out += PercentEncode(kv["user"]);
    if (kv.count("password") != 0) out += ":" + PercentEncode(kv["password"]);
    out += "@";
  }
  const bool socket_host = kv.count("host") != 0 && !kv["host"].empty() && kv["host"][0] == '/';
  // Several hosts (libpq's multi-host form, "h1,h2" with ports "p1,p2") go into the query,
  // where libpq reads the lists as they are.
  const bool multi_host = kv.count("host") != 0 && kv["host"].find(',') != std::string::npos;
  if (kv.count("host") != 0 && !socket_host && !multi_host) out += kv["host"];
  if (kv.count("port") != 0 && !multi_host) out += ":" + kv["port"];
  out += "/" + PercentEncode(dbname);
  std::string query;
  for (const auto& [k, v] : kv) {
    if (k == "user" || k == "password" || k == "dbname" || (k == "port" && !multi_host) ||
        (k == "host" && !socket_host && !multi_host))
      continue;
    query += (query.empty() ? "?" : "&") + k + "=" + PercentEncode(v);
  }
  return out + query;
}

std::pair<std::string, int> HostPortOf(const std::string& url) {
  auto kv = ParseConninfo(url);
  std::string host = kv.count("hostaddr") != 0 ? kv["hostaddr"]
                     : kv.count("host") != 0   ? kv["host"]
                                               : "127.0.0.1";
  if (host == "localhost") host = "127.0.0.1";
  const int port = kv.count("port") != 0 ? std::atoi(kv["port"].c_str()) : 5432;
  return {host, port};
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(interval);
  }
}

PhaseTimer::PhaseTimer(const char* what)
    : what_(what), started_(std::chrono::steady_clock::now()) {}

PhaseTimer::~PhaseTimer() {
  static const bool enabled = std::getenv("ONBOARD_TEST_TIMING") != nullptr;
  if (!enabled) return;
  const auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
          .count();
  std::fprintf(stderr, "[timing] %s: %.0f ms\n", what_, ms);
}

std::string ValidOrgno(int n, int base) {
  constexpr int kWeights[] = {3, 2, 7, 6, 5, 4, 3, 2};
  int found = -1;
  for (int candidate = base; candidate < 100000000; ++candidate) {
    const std::string digits = std::to_string(candidate);
    if (digits.size() != 8) continue;
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (digits[i] - '0') * kWeights[i];
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    if (++found == n) return digits + static_cast<char>('0' + check);
  }
  throw std::out_of_range("no more organisation numbers after the base");
}

}  // namespace onboard::testsupport
