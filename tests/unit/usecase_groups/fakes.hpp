#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api_token.hpp"
#include "audit_log.hpp"
#include "audit_report.hpp"
#include "caller.hpp"
#include "client.hpp"
#include "config.hpp"
#include "delivery.hpp"
#include "../usecases/fake_unit_of_work.hpp"
#include "error.hpp"
#include "kek.hpp"
#include "onboarding.hpp"
#include "organisation.hpp"
#include "production_order.hpp"
#include "scope_catalogue.hpp"
#include "support.hpp"
#include "terms.hpp"
#include "test_users.hpp"
#include "../thrown.hpp"
#include "use_case.hpp"
#include "verification.hpp"

/// In-memory fakes of the stores the organisation, onboarding, verification, test-user,
/// token, audit and support use cases read and write. They keep what was written (and the
/// audit events that came with it) so a test can check a rule stopped a write or shaped
/// its event. Not thread-safe; a method a use case never calls throws. UseCaseTest holds one
/// of each for a fixture.
namespace onboard::usecases::testing {

[[noreturn]] inline void NotUsed() { throw std::logic_error("not used by these use cases"); }

/// The row of `rows` under `key`, or nullopt.
template <class Rows>
std::optional<typename Rows::mapped_type> FindRow(const Rows& rows, const std::string& key) {
  const auto it = rows.find(key);
  if (it == rows.end()) return std::nullopt;
  return it->second;
}

inline Caller Operator() {
  Caller c;
  c.who = "ops";
  c.role = domain::Role::kOperator;
  c.request_id = "req-1";
  c.source_ip = "127.0.0.1";
  return c;
}

inline Caller Portal(const std::string& orgno) {
  Caller c = Operator();
  c.who = "portal";
  c.role = domain::Role::kPortal;
  c.organisation = orgno;
  c.portal_user = "kari";
  return c;
}

inline const std::string kOrgA = "974760673";  // valid mod-11
inline const std::string kOrgB = "991825827";  // valid mod-11

/// True when `errors` holds one at `path` with `code`.
inline bool Has(const std::vector<FieldError>& errors, const std::string& path,
                const std::string& code) {
  for (const auto& e : errors) {
    if (e.path == path && e.code == code) return true;
  }
  return false;
}

using testsupport::Thrown;

struct FakeOrganisations : domain::OrganisationStore {
  std::map<std::string, domain::Organisation> rows;
  std::vector<domain::AuditEvent> events;
  domain::OrganisationFilter last_filter;

  domain::Organisation Create(const domain::Organisation& org,
                              const domain::AuditEvent& audit) override {
    if (rows.contains(org.orgno)) throw AppError(ErrorCode::kConflict, "exists", "23505");
    events.push_back(audit);
    return rows[org.orgno] = org;
  }
  std::optional<domain::Organisation> Find(const std::string& orgno) override {
    return FindRow(rows, orgno);
  }
  domain::Page<domain::Organisation> List(const domain::OrganisationFilter& filter,
                                          const domain::PageRequest&) override {
    last_filter = filter;
    domain::Page<domain::Organisation> page;
    for (const auto& [orgno, org] : rows) {
      if (!filter.only_orgno.empty() && orgno != filter.only_orgno) continue;
      page.items.push_back(org);
    }
    return page;
  }
  domain::Organisation Update(const domain::Organisation& org, int expected_version,
                              const domain::AuditEvent& audit) override {
    if (rows.at(org.orgno).version != expected_version) NotUsed();
    events.push_back(audit);
    domain::Organisation next = org;
    next.version = expected_version + 1;
    return rows[org.orgno] = next;
  }
};

struct FakeOnboardings : domain::OnboardingStore {
  std::map<std::string, domain::Onboarding> rows;
  std::vector<domain::AuditEvent> events;
  int lists = 0;
  domain::OnboardingFilter last_filter;
  std::optional<int> last_expected_version;

