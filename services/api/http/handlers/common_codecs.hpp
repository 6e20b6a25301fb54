#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app_services.hpp"
#include "codecs.hpp"
#include "json_io.hpp"
#include "merge_patch.hpp"
#include "organisation.hpp"
#include "paging.hpp"
#include "request_context.hpp"

/// Readers and writers the handlers of several groups share.
namespace onboard::http::handlers {

/// The request body as one JSON object, capped by `http.max_body_bytes` (see
/// ReadJsonObject for the checks).
Poco::JSON::Object::Ptr ReadBody(RequestContext& ctx, const AppServices& svc,
                                 const char* extra_type = nullptr);

/// An optional JSON body: none (or an empty one) reads as {}.
Poco::JSON::Object::Ptr ReadOptionalBody(RequestContext& ctx, const AppServices& svc);

/// `key` as a merge-patch member: absent, null, or a string of at most `max_bytes`; a value
/// of another type stays absent, its problem in `fields`.
usecases::Patch<std::string> ReadStringPatch(JsonFields& fields, const std::string& key,
                                             std::size_t max_bytes);

/// `contacts` as a merge-patch member: absent, null, or the array's contacts; problems
/// (paths `contacts/...`) in `fields`.
usecases::Patch<std::vector<domain::Contact>> ReadContacts(JsonFields& fields);

/// If-Match as the version it names; std::nullopt when absent; 412 when malformed.
std::optional<int> ReadIfMatch(const RequestContext& ctx);

/// `s`, or null when it is empty.
inline Poco::Dynamic::Var OrNull(const std::string& s) {
  return s.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s);
}

/// `*v`, or null when there is none.
template <class T>
Poco::Dynamic::Var OrNull(const std::optional<T>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

/// One member of a response object: its name and value.
using JsonMember = std::pair<const char*, Poco::Dynamic::Var>;

/// The response object of `members` (Poco writes an object's members sorted by name, so
/// the order here is the reader's, not the wire's).
Poco::JSON::Object::Ptr JsonObject(std::initializer_list<JsonMember> members);

/// Each item of `list` written by `to_json`, in order.
template <class T, class ToJson>
Poco::JSON::Array::Ptr JsonArray(const std::vector<T>& list, ToJson to_json) {
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
  for (const T& item : list) items->add(to_json(item));
  return items;
}

/// The items of `list` as they are (strings, numbers).
template <class T>
Poco::JSON::Array::Ptr JsonArray(const std::vector<T>& list) {
  return JsonArray(list, [](const T& item) { return Poco::Dynamic::Var(item); });
}

/// Writes `resource` as `to_json` shows it, with its version as the ETag.
template <class T, class ToJson>
void WriteVersioned(RequestContext& ctx, int status, const T& resource, ToJson to_json) {
  ctx.response.set("ETag", VersionEtag(resource.version));
  WriteJson(ctx, status, *to_json(resource));
}

/// `{items: [...], next_cursor}` of one page, each item written by `to_json`.
template <class T, class ToJson>
Poco::JSON::Object PageJson(const domain::Page<T>& page, ToJson to_json) {
  Poco::JSON::Object body;
  body.set("items", JsonArray(page.items, to_json));
  body.set("next_cursor", OrNull(page.next_cursor));
  return body;
}

/// `{items: [...]}` of a whole list.
template <class T, class ToJson>
Poco::JSON::Object ListJson(const std::vector<T>& list, ToJson to_json) {
  Poco::JSON::Object body;
  body.set("items", JsonArray(list, to_json));
  return body;
}

}  // namespace onboard::http::handlers
