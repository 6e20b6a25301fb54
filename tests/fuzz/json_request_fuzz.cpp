// libFuzzer target for the JSON request parsing every handler goes through
// (http::ParseJsonObjectBody: UTF-8 check, Poco's parser, object check), with the
// properties the handlers rely on: the only failure is AppError(kMalformedJson) with a
// public detail that never echoes the input; an accepted body is valid UTF-8, serialises
// and parses back to the same text; a registration body parses into client metadata or a
// kValidation error, never anything else; and whatever the flat fast path
// (http::ReadFlatStringObject, server/flat_json.hpp) accepts, Poco reads as an object with
// exactly the same members and values.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "client_metadata_json.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"
#include "flat_json.hpp"
#include "json_body.hpp"

namespace {

std::string Text(const Poco::JSON::Object& obj) {
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

using onboard::fuzz::Require;

// The names the flat reader may take (those of POST /v1/provider/authenticate and two
// short ones, so that random inputs reach it).
const std::vector<std::string_view> kFlatNames = {"authorization",
                                                  "client_id",
                                                  "client_secret",
                                                  "client_assertion_type",
                                                  "client_assertion",
                                                  "audience",
                                                  "a",
                                                  "b"};

// When the flat reader accepts `body`, Poco's object has the same members and values:
// every name reads the same through either BodyMember.
void CheckFlat(const std::string& body, const Poco::JSON::Object::Ptr& obj) {
  const auto flat = onboard::http::ReadFlatStringObject(body, kFlatNames);
  if (!flat) return;
  Require(obj != nullptr);
  Require(obj->size() == flat->size());
  for (const std::string_view name : kFlatNames) {
    const onboard::http::BodyMember a = onboard::http::MemberOf(*flat, name);
    const onboard::http::BodyMember b = onboard::http::MemberOf(*obj, std::string(name));
    Require(a.kind == b.kind && a.text == b.text && a.items == b.items);
    Require(a.kind == onboard::http::BodyMember::kAbsent ||
            a.kind == onboard::http::BodyMember::kString ||
            a.kind == onboard::http::BodyMember::kArray);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  Poco::JSON::Object::Ptr obj;
  try {
    obj = onboard::http::ParseJsonObjectBody(body);
  } catch (const onboard::AppError& e) {
    Require(e.code() == onboard::ErrorCode::kMalformedJson);
    Require(!e.detail().empty() && e.detail().size() < 100);          // fixed text, not the input
    Require(!onboard::http::ReadFlatStringObject(body, kFlatNames));  // Poco would not read it
    return 0;
  }
  Require(obj != nullptr);
  CheckFlat(body, obj);
  Require(onboard::http::IsValidUtf8(body));
  // What the service would write back reads back identically.
  const std::string once = Text(*obj);
  Require(onboard::http::IsValidUtf8(once));
  Poco::JSON::Object::Ptr again;
  try {
    again = onboard::http::ParseJsonObjectBody(once);
  } catch (const onboard::AppError&) {
    std::abort();
  }
  Require(Text(*again) == once);
  // As a client registration (POST /v1/clients reads it like this).
  onboard::domain::ParseOptions options;
  options.ignored_fields = {"environment", "registration_channel"};
  try {
    (void)onboard::domain::ParseClientMetadata(*obj, options);
  } catch (const onboard::AppError& e) {
    Require(e.code() == onboard::ErrorCode::kValidation);
  }
  return 0;
}
