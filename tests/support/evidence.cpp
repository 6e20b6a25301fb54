#include "evidence.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "test_support.hpp"

namespace onboard::testsupport::evidence {

namespace {

std::string Dir() {
  const char* dir = std::getenv("ONBOARD_TEST_EVIDENCE_DIR");
  return dir != nullptr ? dir : "";
}

const std::set<std::string>& SecretMembers() {
  static const std::set<std::string> names = {
      "client_secret", "token",     "registration_access_token", "zip_password", "password",
      "secret",        "csrf_token"};
  return names;
}

bool NotSecret(const std::string& v) {
  if (v == "anonymous") return true;
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : std::isxdigit(static_cast<unsigned char>(v[i])) == 0) return false;
  }
  return true;
}

void Walk(const Poco::Dynamic::Var& value) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto obj = value.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, member] : *obj) {
      // Report rows name tokens by id ("token": "<uuid>" or "anonymous"); those are not secrets.
      if (SecretMembers().count(name) != 0 && member.isString() && !NotSecret(member.toString())) {
        RecordSecret(member.toString());
      } else
        Walk(member);
    }
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    for (const auto& item : *array) Walk(item);
  }
}

}  // namespace

bool Enabled() { return !Dir().empty(); }

void RecordSecret(const std::string& secret) {
  if (!Enabled() || secret.size() < 8) return;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  const std::string path = Dir() + "/secrets";
  const mode_t old = ::umask(077);
  std::ofstream(path, std::ios::app) << secret << "\n";
  ::umask(old);
}

void RecordSecretsInJson(const std::string& json_text) {
  if (!Enabled()) return;
  try {
    Poco::JSON::Parser parser;
    Walk(parser.parse(json_text));
  } catch (const Poco::Exception&) {
  }
}

void KeepLog(const std::string& path) {
  if (!Enabled()) return;
  std::error_code ec;
  std::filesystem::create_directories(Dir() + "/logs", ec);
  const std::string target = Dir() + "/logs/" + std::to_string(::getpid()) + "-" +
                             std::filesystem::path(path).parent_path().filename().string() + ".log";
  std::filesystem::copy_file(path, target, std::filesystem::copy_options::overwrite_existing, ec);
}

void KeepTables(const std::string& url, const std::string& name) {
  if (!Enabled()) return;
  try {
    std::error_code ec;
    std::filesystem::create_directories(Dir() + "/tables", ec);
    auto conn = Connect(url);
    db::Result tables = conn->ExecSimple(
        "SELECT quote_ident(table_name) FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
    std::ofstream out(Dir() + "/tables/" + name + ".rows");
    for (int i = 0; i < tables.rows(); ++i) {
      const std::string table = tables.Str(i, 0);
      db::Result rows = conn->ExecSimple("SELECT t::text FROM " + table + " t");
      for (int r = 0; r < rows.rows(); ++r) out << table << "\t" << rows.Str(r, 0) << "\n";
    }
  } catch (const std::exception& e) {
    std::ofstream(Dir() + "/tables/" + name + ".error") << e.what() << "\n";
  }
}

}  // namespace onboard::testsupport::evidence
