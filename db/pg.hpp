#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace onboard::db {

struct PgResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct PgConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;
using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;

/// Statement parameters, sent in text format; std::nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

/// Move-only view of a query result (text format).
class Result {
 public:
  Result() = default;
  explicit Result(PgResultPtr res) : res_(std::move(res)) {}

  int rows() const noexcept { return PQntuples(res_.get()); }
  int affected() const;
  bool IsNull(int row, int col) const noexcept { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string_view Get(int row, int col) const noexcept {
    return {PQgetvalue(res_.get(), row, col),
            static_cast<std::size_t>(PQgetlength(res_.get(), row, col))};
  }
  std::string Str(int row, int col) const { return std::string(Get(row, col)); }
  std::optional<std::string> Opt(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Str(row, col);
  }
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const noexcept { return Get(row, col) == "t"; }
  /// Column index by name; throws AppError(kInternal) if absent.
  int Col(const char* name) const;

 private:
  PgResultPtr res_;
};

/// One libpq connection with its prepared statements. Not thread-safe: used by one
/// thread at a time through a pool lease.
class Connection {
 public:
  /// Connects; throws AppError(kUnavailable) when the server cannot be reached.
  Connection(const std::string& url, int connect_timeout_s);

  /// Executes the named statement from db/queries (`<verb>_<noun>`), preparing it on
  /// first use on this connection. Throws AppError: kConflict for unique/exclusion
  /// violations (code_name = constraint), kUnavailable when the connection is lost,
  /// kInternal otherwise.
  Result Exec(std::string_view statement, const Params& params = {});

  /// Executes the named statement in libpq single-row mode and calls `on_row` with a
  /// one-row Result per row as it arrives, so a result of any size needs constant memory.
  /// When `on_row` throws, the query is cancelled and the exception propagates (the
  /// connection is marked broken if it cannot be brought back to idle).
  void Stream(std::string_view statement, const Params& params,
              const std::function<void(const Result&)>& on_row);

  /// Executes SQL text with the simple query protocol (no parameters); for
  /// transaction control and migrations only.
  Result ExecSimple(const std::string& sql);

  bool broken() const noexcept { return broken_ || PQstatus(conn_.get()) != CONNECTION_OK; }
  /// For an idle connection: reads whatever the server sent meanwhile (without blocking),
  /// so a backend that was terminated or a server that restarted is noticed before the
  /// connection is handed out. False when the connection is unusable.
  bool CheckIdle() noexcept;
  void MarkBroken() noexcept { broken_ = true; }
  /// LISTEN/NOTIFY support (db::InvalidationBus): the socket to poll for readability, and
  /// the notifications received so far (reads what the server sent without blocking).
  /// TakeNotifications marks the connection broken when the input cannot be read.
  struct Notification {
    std::string channel;
    std::string payload;
    int backend_pid = 0;  ///< the sender's backend (PQbackendPID of its connection)
  };
  int Socket() const noexcept { return PQsocket(conn_.get()); }
  int BackendPid() const noexcept { return PQbackendPID(conn_.get()); }
  std::vector<Notification> TakeNotifications();
  bool in_transaction() const noexcept { return PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }

 private:
  Result Check(PGresult* res, std::string_view what);
  const std::string& Prepare(std::string_view statement);
  void DrainAfterCancel() noexcept;
  [[noreturn]] void ThrowFor(PGresult* res, std::string_view what);

  PgConnPtr conn_;
  std::unordered_set<std::string> prepared_;
  bool broken_ = false;
};

/// SQL text of an embedded statement; throws AppError(kInternal) if unknown.
const std::string& StatementSql(std::string_view name);

/// SQL NULL for an empty string, else the string (optional columns).
std::optional<std::string> NullIfEmpty(const std::string& s);

/// Escapes LIKE wildcards (`%`, `_`, `\`) so user text matches literally.
std::string EscapeLike(const std::string& s);

/// Masks the password in a libpq URI for logs.
std::string RedactUrl(const std::string& url);

}  // namespace onboard::db
