#include "json_body.hpp"

#include <Poco/JSON/Parser.h>

#include "error.hpp"

namespace onboard::http {

Poco::JSON::Object::Ptr ParseJsonObjectBody(const std::string& body) {
  if (!domain::IsValidUtf8(body))
    throw AppError(ErrorCode::kMalformedJson, "the body is not valid UTF-8");
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(body);
  } catch (const Poco::Exception& e) {
    throw AppError(ErrorCode::kMalformedJson, "the body is not well-formed JSON", e.displayText());
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw AppError(ErrorCode::kMalformedJson, "the body must be a JSON object");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace onboard::http
