#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "client_metadata.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"
#include "scope_catalogue.hpp"

namespace {

using namespace onboard::domain;
using onboard::AppError;
using onboard::fuzz::Require;

void Exercise(const Poco::JSON::Object& obj, const ParseOptions& options,
              const onboard::domain::ScopeCatalogue& catalogue) {
  ClientMetadata metadata;
  try {
    metadata = onboard::domain::ParseClientMetadata(obj, options);
  } catch (const AppError& e) {
    Require(e.code() == onboard::ErrorCode::kValidation && !e.field_errors().empty());
    return;
  }
  for (auto environment : {Environment::kTest, Environment::kProduction}) {
    for (const auto& error : ValidateClientMetadata(metadata, environment, catalogue)) {
      Require(!error.code.empty() && !error.message.empty());
    }
  }
  // What the service writes back must read back as the same metadata, as text too.
  const auto json = onboard::domain::ToJson(metadata);
  Require(onboard::domain::ParseClientMetadata(*json, options) == metadata);
  std::ostringstream text;
  json->stringify(text);
  Poco::JSON::Parser parser;
  const auto reparsed = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  Require(onboard::domain::ParseClientMetadata(*reparsed, options) == metadata);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto catalogue = onboard::domain::ScopeCatalogue::Default();
  try {
    Poco::JSON::Parser parser;
    const auto value = parser.parse(std::string(reinterpret_cast<const char*>(data), size));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return 0;
    const auto obj = value.extract<Poco::JSON::Object::Ptr>();

    Exercise(*obj, {}, catalogue);
    ParseOptions update;
    update.fixed_integration_type = IntegrationType::kMaskinporten;
    update.ignored_fields = {"client_id"};
    Exercise(*obj, update, catalogue);

    try {
      onboard::domain::ScopeCatalogue::FromJson(*obj);
    } catch (const AppError&) {
    }
  } catch (const Poco::Exception&) {
    // Malformed JSON is an expected outcome.
  }
  return 0;
}
