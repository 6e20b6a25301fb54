#include "openapi_document.hpp"

#include "embedded_file.hpp"

namespace onboard::http {

const std::vector<onboard::EmbeddedFile>& EmbeddedOpenapi();

std::string_view OpenapiDocument() { return EmbeddedOpenapi().front().content; }

}  // namespace onboard::http
