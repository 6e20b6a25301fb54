#include "verifications.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "crypto.hpp"
#include "json_text.hpp"
#include "merge_patch.hpp"
#include "paging.hpp"

namespace onboard::usecases {

namespace {

void RequireTestClient(const domain::Client& client) {
  if (client.environment != domain::Environment::kTest) {
    throw AppError(ErrorCode::kConflict,
                   "client " + client.client_id + " is a " +
                       std::string(domain::ToString(client.environment)) +
                       " client; verification and readiness concern its test client",
                   "", {}, "not_a_test_client");
  }
}

Poco::JSON::Array Ids(const std::vector<int>& ids) {
  Poco::JSON::Array out;
  for (int id : ids) out.add(id);
  return out;
}

std::string PublishDetail(const domain::VerificationCatalogue& next, int previous_version) {
  Poco::JSON::Object detail;
  detail.set("version", next.version);
  detail.set("previous_version", previous_version);
  Poco::JSON::Array mandatory, optional;
  for (const auto& c : next.cases) (c.mandatory ? mandatory : optional).add(c.id);
  detail.set("mandatory", mandatory);
  detail.set("optional", optional);
  return json::Text(detail);
}

std::string RunDetail(const domain::VerificationRun& run) {
  Poco::JSON::Object detail;
  detail.set("client_id", run.client_id);
  detail.set("catalogue_version", run.catalogue_version);
  detail.set("complete", run.complete);
  Poco::JSON::Array passed, failed, not_applicable;
  for (const auto& r : run.results) {
    (r.outcome == domain::CaseOutcome::kPassed   ? passed
     : r.outcome == domain::CaseOutcome::kFailed ? failed
                                                 : not_applicable)
        .add(r.case_id);
  }
  detail.set("passed", passed);
  detail.set("failed", failed);
  detail.set("not_applicable", not_applicable);
  detail.set("missing_mandatory", Ids(run.missing_mandatory));
  return json::Text(detail);
}

}  // namespace

domain::Client FindVisibleClient(domain::ClientStore& clients, const Caller& caller,
                                 const std::string& client_id) {
  auto client = clients.Find(client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no such client");
  caller.RequireVisible(OrganisationOf(*client), "no such client");
  return *client;
}

domain::Client Verifications::FindVisibleTestClient(const Caller& caller,
                                                    const std::string& client_id) {
  domain::Client client = FindVisibleClient(clients_, caller, client_id);
  RequireTestClient(client);
  return client;
}

domain::VerificationCatalogue Verifications::Catalogue(const std::string& version) {
  if (version.empty()) return store_.CurrentCatalogue();
  int n = 0;
  if (!Poco::NumberParser::tryParse(version, n) || n < 1) {
    throw AppError(ErrorCode::kValidation, "version must be a positive integer", "",
                   {{"version", "invalid_value", "version must be a positive integer"}});
  }
  auto found = store_.FindCatalogue(n);
  if (!found) throw AppError(ErrorCode::kNotFound, "no such catalogue version");
  return std::move(*found);
}

domain::VerificationCatalogue Verifications::Publish(const Caller& caller,
                                                     const NewCatalogue& command) {
  ThrowIfInvalid(command.input_errors, domain::ValidateCatalogueCases(command.cases),
                 "the verification catalogue is invalid");
  const domain::VerificationCatalogue current = store_.CurrentCatalogue();
  if (command.expected_version && *command.expected_version != current.version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the catalogue is at version " + std::to_string(current.version) +
                       " now; reload it and retry",
                   "", {}, "version_mismatch");
  }
  domain::VerificationCatalogue next;
  next.version = current.version + 1;
  next.cases = command.cases;
  std::sort(next.cases.begin(), next.cases.end(),
            [](const domain::VerificationCase& a, const domain::VerificationCase& b) {
              return a.id < b.id;
            });
  next.published_by = caller.who;
  domain::AuditEvent audit = caller.Audit(
      "verification_catalogue.publish", "verification_catalogue", std::to_string(next.version), "");
  audit.detail_json = PublishDetail(next, current.version);
  try {
    return store_.PublishCatalogue(next, audit);
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kConflict) throw;
    throw AppError(ErrorCode::kConflict,
                   "another catalogue version was published meanwhile; reload it and retry",
                   e.internal(), {}, "catalogue_changed");
  }
}

domain::VerificationRun Verifications::Record(const Caller& caller, const NewRun& command) {
  const domain::Client client = FindVisibleTestClient(caller, command.client_id);
  std::vector<FieldError> rules;
  std::optional<domain::VerificationCatalogue> catalogue;
  if (command.catalogue_version) {
    catalogue = store_.FindCatalogue(*command.catalogue_version);
    if (!catalogue) {
      rules.push_back(
          {"catalogue_version", "unknown_catalogue_version", "no such catalogue version"});
    }
  } else {
    catalogue = store_.CurrentCatalogue();
  }
  domain::VerificationRun run = command.run;
  if (catalogue) {
    const auto invalid = domain::ValidateRun(run, *catalogue, std::chrono::system_clock::now());
    rules.insert(rules.end(), invalid.begin(), invalid.end());
  }
  ThrowIfInvalid(command.input_errors, rules, "the verification run is invalid");

  run.id = crypto::NewUuid();
  run.client_id = client.client_id;
  run.catalogue_version = catalogue->version;
  domain::MarkCompleteness(run, *catalogue);
  domain::AuditEvent audit =
      caller.Audit("verification_run.record", "verification_run", run.id, OrganisationOf(client));
  audit.detail_json = RunDetail(run);
  return store_.RecordRun(run, audit.actor, audit);
}

