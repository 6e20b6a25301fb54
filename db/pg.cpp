#include "pg.hpp"

#include <poll.h>

#include <Poco/NumberParser.h>

#include <map>
#include <mutex>

#include "embedded_file.hpp"
#include "error.hpp"

namespace onboard::db {

const std::vector<onboard::EmbeddedFile>& EmbeddedQueries();

namespace {

const std::map<std::string, std::string, std::less<>>& Statements() {
  static const auto* kStatements = [] {
    auto* m = new std::map<std::string, std::string, std::less<>>();
    for (const auto& f : EmbeddedQueries()) {
      std::string name(f.name);
      if (name.size() > 4 && name.ends_with(".sql")) name.resize(name.size() - 4);
      (*m)[name] = std::string(f.content);
    }
    return m;
  }();
  return *kStatements;
}

std::string Field(const PGresult* res, int field) {
  const char* v = res != nullptr ? PQresultErrorField(res, field) : nullptr;
  return v != nullptr ? std::string(v) : std::string();
}

}  // namespace

int Result::affected() const {
  const char* n = PQcmdTuples(res_.get());
  return (n == nullptr || *n == '\0') ? 0 : std::atoi(n);
}

int64_t Result::Int(int row, int col) const {
  Poco::Int64 v = 0;
  if (!Poco::NumberParser::tryParse64(std::string(Get(row, col)), v)) {
    throw AppError(ErrorCode::kInternal, "internal error", "non-integer column value");
  }
  return v;
}

int Result::Col(const char* name) const {
  const int c = PQfnumber(res_.get(), name);
  if (c < 0)
    throw AppError(ErrorCode::kInternal, "internal error", std::string("missing column ") + name);
  return c;
}

Connection::Connection(const std::string& url, int connect_timeout_s) {
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* values[] = {url.c_str(), timeout.c_str(), "onboard", nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string msg = conn_ ? PQerrorMessage(conn_.get()) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw AppError(ErrorCode::kUnavailable, "the database is unavailable, try again shortly",
                   "database connection failed: " + msg, {}, "database_unavailable");
  }
  PQsetErrorVerbosity(conn_.get(), PQERRORS_DEFAULT);
  // Server NOTICEs (e.g. "already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
}

const std::string& Connection::Prepare(std::string_view statement) {
  const auto& stmts = Statements();
  auto it = stmts.find(statement);
  if (it == stmts.end()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "unknown statement " + std::string(statement));
  }
  const std::string& name = it->first;
  if (!prepared_.contains(name)) {
    PgResultPtr prep(PQprepare(conn_.get(), name.c_str(), it->second.c_str(), 0, nullptr));
    Check(prep.release(), name);
    prepared_.insert(name);
  }
  return name;
}

Result Connection::Exec(std::string_view statement, const Params& params) {
  const std::string& name = Prepare(statement);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* res = PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
  return Check(res, name);
}

void Connection::Stream(std::string_view statement, const Params& params,
                        const std::function<void(const Result&)>& on_row) {
  const std::string& name = Prepare(statement);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  if (PQsendQueryPrepared(conn_.get(), name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0) != 1) {
    Check(nullptr, name);
  }
  if (PQsetSingleRowMode(conn_.get()) != 1) {
    DrainAfterCancel();
    throw AppError(ErrorCode::kInternal, "internal error", name + ": single-row mode refused");
  }
  PgResultPtr failed;
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResultPtr res(raw);
    const ExecStatusType st = PQresultStatus(raw);
    if (st == PGRES_SINGLE_TUPLE) {
      if (failed) continue;
      Result row(std::move(res));
      try {
        on_row(row);
      } catch (...) {
        DrainAfterCancel();
        throw;
      }
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      failed = std::move(res);  // the error; read on until the query's end before throwing
    }
  }
  if (failed) Check(failed.release(), name);
}

void Connection::DrainAfterCancel() noexcept {
  if (PGcancel* cancel = PQgetCancel(conn_.get())) {
    char err[256];
    PQcancel(cancel, err, sizeof err);
    PQfreeCancel(cancel);
  }
  while (PGresult* raw = PQgetResult(conn_.get())) PQclear(raw);
  if (PQtransactionStatus(conn_.get()) == PQTRANS_ACTIVE || PQstatus(conn_.get()) != CONNECTION_OK)
    broken_ = true;
}

