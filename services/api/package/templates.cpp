#include "templates.hpp"

#include <kainjow/mustache.hpp>

#include <string_view>
#include <unordered_map>

#include "embedded_file.hpp"
#include "error.hpp"
#include "log_line.hpp"

namespace onboard::package {

const std::vector<EmbeddedFile>& EmbeddedTemplates();

namespace {

const EmbeddedFile& Source(std::string_view name) {
  for (const auto& f : EmbeddedTemplates()) {
    if (f.name == name) return f;
  }
  throw AppError(ErrorCode::kInternal, "internal error", "no template named " + std::string(name));
}

}  // namespace

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  log::AppendJsonEscaped(out, s, /*trusted_utf8=*/true);
  return out;
}

crypto::SecretString Render(std::string_view name, const TemplateValues& values, Escape escape) {
  // Parsed once per thread and template: a render keeps its state (line buffer,
  // delimiters) in a context of its own, and the template object is only read, except for
  // the escape function set right here and the error a failed render leaves (such a
  // template is dropped below). The templates are embedded, so they never change.
  thread_local std::unordered_map<std::string_view, kainjow::mustache::mustache> parsed;
  auto it = parsed.find(name);
  if (it == parsed.end()) {
    const EmbeddedFile& source = Source(name);
    kainjow::mustache::mustache fresh{std::string(source.content)};
    if (!fresh.is_valid()) {
      throw AppError(ErrorCode::kInternal, "internal error",
                     "template " + std::string(name) + " is invalid: " + fresh.error_message());
    }
    it = parsed.emplace(source.name, std::move(fresh)).first;  // the key lives in the binary
  }
  kainjow::mustache::mustache* tmpl = &it->second;
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
    const std::string error = tmpl->error_message();
    parsed.erase(it);
    throw AppError(ErrorCode::kInternal, "internal error",
                   "template " + std::string(name) + " did not render: " + error);
  }
  return crypto::SecretString(std::move(out));
}

}  // namespace onboard::package
