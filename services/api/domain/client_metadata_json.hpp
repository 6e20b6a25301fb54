#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "client_metadata.hpp"

namespace onboard::domain {

/// How a JSON document is turned into ClientMetadata.
struct ParseOptions {
  /// For updates: the stored client's integration type. The document may then omit
  /// `integration_type`; if it names one, it must be this one (`immutable` otherwise).
  /// When unset (creation) the document must name it (`required`).
  std::optional<IntegrationType> fixed_integration_type;
  /// Top-level members accepted and ignored rather than reported as `unknown_field`,
  /// e.g. read-only members (`client_id`, `active`) that a client echoes back on PUT.
  std::set<std::string, std::less<>> ignored_fields;
};

/// Parses an RFC 7591 shaped client registration (see DOMAIN.md) into ClientMetadata.
///
/// Checks shape only; the provider's rules are ValidateClientMetadata's job. Every problem
/// is collected (not only the first) as a FieldError with a JSON-pointer-like path:
/// `unknown_field`, `invalid_type`, `out_of_range` (integer beyond 64 bits),
/// `invalid_utf8`, `control_character` (C0 except LF in `description`, DEL, C1, and the
/// Unicode bidi embedding/override/isolate controls), `invalid_value` (unknown enum
/// name), `required` (`integration_type` on creation), `immutable`.
/// A member that is absent or JSON null gets its default: application_type `web`,
/// token_endpoint_auth_method per DefaultAuthMethod, grant_types per DefaultGrantTypes,
/// scopes per DefaultScopes, lifetimes 120/600/7200 s, refresh_token_usage `ONETIME`,
/// booleans false, lists empty. Free text (client_name, display_name, description,
/// onbehalfof display_name) is normalised to Unicode NFC.
///
/// Throws AppError(kValidation, "client metadata is invalid", "", field_errors) if any
/// problem was found; AppError(kInternal) if ICU cannot be initialised. Thread-safe.
ClientMetadata ParseClientMetadata(const Poco::JSON::Object& obj, const ParseOptions& options = {});

/// Serialises metadata into the same shape ParseClientMetadata reads, with members in a
/// stable order; optional members that are unset are omitted. The caller owns the
/// returned object. Parsing the result yields equal metadata. Throws only on allocation
/// failure.
Poco::JSON::Object::Ptr ToJson(const ClientMetadata& metadata);

/// Unicode NFC form of well-formed UTF-8 `text` (ASCII is returned unchanged without
/// calling ICU). Throws AppError(kInternal) if ICU fails. Thread-safe.
std::string NormalizeNfc(std::string_view text);

}  // namespace onboard::domain