RunList Verifications::Runs(const Caller& caller, const std::string& client_id,
                            const std::string& limit) {
  const domain::Client client = FindVisibleClient(clients_, caller, client_id);
  int n = 50;
  if (!limit.empty() &&
      (!Poco::NumberParser::tryParse(limit, n) || n < 1 || n > domain::kMaxPageSize)) {
    throw AppError(ErrorCode::kValidation,
                   "limit must be between 1 and " + std::to_string(domain::kMaxPageSize), "",
                   {{"limit", "out_of_range", "limit must be between 1 and 200"}});
  }
  RunList out;
  out.client_id = client.client_id;
  out.runs = store_.ListRuns(client.client_id, n);
  if (auto deciding = store_.LatestCompleteRun(client.client_id)) {
    out.latest_complete_run_id = deciding->id;
  }
  return out;
}

ClientReadiness Verifications::Readiness(const Caller& caller, const std::string& client_id,
                                         const std::string& delivery) {
  const domain::Client client = FindVisibleTestClient(caller, client_id);
  domain::DeliveryMethod method = domain::DeliveryMethod::kSmsZip;
  if (!delivery.empty()) {
    auto parsed = domain::DeliveryMethodFromString(delivery);
    if (!parsed) {
      throw AppError(ErrorCode::kValidation, "delivery must be sms_zip or certificate", "",
                     {{"delivery", "invalid_value", "delivery must be sms_zip or certificate"}});
    }
    method = *parsed;
  }
  return {client.client_id, Evaluate(client, method, "")};
}

domain::Readiness Verifications::Evaluate(const domain::Client& client,
                                          domain::DeliveryMethod delivery,
                                          const std::string& proposed_metadata_json) {
  std::optional<domain::Onboarding> onboarding;
  if (auto case_id = store_.FindCaseOfClient(client.client_id)) {
    onboarding = onboardings_.Find(*case_id);
  }
  return Judge(client, delivery, proposed_metadata_json, std::move(onboarding),
               store_.CurrentCatalogue(), store_.LatestCompleteRun(client.client_id));
}

std::vector<domain::Readiness> Verifications::EvaluateMany(
    const std::vector<ReadinessSubject>& subjects) {
  std::vector<domain::Readiness> out;
  if (subjects.empty()) return out;
  std::vector<std::string> ids;
  for (const ReadinessSubject& s : subjects) ids.push_back(s.client_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::map<std::string, domain::Client> clients;
  for (domain::Client& c : clients_.FindMany(ids)) clients.emplace(c.client_id, std::move(c));
  const std::map<std::string, domain::TestClientFacts> facts = store_.FactsOfTestClients(ids);
  std::vector<std::string> case_ids;
  for (const auto& [id, f] : facts) {
    if (f.case_id) case_ids.push_back(*f.case_id);
  }
  std::sort(case_ids.begin(), case_ids.end());
  case_ids.erase(std::unique(case_ids.begin(), case_ids.end()), case_ids.end());
  std::map<std::string, domain::Onboarding> cases;
  for (domain::Onboarding& o : onboardings_.FindMany(case_ids)) {
    // The checklist does not read the linked clients; a case linking many would otherwise
    // be copied with all of them into each of its clients' checklists.
    o.test_clients.clear();
    cases.emplace(o.id, std::move(o));
  }
  const domain::VerificationCatalogue catalogue = store_.CurrentCatalogue();
  for (const ReadinessSubject& s : subjects) {
    auto client = clients.find(s.client_id);
    if (client == clients.end()) {
      domain::ReadinessItem item;
      item.id = domain::kReadinessTestClient;
      item.title = "Active test client";
      item.detail = "no such client";
      out.push_back(domain::Readiness{false, {item}});
      continue;
    }
    auto f = facts.find(s.client_id);
    domain::TestClientFacts known = f == facts.end() ? domain::TestClientFacts{} : f->second;
    std::optional<domain::Onboarding> onboarding;
    if (known.case_id) {
      auto found = cases.find(*known.case_id);
      if (found != cases.end()) onboarding = found->second;
    }
    out.push_back(Judge(client->second, s.delivery, s.proposed_metadata_json, std::move(onboarding),
                        catalogue, std::move(known.latest_complete_run)));
  }
  return out;
}

domain::Readiness Verifications::Judge(
    const domain::Client& client, domain::DeliveryMethod delivery,
    const std::string& proposed_metadata_json, std::optional<domain::Onboarding> onboarding,
    domain::VerificationCatalogue catalogue,
    std::optional<domain::VerificationRun> latest_complete_run) const {
  domain::ReadinessInput input;
  input.client_id = client.client_id;
  input.environment = client.environment;
  input.state = client.state;
  input.delivery = delivery;
  // An order is judged on the metadata it proposes for production, not on the test
  // client's (whose localhost redirect URIs are fine in test).
  input.metadata = proposed_metadata_json.empty()
                       ? client.metadata
                       : domain::ParseStoredMetadata(proposed_metadata_json);
  input.onboarding = std::move(onboarding);
  input.catalogue = std::move(catalogue);
  input.latest_complete_run = std::move(latest_complete_run);
  input.now = std::chrono::system_clock::now();
  input.max_age_days = max_age_days_;
  return domain::EvaluateReadiness(input, scopes_);
}

}  // namespace onboard::usecases
