#pragma once

#include <map>
#include <string>
#include <string_view>

#include "crypto.hpp"

namespace onboard::package {

/// Values a template may name; every value is text.
using TemplateValues = std::map<std::string, std::string>;

/// How `{{name}}` values are escaped: plain text inserts them as they are; JSON escapes
/// them as the inside of a JSON string (the template supplies the quotes).
enum class Escape { kText, kJson };

/// Renders the template `name` (a file of templates/, embedded at build time, e.g.
/// "sms.txt.mustache") with kainjow mustache. The result is returned in a SecretString
/// because some renderings carry a secret or a password. Throws AppError(kInternal) for an
/// unknown or invalid template. Thread-safe (templates are parsed once).
crypto::SecretString Render(std::string_view name, const TemplateValues& values,
                            Escape escape = Escape::kText);

/// `s` escaped as the inside of a JSON string (quotes, backslashes, control characters).
std::string JsonEscape(std::string_view s);

}  // namespace onboard::package
