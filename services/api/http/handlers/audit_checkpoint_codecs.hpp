#pragma once

#include <Poco/JSON/Object.h>

#include "audit_log.hpp"

namespace onboard::http::audit {

/// JSON of one checkpoint.
Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c);

}  // namespace onboard::http::audit
