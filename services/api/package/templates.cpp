#include "templates.hpp"

#include <kainjow/mustache.hpp>

#include <optional>

#include "embedded_file.hpp"
#include "error.hpp"

namespace onboard::package {

const std::vector<EmbeddedFile>& EmbeddedTemplates();

namespace {

std::string_view Source(std::string_view name) {
  for (const auto& f : EmbeddedTemplates()) {
    if (f.name == name) return f.content;
  }
  throw AppError(ErrorCode::kInternal, "internal error", "no template named " + std::string(name));
}

}  // namespace

std::string JsonEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

crypto::SecretString Render(std::string_view name, const TemplateValues& values, Escape escape) {
  // Parsed per call: kainjow's render keeps state in the template object, and issuing a
  // secret is rare enough that the microseconds of parsing do not matter.
  std::optional<kainjow::mustache::mustache> tmpl;
  tmpl.emplace(std::string(Source(name)));
  if (!tmpl->is_valid()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "template " + std::string(name) + " is invalid: " + tmpl->error_message());
  }
  if (escape == Escape::kJson) {
    tmpl->set_custom_escape([](const std::string& s) { return JsonEscape(s); });
  } else {
    tmpl->set_custom_escape([](const std::string& s) { return s; });
  }
  kainjow::mustache::data data;
  for (const auto& [k, v] : values) data.set(k, v);
  std::string out;
  tmpl->render(data, [&out](const std::string& piece) { out += piece; });
  if (!tmpl->is_valid()) {
    crypto::Cleanse(out);
    throw AppError(ErrorCode::kInternal, "internal error",
                   "template " + std::string(name) + " did not render: " + tmpl->error_message());
  }
  return crypto::SecretString(std::move(out));
}

}  // namespace onboard::package