  domain::Onboarding Create(const domain::Onboarding& o, const domain::AuditEvent& audit) override {
    events.push_back(audit);
    return rows[o.id] = o;
  }
  std::optional<domain::Onboarding> Find(const std::string& id) override {
    return FindRow(rows, id);
  }
  domain::Page<domain::Onboarding> List(const domain::OnboardingFilter& filter,
                                        const domain::PageRequest&) override {
    ++lists;
    last_filter = filter;
    domain::Page<domain::Onboarding> page;
    for (const auto& [id, o] : rows) {
      if (filter.organisation.empty() || o.organisation == filter.organisation)
        page.items.push_back(o);
    }
    return page;
  }
  domain::Onboarding Update(const domain::Onboarding& o, int expected_version,
                            const domain::AuditEvent& audit) override {
    events.push_back(audit);
    domain::Onboarding next = o;
    next.version = expected_version + 1;
    return rows[o.id] = next;
  }
  domain::OnboardingChange LinkTestClient(const std::string& id, const std::string& client_id,
                                          const domain::Actor&, std::optional<int> expected,
                                          const domain::AuditEvent& audit) override {
    last_expected_version = expected;
    events.push_back(audit);
    domain::Onboarding& o = rows.at(id);
    o.test_clients.push_back({client_id, "", "test", "active", "", ""});
    return {o, true};
  }
  domain::OnboardingChange AcceptTerms(const std::string& id, const std::string& version,
                                       const domain::Actor& by, std::optional<int> expected,
                                       const domain::AuditEvent& audit) override {
    last_expected_version = expected;
    events.push_back(audit);
    domain::Onboarding& o = rows.at(id);
    o.terms_acceptance = domain::TermsAcceptance{version, "", by.name, by.role, by.portal_user};
    return {o, true};
  }
};

struct FakeTerms : domain::TermsStore {
  std::vector<domain::Terms> rows;
  std::vector<domain::AuditEvent> events;
  int finds = 0;
  domain::Terms Publish(const domain::Terms& t, const domain::AuditEvent& audit) override {
    events.push_back(audit);
    rows.push_back(t);
    return t;
  }
  std::vector<domain::Terms> List() override { return rows; }
  std::optional<domain::Terms> Find(const std::string& version) override {
    ++finds;
    for (const auto& t : rows) {
      if (t.version == version) return t;
    }
    return std::nullopt;
  }
};

struct FakeClients : domain::ClientStore {
  std::map<std::string, domain::Client> rows;
  std::map<std::string, std::string> registration_tokens;  ///< hash -> client_id
  std::map<std::string, std::vector<domain::ClientChange>> histories;
  std::vector<domain::ClientWrite> writes;  ///< every Create and Update, in order
  std::vector<domain::ClientFilter> filters;
  /// When set, Create refuses another client_orgno as the foreign key does.
  std::optional<std::vector<std::string>> known_organisations;
  /// When set, Update throws it (as the database would, e.g. a concurrent change).
  std::optional<AppError> refuse_update;

  domain::Client Create(const domain::Client& client,
                        const std::optional<std::string>& registration_token_hash,
                        const domain::ClientWrite& write) override {
    if (known_organisations &&
        std::find(known_organisations->begin(), known_organisations->end(),
                  client.metadata.client_orgno) == known_organisations->end()) {
      throw AppError(ErrorCode::kConflict, "conflict", "fk", {}, "clients_organisation_fkey");
    }
    domain::Client stored = client;
    stored.version = 1;
    stored.organisation = client.metadata.client_orgno;
    rows[client.client_id] = stored;
    if (registration_token_hash) registration_tokens[*registration_token_hash] = client.client_id;
    writes.push_back(write);
    Historise(stored, write.change);
    return stored;
  }
  std::optional<domain::Client> Find(const std::string& id) override { return FindRow(rows, id); }
  std::optional<domain::Client> FindByRegistrationToken(const std::string& hash) override {
    const auto id = FindRow(registration_tokens, hash);
    return id ? Find(*id) : std::nullopt;
  }
  domain::Page<domain::Client> List(const domain::ClientFilter& filter,
                                    const domain::PageRequest&) override {
    filters.push_back(filter);
    domain::Page<domain::Client> page;
    for (const auto& [id, c] : rows) {
      if (!filter.organisation || c.organisation == *filter.organisation) page.items.push_back(c);
    }
    return page;
  }
  domain::Client Update(domain::UnitOfWork&, const domain::Client& client, int expected_version,
                        const domain::ClientWrite& write) override {
    if (refuse_update) throw *refuse_update;
    auto it = rows.find(client.client_id);
    if (it == rows.end()) throw AppError(ErrorCode::kNotFound, "no such client");
    if (it->second.version != expected_version) {
      throw AppError(ErrorCode::kPreconditionFailed, "stale", "", {}, "version_mismatch");
    }
    domain::Client stored = client;
    stored.version = expected_version + 1;
    it->second = stored;
    if (write.retire_registration_token) {
      std::erase_if(registration_tokens,
                    [&](const auto& entry) { return entry.second == client.client_id; });
    }
    writes.push_back(write);
    Historise(stored, write.change);
    return stored;
  }
  std::vector<domain::ClientChange> History(const std::string& id) override {
    return histories[id];
  }