bool Connection::CheckIdle() noexcept {
  if (broken()) return false;
  // An idle connection has nothing to say: no query is running and onboard uses no
  // LISTEN. Readable means the server sent a FATAL (backend terminated, server shutting
  // down) or closed the socket, so the connection must not be handed out.
  pollfd p{PQsocket(conn_.get()), POLLIN, 0};
  if (p.fd < 0 || ::poll(&p, 1, 0) != 0) {
    broken_ = true;
    return false;
  }
  return true;
}

Result Connection::ExecSimple(const std::string& sql) {
  return Check(PQexec(conn_.get(), sql.c_str()), "simple query");
}

Result Connection::Check(PGresult* res, std::string_view what) {
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
    return Result(PgResultPtr(res));
  }
  ThrowFor(res, what);
}

void Connection::ThrowFor(PGresult* res, std::string_view what) {
  PgResultPtr guard(res);
  const std::string sqlstate = Field(res, PG_DIAG_SQLSTATE);
  const std::string constraint = Field(res, PG_DIAG_CONSTRAINT_NAME);
  std::string message = res != nullptr ? Field(res, PG_DIAG_MESSAGE_PRIMARY)
                                       : std::string(PQerrorMessage(conn_.get()));
  const std::string internal =
      std::string(what) + ": SQLSTATE " + (sqlstate.empty() ? "none" : sqlstate) +
      (constraint.empty() ? "" : " constraint " + constraint) + ": " + message;
  if (PQstatus(conn_.get()) != CONNECTION_OK || sqlstate.starts_with("08") || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03" || sqlstate.empty()) {
    broken_ = true;
    throw AppError(ErrorCode::kUnavailable, "the database is unavailable, try again shortly",
                   internal, {}, "database_unavailable");
  }
  if (sqlstate == "26000")
    prepared_.clear();  // statement vanished (e.g. DISCARD ALL): prepare again next time
  if (sqlstate == "23505" || sqlstate == "23P01") {
    throw AppError(ErrorCode::kConflict, "the resource already exists or conflicts with another",
                   internal, {}, constraint.empty() ? "unique_violation" : constraint);
  }
  if (sqlstate == "23503") {
    throw AppError(ErrorCode::kConflict,
                   "a referenced resource does not exist or is still referenced", internal, {},
                   constraint.empty() ? "foreign_key_violation" : constraint);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    throw AppError(ErrorCode::kConflict,
                   "a concurrent change conflicted with this request, retry it", internal, {},
                   "serialization_failure");
  }
  if (sqlstate.starts_with("22")) {
    throw AppError(ErrorCode::kBadRequest, "a value is malformed or out of range", internal, {},
                   "invalid_value");
  }
  if (sqlstate == "57014") {
    throw AppError(ErrorCode::kUnavailable, "the database took too long to answer", internal, {},
                   "query_timeout");
  }
  throw AppError(ErrorCode::kInternal, "internal error", internal);
}

const std::string& StatementSql(std::string_view name) {
  auto it = Statements().find(name);
  if (it == Statements().end()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "unknown statement " + std::string(name));
  }
  return it->second;
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string RedactUrl(const std::string& url) {
  std::string out = url;
  // userinfo password in a URI: scheme://user:PASSWORD@host
  const auto scheme = out.find("://");
  const auto at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    const auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at)
      out = out.substr(0, colon + 1) + "***" + out.substr(at);
  }
  // password=VALUE in a key=value connection string or a URI query parameter
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos)) {
    const std::size_t start = pos + 9;
    std::size_t end = start;
    if (end < out.size() && out[end] == '\'') {
      end = out.find('\'', end + 1);
      end = end == std::string::npos ? out.size() : end + 1;
    } else {
      while (end < out.size() && out[end] != ' ' && out[end] != '&') ++end;
    }
    out.replace(start, end - start, "***");
    pos = start + 3;
  }
  return out;
}

std::vector<Connection::Notification> Connection::TakeNotifications() {
  std::vector<Notification> out;
  if (PQconsumeInput(conn_.get()) == 0) {
    broken_ = true;
    return out;
  }
  while (PGnotify* n = PQnotifies(conn_.get())) {
    out.push_back({n->relname ? n->relname : "", n->extra ? n->extra : "", n->be_pid});
    PQfreemem(n);
  }
  return out;
}

}  // namespace onboard::db
