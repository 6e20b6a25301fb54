#include "readiness.hpp"

#include <algorithm>

#include "client_validator.hpp"
#include "organisation.hpp"

namespace onboard::domain {

namespace {

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

ReadinessItem Item(const char* id, const char* title) {
  ReadinessItem item;
  item.id = id;
  item.title = title;
  return item;
}

ReadinessItem TestClientItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessTestClient, "Active test client");
  if (in.environment != Environment::kTest) {
    item.detail = "client " + in.client_id +
                  " is a production client; readiness is checked on the test client";
  } else if (in.state != ClientState::kActive) {
    item.detail = "the test client is " + std::string(ToString(in.state)) + "; reactivate it first";
  } else {
    item.ok = true;
    item.detail = "client " + in.client_id + " is an active test client";
  }
  return item;
}

ReadinessItem OnboardingCaseItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessOnboardingCase, "Linked to an onboarding case");
  if (!in.onboarding) {
    item.detail = "no onboarding case links this test client; link it to the case of the service";
    return item;
  }
  item.facts["onboarding_id"] = in.onboarding->id;
  if (in.onboarding->state == OnboardingState::kWithdrawn) {
    item.detail = "onboarding case " + in.onboarding->id + " is withdrawn";
    return item;
  }
  item.ok = true;
  item.detail = "onboarding case " + in.onboarding->id + " (" + in.onboarding->service_name + ")";
  return item;
}

ReadinessItem TermsItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessTermsAccepted, "Terms of use accepted");
  if (!in.onboarding) {
    item.detail = "no onboarding case links this test client, so no terms acceptance can count";
  } else if (!in.onboarding->terms_acceptance) {
    item.detail = "the terms of use are not accepted for onboarding case " + in.onboarding->id;
  } else {
    const TermsAcceptance& t = *in.onboarding->terms_acceptance;
    item.ok = true;
    item.detail = "terms version " + t.terms_version + " accepted by " + t.accepted_by +
                  (t.portal_user.empty() ? "" : " (" + t.portal_user + ")") + " at " +
                  t.accepted_at;
    item.facts["terms_version"] = t.terms_version;
    item.facts["accepted_at"] = t.accepted_at;
  }
  return item;
}

ReadinessItem PlanningItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessPlanningComplete, "Planning information complete");
  if (!in.onboarding) {
    item.detail = "no onboarding case links this test client, so there is no planning information";
    for (const PlanningField& f : kPlanningFields) item.missing.emplace_back(f.name);
    return item;
  }
  item.missing = MissingPlanningFields(in.onboarding->planning);
  item.ok = item.missing.empty();
  item.detail = item.ok ? "every planning field is filled"
                        : "planning fields still empty: " + Join(item.missing, ", ");
  return item;
}

CaseCheck CheckCase(const VerificationCase& c, const ClientMetadata& metadata,
                    const VerificationRun& run) {
  CaseCheck check;
  check.id = c.id;
  check.name = c.name;
  check.title = c.title;
  check.mandatory = c.mandatory;
  const auto result = std::find_if(run.results.begin(), run.results.end(),
                                   [&](const CaseResult& r) { return r.case_id == c.id; });
  if (result != run.results.end()) check.outcome = result->outcome;
  const bool recorded_as_tested = check.outcome && *check.outcome != CaseOutcome::kNotApplicable;
  if (c.mandatory) {
    check.applicable = true;
    check.reason = "mandatory";
  } else if (c.feature && HasFeature(metadata, *c.feature)) {
    check.applicable = true;
    check.reason = "feature:" + std::string(ToString(*c.feature));
  } else if (recorded_as_tested) {
    check.applicable = true;
    check.reason = "recorded";
  } else {
    check.reason = "optional";
  }

  if (!check.applicable) {
    check.ok = true;
    check.detail = "optional, not used by this client";
  } else if (!check.outcome) {
    check.detail = "not recorded in the latest complete run";
  } else if (*check.outcome == CaseOutcome::kFailed) {
    check.detail = "failed in the latest complete run";
  } else if (*check.outcome == CaseOutcome::kNotApplicable) {
    // Only reachable for a case that is mandatory now or required by a feature.
    check.detail = c.mandatory ? "recorded as not applicable, but the case is mandatory"
                               : "recorded as not applicable, but the client uses " +
                                     std::string(ToString(*c.feature));
  } else {
    check.ok = true;
    check.detail = "passed";
  }
  // A mandatory case that needs a feature cannot really pass without it (test 7 needs a
  // registered front-channel logout URI to receive the logout request).
  if (c.mandatory && c.feature && !HasFeature(metadata, *c.feature)) {
    check.ok = false;
    check.detail = "needs a registered " + std::string(ToString(*c.feature));
  }
  return check;
}

