#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// RFC 7396 merge patch over {name, contacts}; orgno may be repeated but not changed.
void OrganisationPatch(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  ctx.RequireOrgVisible(orgno, "no such organisation");
  Poco::JSON::Object::Ptr patch =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes),
                     "application/merge-patch+json");
  auto current = svc.organisations.Find(orgno);
  if (!current) throw AppError(ErrorCode::kNotFound, "no such organisation");
  const int if_match = ParseIfMatch(ctx.request.get("If-Match", ""));
  if (if_match >= 0 && if_match != current->version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the organisation was changed since you read it (version " +
                       std::to_string(current->version) + " now)",
                   "", {}, "version_mismatch");
  }
  domain::Organisation next = *current;
  JsonFields f(*patch);
  if (auto o = f.String("orgno", false, 64); o && *o != orgno) {
    f.AddError("orgno", "immutable", "orgno cannot be changed");
  }
  if (f.Has("name")) {
    if (f.IsNull("name")) {
      f.Allow("name");
      f.AddError("name", "required", "name cannot be removed");
    } else
      next.name = f.String("name", true, 1000).value_or(next.name);
  }
  if (f.Has("contacts")) {
    if (f.IsNull("contacts")) {
      f.Allow("contacts");
      next.contacts.clear();
    } else if (auto contacts = f.Array("contacts", true)) {
      try {
        next.contacts = domain::ContactsFromJson(*contacts);
      } catch (const AppError& e) {
        f.AddErrors(e.field_errors());
      }
    }
  }
  f.AddErrors(domain::ValidateOrganisation(next));
  f.Finish("the organisation is invalid");

  Poco::JSON::Object detail;
  Poco::JSON::Array changed;
  if (next.name != current->name) changed.add("name");
  std::ostringstream next_contacts, current_contacts;
  domain::ContactsToJson(next.contacts)->stringify(next_contacts);
  domain::ContactsToJson(current->contacts)->stringify(current_contacts);
  if (next_contacts.str() != current_contacts.str()) changed.add("contacts");
  detail.set("changed", changed);
  std::ostringstream detail_text;
  detail.stringify(detail_text);
  domain::AuditEvent audit = ctx.Audit("organisation.update", "organisation", orgno, orgno);
  audit.detail_json = detail_text.str();
  domain::Organisation updated = svc.organisations.Update(next, current->version, audit);
  ctx.response.set("ETag", VersionEtag(updated.version));
  WriteJson(ctx, 200, *OrganisationJson(updated));
}

}  // namespace onboard::http::handlers
