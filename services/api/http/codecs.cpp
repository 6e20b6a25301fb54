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

std::string VersionEtag(int version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace onboard::http
