#pragma once

#include <string_view>
#include <vector>

namespace onboard {

/// A file compiled into the binary (migrations, SQL statements, templates).
struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};

}  // namespace onboard