  /// Adds a client of `orgno` in `environment` with minimal stored metadata.
  domain::Client& Add(const std::string& id, const std::string& orgno,
                      domain::Environment environment = domain::Environment::kTest) {
    domain::Client& c = rows[id];
    c.client_id = id;
    c.environment = environment;
    c.organisation = orgno;
    c.metadata.client_orgno = orgno;
    c.metadata.client_name = "T";
    c.metadata_json = domain::MetadataToJsonText(c.metadata);
    return c;
  }

 private:
  void Historise(const domain::Client& c, const std::string& change) {
    domain::ClientChange entry;
    entry.version = c.version;
    entry.change = change;
    entry.state = std::string(domain::ToString(c.state));
    histories[c.client_id].push_back(entry);
  }
};

struct FakeVerifications : domain::VerificationStore {
  std::vector<domain::VerificationCatalogue> catalogues;
  std::vector<domain::VerificationRun> runs;
  std::vector<domain::AuditEvent> events;
  int last_limit = 0;
  bool conflict_on_publish = false;

  domain::VerificationCatalogue CurrentCatalogue() override { return catalogues.back(); }
  std::optional<domain::VerificationCatalogue> FindCatalogue(int version) override {
    for (const auto& c : catalogues) {
      if (c.version == version) return c;
    }
    return std::nullopt;
  }
  domain::VerificationCatalogue PublishCatalogue(const domain::VerificationCatalogue& c,
                                                 const domain::AuditEvent& audit) override {
    if (conflict_on_publish) throw AppError(ErrorCode::kConflict, "race", "23505");
    events.push_back(audit);
    catalogues.push_back(c);
    return c;
  }
  domain::VerificationRun RecordRun(const domain::VerificationRun& run, const domain::Actor&,
                                    const domain::AuditEvent& audit) override {
    events.push_back(audit);
    runs.push_back(run);
    return run;
  }
  std::vector<domain::VerificationRun> ListRuns(const std::string&, int limit) override {
    last_limit = limit;
    return runs;
  }
  std::optional<domain::VerificationRun> LatestCompleteRun(const std::string&) override {
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      if (it->complete) return *it;
    }
    return std::nullopt;
  }
  std::optional<std::string> case_of_client;  ///< what FindCaseOfClient answers
  std::optional<std::string> FindCaseOfClient(const std::string&) override {
    return case_of_client;
  }
};

struct FakeTestUsers : domain::TestUserStore {
  std::vector<domain::AuditEvent> events;
  int allocations = 0, lists = 0, releases = 0;
  int last_requested = 0;
  bool last_include_released = false;
  std::vector<domain::TestUser> List(const std::string&, bool include_released) override {
    ++lists;
    last_include_released = include_released;
    return {};
  }
  domain::TestUserAllocation Allocate(const std::string& orgno, int requested,
                                      const std::string& by,
                                      const std::function<std::string()>& generate,
                                      const domain::AuditEvent& audit) override {
    ++allocations;
    last_requested = requested;
    events.push_back(audit);
    domain::TestUserAllocation a;
    a.created.push_back(generate());
    a.active.push_back({a.created.back(), orgno, "", by, "", ""});
    return a;
  }
  std::optional<domain::TestUser> Release(const std::string& orgno, const std::string& pid,
                                          const std::string& by,
                                          const domain::AuditEvent& audit) override {
    ++releases;
    events.push_back(audit);
    if (pid == "00000000000") return std::nullopt;
    return domain::TestUser{pid, orgno, "", "", "now", by};
  }
};

struct FakeTokens : domain::TokenStore {  // the events are in the units' log
  std::vector<domain::ApiToken> rows;
  std::vector<std::string> hashes;
  domain::ApiToken Create(domain::UnitOfWork&, const domain::ApiToken& token,
                          const std::string& hash, std::optional<int>) override {
    rows.push_back(token);
    hashes.push_back(hash);
    return token;
  }
  std::optional<domain::TokenLookup> FindByHash(const std::string&) override { NotUsed(); }
  std::vector<domain::ApiToken> List() override { return rows; }
  domain::ApiToken Revoke(domain::UnitOfWork&, const std::string& id) override {
    for (auto& t : rows) {
      if (t.id == id) return t;
    }
    throw AppError(ErrorCode::kNotFound, "no active token with this id");
  }
  void TouchLastUsed(const std::string&) override { NotUsed(); }
};

