#include <Poco/JSON/Array.h>

#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "verifications.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

namespace {

std::string RuleText(const domain::VerificationCase& c) {
  if (c.mandatory) {
    return c.feature ? "mandatory; needs a registered " + std::string(domain::ToString(*c.feature))
                     : "mandatory";
  }
  if (c.feature) return "required when the client has " + std::string(domain::ToString(*c.feature));
  return "optional; must pass once a run records it as passed or failed";
}

// Runs `read` on the object at `array[i]` with its own field reader (paths under
// `<base>/<i>/`), moving its problems to `parent`.
template <class Read>
void ForEachObject(JsonFields& parent, const Poco::JSON::Array& array, const std::string& base,
                   Read read) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string path = base + "/" + std::to_string(i);
    Poco::JSON::Object::Ptr o = array.getObject(static_cast<unsigned>(i));
    if (!o) {
      parent.AddError(path, "invalid_type", "must be an object");
      continue;
    }
    JsonFields item(*o, path + "/");
    read(item, i);
    parent.AddErrors(item.Problems());
  }
}

Poco::Dynamic::Var FeatureOrNull(const std::optional<domain::ClientFeature>& feature) {
  return feature ? Poco::Dynamic::Var(std::string(domain::ToString(*feature)))
                 : Poco::Dynamic::Var();
}

Poco::JSON::Object::Ptr CatalogueCaseJson(const domain::VerificationCase& c) {
  return JsonObject({{"id", c.id},
                     {"name", c.name},
                     {"title", c.title},
                     {"description", c.description},
                     {"mandatory", c.mandatory},
                     {"feature", FeatureOrNull(c.feature)},
                     {"rule", RuleText(c)}});
}

// `{version, published_at, published_by, cases: [{id, name, title, description,
// mandatory, feature, rule}]}`; `feature` is null when the case names none and `rule`
// says in words when the case is required.
Poco::JSON::Object::Ptr CatalogueJson(const domain::VerificationCatalogue& catalogue) {
  return JsonObject({{"version", catalogue.version},
                     {"published_at", catalogue.published_at},
                     {"published_by", catalogue.published_by},
                     {"cases", JsonArray(catalogue.cases, CatalogueCaseJson)}});
}

// Reads the `cases` member (the full list of a new version); problems go to `fields`
// under `cases/<i>/...`.
std::vector<domain::VerificationCase> ReadCatalogueCases(JsonFields& fields) {
  std::vector<domain::VerificationCase> cases;
  Poco::JSON::Array::Ptr array = fields.Array("cases", true);
  if (!array) return cases;
  cases.resize(array->size());
  ForEachObject(fields, *array, "cases", [&](JsonFields& f, std::size_t i) {
    domain::VerificationCase& c = cases[i];
    c.id = static_cast<int>(f.Int("id", true, 1, domain::kMaxCaseId).value_or(0));
    c.name = f.String("name", true, 256).value_or("");
    c.title = f.String("title", true, 4 * domain::kMaxCaseTitleChars).value_or("");
    c.description =
        f.String("description", true, 4 * domain::kMaxCaseDescriptionChars).value_or("");
    c.mandatory = f.Bool("mandatory", true).value_or(false);
    if (auto feature = f.String("feature", false, 64)) {
      c.feature = domain::ClientFeatureFromString(*feature);
      if (!c.feature) {
        f.AddError("feature", "unknown_feature",
                   "feature must be onbehalfof, frontchannel_logout_uri or sso_disabled");
      }
    }
  });
  return cases;
}

Poco::JSON::Object::Ptr CaseResultJson(const domain::CaseResult& r) {
  return JsonObject({{"case_id", r.case_id},
                     {"outcome", std::string(domain::ToString(r.outcome))},
                     {"evidence", r.evidence},
                     {"attachment", OrNull(r.attachment)}});
}

Poco::JSON::Object::Ptr RunJson(const domain::VerificationRun& run) {
  return JsonObject({{"id", run.id},
                     {"client_id", run.client_id},
                     {"catalogue_version", run.catalogue_version},
                     {"tester", run.tester},
                     {"tested_at", run.tested_at},
                     {"complete", run.complete},
                     {"missing_mandatory", JsonArray(run.missing_mandatory)},
                     {"results", JsonArray(run.results, CaseResultJson)},
                     {"recorded_at", run.recorded_at},
                     {"recorded_by", run.recorded_by},
                     {"recorded_role", run.recorded_role},
                     {"portal_user", OrNull(run.portal_user)}});
}

usecases::NewCatalogue ReadNewCatalogue(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewCatalogue command;
  command.cases = ReadCatalogueCases(f);
  command.input_errors = f.Problems();
  return command;
}

