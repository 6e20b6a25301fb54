#include "codecs.hpp"

#include "handlers/common_codecs.hpp"

namespace onboard::http {

Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org) {
  return handlers::JsonObject({{"orgno", org.orgno},
                               {"name", org.name},
                               {"contacts", domain::ContactsToJson(org.contacts)},
                               {"version", org.version},
                               {"created_at", org.created_at},
                               {"updated_at", org.updated_at}});
}

Poco::JSON::Object::Ptr TokenJson(const domain::ApiToken& t) {
  return handlers::JsonObject({{"id", t.id},
                               {"name", t.name},
                               {"role", std::string(domain::RoleName(t.role))},
                               {"prefix", t.prefix},
                               {"created_by", t.created_by},
                               {"created_at", t.created_at},
                               {"expires_at", handlers::OrNull(t.expires_at)},
                               {"revoked_at", handlers::OrNull(t.revoked_at)},
                               {"last_used_at", handlers::OrNull(t.last_used_at)},
                               {"organisation", handlers::OrNull(t.organisation)}});
}

std::string VersionEtag(int version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace onboard::http