ReadinessItem VerificationItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessVerificationTests, "Verification tests passed");
  if (!IsUserFacing(in.metadata.integration_type)) {
    item.ok = true;
    item.detail = "verification tests apply to clients that log users in; a " +
                  std::string(ToString(in.metadata.integration_type)) + " client needs none";
    return item;
  }
  item.facts["catalogue_version"] = std::to_string(in.catalogue.version);
  if (!in.latest_complete_run) {
    std::vector<std::string> mandatory;
    for (const VerificationCase& c : in.catalogue.cases) {
      if (c.mandatory) mandatory.push_back(std::to_string(c.id));
    }
    item.detail =
        "no complete verification run is recorded; record a run that covers every mandatory case "
        "(" +
        Join(mandatory, ", ") + ")";
    VerificationRun none;
    for (const VerificationCase& c : in.catalogue.cases)
      item.cases.push_back(CheckCase(c, in.metadata, none));
    return item;
  }
  const VerificationRun& run = *in.latest_complete_run;
  item.facts["run_id"] = run.id;
  item.facts["tested_at"] = run.tested_at;
  item.facts["run_catalogue_version"] = std::to_string(run.catalogue_version);

  std::vector<std::string> problems;
  const auto tested = ParseRfc3339(run.tested_at);
  const auto max_age = std::chrono::days(in.max_age_days);
  // Compared in seconds: nanosecond time points overflow for far-off years.
  if (!tested || std::chrono::floor<std::chrono::seconds>(in.now) - *tested > max_age) {
    problems.push_back("the latest complete run (tested " + run.tested_at + ") is older than " +
                       std::to_string(in.max_age_days) + " days; run the tests again");
  }
  for (const VerificationCase& c : in.catalogue.cases) {
    CaseCheck check = CheckCase(c, in.metadata, run);
    if (!check.ok)
      problems.push_back("test " + std::to_string(c.id) + " (" + c.title + "): " + check.detail);
    item.cases.push_back(std::move(check));
  }
  item.ok = problems.empty();
  if (item.ok) {
    item.detail =
        "every applicable test passed in run " + run.id + " (tested " + run.tested_at + ")";
  } else {
    item.detail = Join(problems, "; ");
  }
  if (run.catalogue_version != in.catalogue.version) {
    item.detail += " [the run used catalogue version " + std::to_string(run.catalogue_version) +
                   ", checked against the current version " + std::to_string(in.catalogue.version) +
                   "]";
  }
  return item;
}

ReadinessItem ContactsItem(const ReadinessInput& in) {
  ReadinessItem item = Item(kReadinessProductionContacts, "Production contacts");
  item.facts["delivery"] = std::string(ToString(in.delivery));
  if (!in.onboarding) {
    item.detail = "no onboarding case links this test client, so there are no production contacts";
    item.missing.emplace_back("technical_contact_email");
    if (in.delivery == DeliveryMethod::kSmsZip)
      item.missing.emplace_back("technical_contact_mobile");
    return item;
  }
  const auto& contacts = in.onboarding->contacts;
  const bool email = std::any_of(contacts.begin(), contacts.end(), [](const Contact& c) {
    return c.role == "technical" && IsPlausibleEmail(c.email);
  });
  const bool mobile = std::any_of(contacts.begin(), contacts.end(), [](const Contact& c) {
    return c.role == "technical" && IsE164(c.mobile);
  });
  if (!email) item.missing.emplace_back("technical_contact_email");
  if (in.delivery == DeliveryMethod::kSmsZip && !mobile)
    item.missing.emplace_back("technical_contact_mobile");
  item.ok = item.missing.empty();
  if (item.ok) {
    item.detail = in.delivery == DeliveryMethod::kSmsZip
                      ? "a technical contact with e-mail and a mobile number for the zip password"
                      : "a technical contact with e-mail (certificate: no mobile number needed)";
  } else {
    std::vector<std::string> wanted;
    if (!email) wanted.emplace_back("a technical contact with an e-mail address");
    if (in.delivery == DeliveryMethod::kSmsZip && !mobile) {
      wanted.emplace_back(
          "a technical contact with a mobile number (the zip password goes by SMS)");
    }
    item.detail = "the onboarding case needs " + Join(wanted, " and ");
  }
  return item;
}

ReadinessItem MetadataItem(const ReadinessInput& in, const ScopeCatalogue& scopes) {
  ReadinessItem item = Item(kReadinessProductionMetadata, "Metadata valid for production");
  item.errors = ValidateClientMetadata(in.metadata, Environment::kProduction, scopes);
  item.ok = item.errors.empty();
  item.detail = item.ok ? "the metadata meets the production rules"
                        : std::to_string(item.errors.size()) +
                              " problem(s) under the production rules (a production order may give "
                              "production values)";
  return item;
}

}  // namespace

Readiness EvaluateReadiness(const ReadinessInput& input, const ScopeCatalogue& scopes) {
  Readiness out;
  out.items.push_back(TestClientItem(input));
  out.items.push_back(OnboardingCaseItem(input));
  out.items.push_back(TermsItem(input));
  out.items.push_back(PlanningItem(input));
  out.items.push_back(VerificationItem(input));
  out.items.push_back(ContactsItem(input));
  out.items.push_back(MetadataItem(input, scopes));
  out.ready =
      std::all_of(out.items.begin(), out.items.end(), [](const ReadinessItem& i) { return i.ok; });
  return out;
}

}  // namespace onboard::domain