struct FakeCaches : Caches {
  int tokens_changed = 0;
  std::vector<std::string> clients_changed;
  void ClientChanged(const std::string& id) override { clients_changed.push_back(id); }
  void TokensChanged() override { ++tokens_changed; }
};

struct FakeAuditLog : domain::AuditLogStore {
  std::vector<domain::SealedAuditEvent> events;  ///< what Stream answers (up to the limit)
  std::vector<std::string> lineage;              ///< what ClientLineage answers
  std::optional<domain::AuditQuery> last_query;
  std::pair<int64_t, int64_t> seq_range{0, 0};
  std::pair<int64_t, int64_t> verified{-1, -1};
  std::optional<domain::Checkpoint> checkpoint;
  std::vector<domain::AuditEvent> written;
  std::vector<domain::Checkpoint> checkpoints;

  void Stream(const domain::AuditQuery& query,
              const std::function<void(const domain::SealedAuditEvent&)>& on_event) override {
    last_query = query;
    int64_t n = 0;
    for (const auto& e : events) {
      if (query.limit && n++ == *query.limit) break;
      on_event(e);
    }
  }
  std::vector<std::string> ClientLineage(const std::string&,
                                         std::vector<std::string>& order_ids) override {
    order_ids = {"order-1"};
    return lineage;
  }
  std::pair<int64_t, int64_t> SeqRangeForTimes(std::optional<int64_t>,
                                               std::optional<int64_t>) override {
    return seq_range;
  }
  domain::ChainReport Verify(int64_t from, int64_t to, const crypto::Signer*) override {
    verified = {from, to};
    domain::ChainReport r;
    r.checked = 3;
    return r;
  }
  std::optional<domain::Checkpoint> WriteCheckpoint(domain::CheckpointKind, const crypto::Signer&,
                                                    const std::string&,
                                                    const domain::AuditEvent& audit) override {
    written.push_back(audit);
    return checkpoint;
  }
  std::vector<domain::Checkpoint> ListCheckpoints(std::optional<int64_t>, int limit) override {
    std::vector<domain::Checkpoint> out = checkpoints;
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }
  int64_t Prune(int64_t, const crypto::Signer&, const domain::AuditEvent&) override { NotUsed(); }
};

struct FakeReports : domain::ReportStore {
  std::optional<domain::ReportPeriod> last_period;
  int last_within = 0;
  domain::OnboardingReport Onboarding(const domain::ReportPeriod& p) override {
    last_period = p;
    return {};
  }
  domain::AccessReport Access(const domain::ReportPeriod& p) override {
    last_period = p;
    return {};
  }
  domain::CredentialsReport Credentials(const domain::ReportPeriod& p, int within) override {
    last_period = p;
    last_within = within;
    return {};
  }
  domain::DeliveriesReport Deliveries(const domain::ReportPeriod& p) override {
    last_period = p;
    return {};
  }
  void AddRefusals(const std::vector<domain::RefusalCount>&) override { NotUsed(); }
};

struct FakeSupport : domain::SupportStore {
  std::optional<std::string> onboarding_id;
  std::vector<std::string> last_targets;
  std::optional<std::string> FindOnboardingIdForClient(const std::string&) override {
    return onboarding_id;
  }
  std::vector<domain::SealedAuditEvent> RecentAuditEvents(const std::vector<std::string>& targets,
                                                          int) override {
    last_targets = targets;
    return {};
  }
};

struct FakeSecrets : domain::SecretStore {
  std::optional<domain::OrderContact> order_contact;
  std::vector<domain::SecretIssuance> issued;
  std::vector<domain::AuditEvent> events;
  std::map<std::string, domain::Delivery> deliveries;
  std::vector<domain::SecretInfo> secrets;
  bool revoke_finds_secret = true;
  domain::DownloadOutcome download = domain::DownloadOutcome::kDelivered;

