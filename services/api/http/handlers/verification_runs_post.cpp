#include <Poco/JSON/Array.h>

#include <chrono>

#include "client_common.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/clients/{client_id}/verification-runs: records what a tester saw per case of the
// current catalogue (or the version named in `catalogue_version`). A run that leaves out a
// mandatory case is stored as incomplete; only complete runs count for readiness.
void VerificationRunsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  RequireTestClient(client);

  JsonFields f(*body);
  std::optional<int> requested_version;
  domain::VerificationRun run = ReadRun(f, requested_version);
  std::optional<domain::VerificationCatalogue> catalogue;
  if (requested_version) {
    catalogue = svc.verifications.FindCatalogue(*requested_version);
    if (!catalogue)
      f.AddError("catalogue_version", "unknown_catalogue_version", "no such catalogue version");
  } else {
    catalogue = svc.verifications.CurrentCatalogue();
  }
  if (catalogue)
    f.AddErrors(domain::ValidateRun(run, *catalogue, std::chrono::system_clock::now()));
  f.Finish("the verification run is invalid");

  run.id = crypto::NewUuid();
  run.client_id = client.client_id;
  run.catalogue_version = catalogue->version;
  domain::MarkCompleteness(run, *catalogue);

  domain::AuditEvent audit = ctx.Audit("verification_run.record", "verification_run", run.id,
                                       client_common::OrganisationOf(client));
  Poco::JSON::Object detail;
  detail.set("client_id", client.client_id);
  detail.set("catalogue_version", run.catalogue_version);
  detail.set("complete", run.complete);
  Poco::JSON::Array passed, failed, not_applicable, missing;
  for (const auto& r : run.results) {
    (r.outcome == domain::CaseOutcome::kPassed   ? passed
     : r.outcome == domain::CaseOutcome::kFailed ? failed
                                                 : not_applicable)
        .add(r.case_id);
  }
  for (int id : run.missing_mandatory) missing.add(id);
  detail.set("passed", passed);
  detail.set("failed", failed);
  detail.set("not_applicable", not_applicable);
  detail.set("missing_mandatory", missing);
  audit.detail_json = AuditDetail(detail);
  const domain::VerificationRun stored = svc.verifications.RecordRun(run, audit.actor, audit);
  WriteJson(ctx, 201, *RunJson(stored));
}

}  // namespace onboard::http::handlers
