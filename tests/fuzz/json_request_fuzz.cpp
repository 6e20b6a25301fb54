// libFuzzer target for the JSON request parsing every handler goes through
// (http::ParseJsonObjectBody: UTF-8 check, Poco's parser, object check), with the
// properties the handlers rely on: the only failure is AppError(kMalformedJson) with a
// public detail that never echoes the input; an accepted body is valid UTF-8, serialises
// and parses back to the same text; and a registration body parses into client metadata
// or a kValidation error, never anything else.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "client_metadata_json.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"
#include "json_body.hpp"

namespace {

std::string Text(const Poco::JSON::Object& obj) {
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

using onboard::fuzz::Require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  Poco::JSON::Object::Ptr obj;
  try {
    obj = onboard::http::ParseJsonObjectBody(body);
  } catch (const onboard::AppError& e) {
    Require(e.code() == onboard::ErrorCode::kMalformedJson);
    Require(!e.detail().empty() && e.detail().size() < 100);  // fixed text, not the input
    return 0;
  }
  Require(obj != nullptr);
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