  void Issue(domain::UnitOfWork&, const domain::SecretIssuance& issuance) override {
    issued.push_back(issuance);
    events.push_back(issuance.audit);
  }
  std::vector<domain::SecretInfo> ListSecrets(const std::string&) override { return secrets; }
  bool RevokeSecret(domain::UnitOfWork&, const std::string&, const std::string&,
                    const domain::AuditEvent& audit) override {
    if (revoke_finds_secret) events.push_back(audit);
    return revoke_finds_secret;
  }
  std::optional<domain::Delivery> FindDelivery(const std::string& id) override {
    return FindRow(deliveries, id);
  }
  std::vector<domain::Delivery> ListDeliveries(const std::string&) override { NotUsed(); }
  std::optional<domain::OrderContact> FindOrderContact(const std::string&) override {
    return order_contact;
  }
  domain::DownloadResult TakePackage(const std::string&, const std::string&,
                                     const domain::AuditEvent& audit) override {
    events.push_back(audit);
    domain::DownloadResult r;
    r.outcome = download;
    if (download == domain::DownloadOutcome::kDelivered) r.zip = crypto::SecretString("PK..");
    return r;
  }
  int SweepExpiredPackages(int) override { NotUsed(); }
};

struct FakeOrders : domain::ProductionOrderStore {
  std::vector<domain::ProductionOrder> rows;
  std::vector<domain::AuditEvent> events;
  std::vector<domain::OrderFilter> filters;
  std::vector<domain::Client> approved_clients;  ///< the production clients Approve created
  std::vector<domain::ClientWrite> client_writes;

  domain::ProductionOrder Create(const domain::ProductionOrder& order,
                                 const domain::AuditEvent& audit) override {
    events.push_back(audit);
    rows.push_back(order);
    return order;
  }
  std::optional<domain::ProductionOrder> Find(const std::string& id) override {
    for (const auto& o : rows) {
      if (o.id == id) return o;
    }
    return std::nullopt;
  }
  domain::Page<domain::ProductionOrder> List(const domain::OrderFilter& filter,
                                             const domain::PageRequest&) override {
    filters.push_back(filter);
    return {rows, ""};
  }
  domain::ProductionOrder Transition(const domain::ProductionOrder& order, int expected,
                                     const domain::AuditEvent& audit) override {
    events.push_back(audit);
    return Store(order, expected);
  }
  domain::ProductionOrder Approve(const domain::ProductionOrder& order, int expected,
                                  const domain::Client& client, const domain::ClientWrite& write,
                                  const domain::AuditEvent& audit,
                                  const std::optional<domain::SecretIssuance>&) override {
    events.push_back(audit);
    approved_clients.push_back(client);
    client_writes.push_back(write);
    domain::ProductionOrder next = order;
    next.production_client_id = client.client_id;
    return Store(next, expected);
  }

 private:
  domain::ProductionOrder Store(domain::ProductionOrder order, int expected) {
    for (auto& o : rows) {
      if (o.id != order.id) continue;
      if (o.version != expected) throw AppError(ErrorCode::kPreconditionFailed, "stale");
      order.version = expected + 1;
      return o = order;
    }
    throw AppError(ErrorCode::kNotFound, "no such production order");
  }
};

/// The configuration the use cases of these tests take: a pepper for client secrets.
inline AppConfig TestConfig() {
  AppConfig c;
  c.secrets.pepper = "pepper";
  return c;
}

/// A key ring of one key (k1) for the envelopes of secret deliveries.
inline crypto::KeyRing TestKeyRing() {
  std::vector<std::string> problems;
  return crypto::KeyRing(crypto::ParseKeks("k1:" + std::string(64, '1'), problems));
}

/// A fixture's fake stores, fresh for each test, and the configuration: a fixture derives
/// from it and builds the use cases it tests on these members.
struct UseCaseTest : ::testing::Test {
  FakeOrganisations organisations;
  FakeOnboardings onboardings;
  FakeTerms terms;
  FakeClients clients;
  FakeVerifications verifications;
  FakeTestUsers test_users;
  FakeTokens tokens;
  FakeCaches caches;
  FakeAuditLog audit_log;
  FakeReports reports;
  FakeSecrets secrets;
  FakeOrders orders;
  FakeUnitsOfWork units;
  const domain::ScopeCatalogue scopes = domain::ScopeCatalogue::Default();
  const AppConfig config = TestConfig();
  const crypto::KeyRing ring = TestKeyRing();
};

}  // namespace onboard::usecases::testing

// The tests of this folder live in onboard::usecases and name these without `testing::`.
namespace onboard::usecases {
using testing::Has;
using testing::kOrgA;
using testing::kOrgB;
using testing::Thrown;
}  // namespace onboard::usecases
