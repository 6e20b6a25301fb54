#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "audit_event.hpp"
#include "error.hpp"
#include "paging.hpp"
#include "pg.hpp"
#include "pg_unit_of_work.hpp"
#include "pool.hpp"

/// What the repositories do the same way, written once: reading a row's columns into a
/// domain object, the read and write shapes of a store method (one row or none, every row,
/// a page, one audited change), constraint violations turned into the errors a caller
/// reports, and the answer to an update whose version guard matched nothing.
namespace onboard::db {

/// A text column read through `parse` (text -> std::optional<T>, e.g. an enum's
/// FromString), `fallback` when the text names no value. See Parsed.
template <class T, class Parse>
struct ParsedColumn {
  T& out;
  Parse parse;
  T fallback;
};

/// For ReadColumns: the column parsed into `out` by `parse`, `fallback` when it does not parse.
template <class T, class Parse>
ParsedColumn<T, Parse> Parsed(T& out, Parse parse, T fallback) {
  return {out, parse, fallback};
}

namespace detail {
template <class T, class Parse>
void ReadColumn(const Result& r, int row, int col, const ParsedColumn<T, Parse>& column) {
  column.out = column.parse(r.Get(row, col)).value_or(column.fallback);
}
inline void ReadColumn(const Result& r, int row, int col, std::string& out) {
  out = r.Str(row, col);  // NULL reads as ''
}
inline void ReadColumn(const Result& r, int row, int col, std::optional<std::string>& out) {
  out = r.Opt(row, col);
}
inline void ReadColumn(const Result& r, int row, int col, int& out) {
  out = static_cast<int>(r.Int(row, col));
}
inline void ReadColumn(const Result& r, int row, int col, std::optional<int>& out) {
  if (r.IsNull(row, col)) {
    out.reset();
  } else {
    out = static_cast<int>(r.Int(row, col));
  }
}
inline void ReadColumn(const Result& r, int row, int col, int64_t& out) { out = r.Int(row, col); }
inline void ReadColumn(const Result& r, int row, int col, bool& out) { out = r.Bool(row, col); }
inline void ReadColumn(const Result& r, int row, int col,
                       std::chrono::system_clock::time_point& out) {
  out = std::chrono::system_clock::time_point(std::chrono::microseconds(r.Int(row, col)));
}
inline void ReadColumn(const Result& r, int row, int col,
                       std::optional<std::chrono::system_clock::time_point>& out) {
  if (r.IsNull(row, col)) {
    out.reset();
  } else {
    out = std::chrono::system_clock::time_point(std::chrono::microseconds(r.Int(row, col)));
  }
}
}  // namespace detail

/// Reads columns `first`, `first + 1`, ... of `row` into `members`, in order: text into a
/// std::string (NULL as '') or a std::optional<std::string> (NULL as std::nullopt); integers
/// into int, std::optional<int> (NULL as std::nullopt) or int64_t; booleans into bool;
/// microseconds since the epoch into a time point (optional: NULL as std::nullopt); and
/// Parsed(member, parse, fallback) through `parse`. The statement's select list is the
/// table; the call names the members in the same order. Throws AppError(kInternal) on a
/// non-integer value.
template <class... Members>
void ReadColumns(const Result& r, int row, int first, Members&&... members) {
  int col = first;
  (detail::ReadColumn(r, row, col++, members), ...);
}

/// The name of an optional enum value (its ToString), or SQL NULL: a statement's optional
/// filter.
template <class Enum>
std::optional<std::string> NameOrNull(const std::optional<Enum>& value) {
  if (!value) return std::nullopt;
  return std::string(ToString(*value));
}

/// Every row of `r`, each read by `from(r, row)`.
template <class From>
auto RowsOf(const Result& r, From&& from) {
  std::vector<std::invoke_result_t<From&, const Result&, int>> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(from(r, i));
  return out;
}

/// The first row of `statement` read by `from`, std::nullopt when it returns none; on a
/// connection leased for the call.
template <class From>
auto FindRow(Pool& pool, std::string_view statement, const Params& params, From&& from)
    -> std::optional<std::invoke_result_t<From&, const Result&, int>> {
  Lease lease = pool.Acquire();
  const Result r = lease->Exec(statement, params);
  if (r.rows() == 0) return std::nullopt;
  return from(r, 0);
}

/// Every row of `statement` read by `from`, on a connection leased for the call.
template <class From>
auto ListRows(Pool& pool, std::string_view statement, const Params& params, From&& from) {
  Lease lease = pool.Acquire();
  return RowsOf(lease->Exec(statement, params), from);
}

/// A page of a statement that was asked for `limit + 1` rows: at most `limit` items read by
/// `from`; when the extra row came, `next_cursor` is `cursor(last row index)`.
template <class From, class Cursor>
auto PageOf(const Result& r, int limit, From&& from, Cursor&& cursor) {
  domain::Page<std::invoke_result_t<From&, const Result&, int>> out;
  for (int i = 0; i < r.rows() && i < limit; ++i) out.items.push_back(from(r, i));
  if (r.rows() > limit && limit > 0) out.next_cursor = cursor(limit - 1);
  return out;
}

/// A store write that changes one thing: `write` runs inside a new unit of work's
/// transaction, then the unit records `audit` and commits (sealing the event). `write`
/// takes the unit's `Connection&`, or the `PgUnitOfWork&` itself when it calls a store
/// method that takes the unit (e.g. TokenStore). Returns what `write` returned; an
/// exception rolls everything back.
template <class Write>
auto AuditedWrite(Pool& pool, const domain::AuditEvent& audit, Write&& write) {
  PgUnitOfWork unit(pool);
  auto run = [&]() -> decltype(auto) {
    if constexpr (std::is_invocable_v<Write&, PgUnitOfWork&>) {
      return write(unit);
    } else {
      return write(unit.Tx());
    }
  };
  if constexpr (std::is_void_v<decltype(run())>) {
    run();
    unit.Record(audit);
    unit.Commit();
  } else {
    auto out = run();
    unit.Record(audit);
    unit.Commit();
    return out;
  }
}

/// Executes `statement`, which must return a row: throws AppError(kNotFound, `not_found`)
/// when it returns none (the thing to read or lock does not exist).
Result ExecExpectingRow(Connection& conn, std::string_view statement, const Params& params,
                        const std::string& not_found);

/// How a violation of one constraint is reported: the constraint's name, and the error the
/// caller sees instead (its internal message becomes the database's).
struct Refusal {
  std::string_view constraint;
  ErrorCode code = ErrorCode::kConflict;
  std::string detail;
  std::vector<FieldError> field_errors;
  std::string code_name;
};

/// Executes `statement`; a violation of one of `refusals`' constraints (a unique, exclusion
/// or foreign key violation, AppError kConflict named by its constraint) throws that
/// refusal's error. Any other error propagates as it is.
Result ExecRefusing(Connection& conn, std::string_view statement, const Params& params,
                    const std::vector<Refusal>& refusals);

/// For an update guarded by `version = $n` that matched no row: throws AppError(kNotFound,
/// `not_found`) when `select_statement` finds no row for `id`, else
/// AppError(kPreconditionFailed, `stale`, code "version_mismatch").
[[noreturn]] void ThrowMissingOrStale(Connection& conn, std::string_view select_statement,
                                      const std::string& id, const std::string& not_found,
                                      const std::string& stale);

}  // namespace onboard::db
