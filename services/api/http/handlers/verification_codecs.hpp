#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "readiness.hpp"

/// The readiness checklist's JSON shape, shared by the readiness and support handlers
/// (the other verification codecs are local to verification.cpp).
namespace onboard::http::handlers {

/// `{client_id, ready, items: [{id, title, ok, detail, ...}]}`: an item carries `missing`,
/// `errors` and `cases` when it has any, and its facts as string members.
Poco::JSON::Object::Ptr ReadinessJson(const std::string& client_id,
                                      const domain::Readiness& readiness);

}  // namespace onboard::http::handlers
