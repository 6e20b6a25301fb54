#include "verification_codecs.hpp"

#include <Poco/JSON/Array.h>

#include "error.hpp"

namespace onboard::http::handlers {

namespace {

Poco::Dynamic::Var OrNull(const std::string& s) {
  if (s.empty()) return Poco::Dynamic::Var();
  return s;
}

Poco::JSON::Array IntArray(const std::vector<int>& values) {
  Poco::JSON::Array out;
  for (int v : values) out.add(v);
  return out;
}

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

}  // namespace

Poco::JSON::Object::Ptr CatalogueJson(const domain::VerificationCatalogue& catalogue) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("version", catalogue.version);
  o->set("published_at", catalogue.published_at);
  o->set("published_by", catalogue.published_by);
  Poco::JSON::Array cases;
  for (const domain::VerificationCase& c : catalogue.cases) {
    Poco::JSON::Object item;
    item.set("id", c.id);
    item.set("name", c.name);
    item.set("title", c.title);
    item.set("description", c.description);
    item.set("mandatory", c.mandatory);
    item.set("feature", c.feature ? Poco::Dynamic::Var(std::string(domain::ToString(*c.feature)))
                                  : Poco::Dynamic::Var());
    item.set("rule", RuleText(c));
    cases.add(item);
  }
  o->set("cases", cases);
  return o;
}

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

Poco::JSON::Object::Ptr RunJson(const domain::VerificationRun& run) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("id", run.id);
  o->set("client_id", run.client_id);
  o->set("catalogue_version", run.catalogue_version);
  o->set("tester", run.tester);
  o->set("tested_at", run.tested_at);
  o->set("complete", run.complete);
  o->set("missing_mandatory", IntArray(run.missing_mandatory));
  Poco::JSON::Array results;
  for (const domain::CaseResult& r : run.results) {
    Poco::JSON::Object item;
    item.set("case_id", r.case_id);
    item.set("outcome", std::string(domain::ToString(r.outcome)));
    item.set("evidence", r.evidence);
    item.set("attachment", OrNull(r.attachment));
    results.add(item);
  }
  o->set("results", results);
  o->set("recorded_at", run.recorded_at);
  o->set("recorded_by", run.recorded_by);
  o->set("recorded_role", run.recorded_role);
  o->set("portal_user", OrNull(run.portal_user));
  return o;
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

Poco::JSON::Object::Ptr ReadinessJson(const std::string& client_id,
                                      const domain::Readiness& readiness) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("client_id", client_id);
  o->set("ready", readiness.ready);
  Poco::JSON::Array items;
  for (const domain::ReadinessItem& item : readiness.items) {
    Poco::JSON::Object i;
    i.set("id", item.id);
    i.set("title", item.title);
    i.set("ok", item.ok);
    i.set("detail", item.detail);
    for (const auto& [key, value] : item.facts) i.set(key, value);
    if (!item.missing.empty()) {
      Poco::JSON::Array missing;
      for (const std::string& m : item.missing) missing.add(m);
      i.set("missing", missing);
    }
    if (!item.errors.empty()) {
      Poco::JSON::Array errors;
      for (const FieldError& e : item.errors) {
        Poco::JSON::Object err;
        err.set("path", e.path);
        err.set("code", e.code);
        err.set("message", e.message);
        errors.add(err);
      }
      i.set("errors", errors);
    }
    if (!item.cases.empty()) {
      Poco::JSON::Array cases;
      for (const domain::CaseCheck& c : item.cases) {
        Poco::JSON::Object cc;
        cc.set("id", c.id);
        cc.set("name", c.name);
        cc.set("title", c.title);
        cc.set("mandatory", c.mandatory);
        cc.set("applicable", c.applicable);
        cc.set("reason", c.reason);
        cc.set("outcome", c.outcome ? Poco::Dynamic::Var(std::string(domain::ToString(*c.outcome)))
                                    : Poco::Dynamic::Var());
        cc.set("ok", c.ok);
        cc.set("detail", c.detail);
        cases.add(cc);
      }
      i.set("cases", cases);
    }
    items.add(i);
  }
  o->set("items", items);
  return o;
}

usecases::TestUserRequest ReadTestUserRequest(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::TestUserRequest command;
  if (auto count = f.Int("count", false, 1, domain::kMaxTestUsersPerOrganisation))
    command.count = static_cast<int>(*count);
  command.input_errors = f.Problems();
  return command;
}

Poco::JSON::Object::Ptr TestUserJson(const domain::TestUser& user) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("pid", user.pid);
  o->set("organisation", user.organisation);
  o->set("state", user.active() ? "active" : "released");
  o->set("allocated_at", user.allocated_at);
  o->set("allocated_by", user.allocated_by);
  o->set("released_at", OrNull(user.released_at));
  o->set("released_by", OrNull(user.released_by));
  return o;
}

}  // namespace onboard::http::handlers
