#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "error.hpp"

namespace onboard::http {

/// Typed field access on a request object that remembers every problem and rejects
/// fields nobody asked for. Call Finish() last: it throws AppError(kValidation) with all
/// collected field errors. Not thread-safe; borrows `obj` for its lifetime.
class JsonFields {
 public:
  JsonFields(const Poco::JSON::Object& obj, std::string path_prefix = {});

  std::optional<std::string> String(const std::string& key, bool required,
                                    std::size_t max_len = 10000);
  std::optional<int64_t> Int(const std::string& key, bool required, int64_t min, int64_t max);
  std::optional<bool> Bool(const std::string& key, bool required);
  Poco::JSON::Array::Ptr Array(const std::string& key, bool required);
  Poco::JSON::Object::Ptr Object(const std::string& key, bool required);
  /// Marks a key as known without reading it.
  void Allow(const std::string& key);
  bool Has(const std::string& key) const { return obj_.has(key); }
  bool IsNull(const std::string& key) const { return obj_.isNull(key); }

  void AddError(const std::string& key, std::string code, std::string message);
  void AddErrors(const std::vector<FieldError>& errors);
  void Finish(const std::string& detail = "the request body is invalid");
  /// The collected problems plus one per unknown field, without throwing: what a
  /// command carries as its input errors, for the use case to report with its own.
  std::vector<FieldError> Problems() const;

 private:
  /// Marks `key` as known; true when it holds a value (not null), else false with a
  /// `required` problem when it is.
  bool Present(const std::string& key, bool required);

  const Poco::JSON::Object& obj_;
  std::string prefix_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

}  // namespace onboard::http