usecases::NewRun ReadNewRun(const Poco::JSON::Object& body) {
  JsonFields fields(body);
  usecases::NewRun command;
  domain::VerificationRun& run = command.run;
  run.tester = fields.String("tester", true, 4 * domain::kMaxTesterChars).value_or("");
  run.tested_at = fields.String("tested_at", true, 64).value_or("");
  if (auto v = fields.Int("catalogue_version", false, 1, 1'000'000))
    command.catalogue_version = static_cast<int>(*v);
  if (Poco::JSON::Array::Ptr array = fields.Array("results", true)) {
    run.results.resize(array->size());
    ForEachObject(fields, *array, "results", [&](JsonFields& f, std::size_t i) {
      domain::CaseResult& r = run.results[i];
      r.case_id = static_cast<int>(f.Int("case_id", true, 1, domain::kMaxCaseId).value_or(0));
      const std::string outcome = f.String("outcome", true, 32).value_or("");
      if (auto parsed = domain::CaseOutcomeFromString(outcome)) {
        r.outcome = *parsed;
      } else if (!outcome.empty()) {
        f.AddError("outcome", "invalid_value", "outcome must be passed, failed or not_applicable");
      }
      r.evidence = f.String("evidence", false, 4 * domain::kMaxEvidenceChars).value_or("");
      r.attachment = f.String("attachment", false, 4 * domain::kMaxAttachmentChars).value_or("");
    });
  }
  command.input_errors = fields.Problems();
  return command;
}

Poco::JSON::Object::Ptr ReadinessErrorJson(const FieldError& e) {
  return JsonObject({{"path", e.path}, {"code", e.code}, {"message", e.message}});
}

Poco::JSON::Object::Ptr CaseCheckJson(const domain::CaseCheck& c) {
  return JsonObject(
      {{"id", c.id},
       {"name", c.name},
       {"title", c.title},
       {"mandatory", c.mandatory},
       {"applicable", c.applicable},
       {"reason", c.reason},
       {"outcome", c.outcome ? Poco::Dynamic::Var(std::string(domain::ToString(*c.outcome)))
                             : Poco::Dynamic::Var()},
       {"ok", c.ok},
       {"detail", c.detail}});
}

Poco::JSON::Object::Ptr ReadinessItemJson(const domain::ReadinessItem& item) {
  Poco::JSON::Object::Ptr i = JsonObject(
      {{"id", item.id}, {"title", item.title}, {"ok", item.ok}, {"detail", item.detail}});
  for (const auto& [key, value] : item.facts) i->set(key, value);
  if (!item.missing.empty()) i->set("missing", JsonArray(item.missing));
  if (!item.errors.empty()) i->set("errors", JsonArray(item.errors, ReadinessErrorJson));
  if (!item.cases.empty()) i->set("cases", JsonArray(item.cases, CaseCheckJson));
  return i;
}

}  // namespace

Poco::JSON::Object::Ptr ReadinessJson(const std::string& client_id,
                                      const domain::Readiness& readiness) {
  return JsonObject({{"client_id", client_id},
                     {"ready", readiness.ready},
                     {"items", JsonArray(readiness.items, ReadinessItemJson)}});
}

// GET /v1/verification-catalogue[?version=N]: the current catalogue, or an older version.
void VerificationCatalogueGet(RequestContext& ctx, AppServices& svc) {
  const domain::VerificationCatalogue catalogue =
      svc.use_cases.verifications.Catalogue(ctx.Query("version"));
  WriteVersioned(ctx, 200, catalogue, CatalogueJson);
}

// POST /v1/verification-catalogue {"cases": [...]}: publishes the full list as the next
// version. If-Match (the current version) guards against publishing over a version the
// operator has not seen.
void VerificationCataloguePost(RequestContext& ctx, AppServices& svc) {
  usecases::NewCatalogue command = ReadNewCatalogue(*ReadBody(ctx, svc));
  command.expected_version = ReadIfMatch(ctx);
  const domain::VerificationCatalogue published =
      svc.use_cases.verifications.Publish(ctx.UseCaseCaller(), command);
  ctx.response.set("Location",
                   "/v1/verification-catalogue?version=" + std::to_string(published.version));
  WriteVersioned(ctx, 201, published, CatalogueJson);
}

// POST /v1/clients/{client_id}/verification-runs: records what a tester saw per case of the
// current catalogue (or the version named in `catalogue_version`). A run that leaves out a
// mandatory case is stored as incomplete; only complete runs count for readiness.
void VerificationRunsPost(RequestContext& ctx, AppServices& svc) {
  usecases::NewRun command = ReadNewRun(*ReadBody(ctx, svc));
  command.client_id = ctx.Param("client_id");
  WriteJson(ctx, 201, *RunJson(svc.use_cases.verifications.Record(ctx.UseCaseCaller(), command)));
}

// GET /v1/clients/{client_id}/verification-runs[?limit=N]: newest tested first, with the id
// of the latest complete run (the one that decides readiness).
void VerificationRunsList(RequestContext& ctx, AppServices& svc) {
  const usecases::RunList list = svc.use_cases.verifications.Runs(
      ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Query("limit"));
  WriteJson(ctx, 200,
            *JsonObject({{"client_id", list.client_id},
                         {"latest_complete_run_id", OrNull(list.latest_complete_run_id)},
                         {"items", JsonArray(list.runs, RunJson)}}));
}

// GET /v1/clients/{client_id}/readiness[?delivery=sms_zip|certificate]: the production
// checklist of a test client, item by item.
void ReadinessGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ClientReadiness r = svc.use_cases.verifications.Readiness(
      ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Query("delivery"));
  WriteJson(ctx, 200, *ReadinessJson(r.client_id, r.readiness));
}

}  // namespace onboard::http::handlers
