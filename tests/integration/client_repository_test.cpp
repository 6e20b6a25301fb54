// db::ClientRepository against a real PostgreSQL: every write stores the client, its
// history entry and its audit event in one transaction (or none of them), versions guard
// against lost updates, and lists page and filter on the server.

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "api_token.hpp"
#include "client.hpp"
#include "client_fixtures.hpp"
#include "client_metadata_json.hpp"
#include "client_repository.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "pool.hpp"

namespace onboard::testsupport {
namespace {

constexpr const char* kPepper = "integration-pepper-0123456789abcdefghij";

// One database for the whole suite (creating one costs more than all these tests): each
// test works on organisations of its own and counts audit events as differences.
class ClientRepositoryStore : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TempDatabase>();
      pool_ = std::make_unique<db::Pool>(db_->url(), 8, 5000, 5);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "no test database: " << e.what();
      pool_.reset();
      db_.reset();
    }
  }
  static void TearDownTestSuite() {
    pool_.reset();
    db_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(pool_) << "no test database (see above)";
    repo_ = std::make_unique<db::ClientRepository>(*pool_);
    org_a_ = ValidOrgno(next_org_++, 93000000);
    org_b_ = ValidOrgno(next_org_++, 93000000);
    ExecSql(db_->url(), "INSERT INTO organisations (orgno, name) VALUES ('" + org_a_ +
                            "', 'A'), ('" + org_b_ + "', 'B')");
    audit_start_ = db_->AuditCount();
  }
  void TearDown() override { repo_.reset(); }

  // Audit events written since the test began.
  int64_t NewAuditEvents() const { return db_->AuditCount() - audit_start_; }

  static domain::AuditEvent Event(const std::string& action, const std::string& target_id,
                                  const std::string& organisation) {
    domain::AuditEvent e;
    e.actor = domain::Actor{"integration-test", "operator", "", "req-" + target_id, "127.0.0.1"};
    e.organisation = organisation;
    e.action = action;
    e.target_type = "client";
    e.target_id = target_id;
    return e;
  }

  static domain::Client NewClient(const std::string& orgno, const std::string& name,
                                  domain::IntegrationType type = domain::IntegrationType::kIdporten,
                                  domain::Environment env = domain::Environment::kTest) {
    Poco::JSON::Object::Ptr body = LoginClient(orgno, name);
    body->remove("environment");
    if (type == domain::IntegrationType::kMaskinporten) {
      body->set("integration_type", "maskinporten");
      body->remove("redirect_uris");
      body->remove("post_logout_redirect_uris");
      body->set("token_endpoint_auth_method", "private_key_jwt");
      body->set("scopes", ParseObject(R"({"s":["digdir:dialogporten"]})")->getArray("s"));
    }
    domain::Client c;
    c.client_id = crypto::NewUuid();
    c.environment = env;
    c.state = env == domain::Environment::kProduction ? domain::ClientState::kAwaitingCredentials
                                                      : domain::ClientState::kActive;
    c.registration_channel =
        env == domain::Environment::kProduction ? "production_order" : "operator";
    c.created_by = "integration-test";
    c.metadata = domain::ParseClientMetadata(*body);
    c.metadata_json = domain::MetadataToJsonText(c.metadata);
    return c;
  }

  domain::ClientWrite Write(const std::string& change, const domain::Client& c,
                            const std::string& before = "{}") {
    domain::ClientWrite w;
    w.change = change;
    w.diff_json = domain::DiffMetadataJson(before, c.metadata_json);
    w.audit = Event("client." + change, c.client_id, c.metadata.client_orgno);
    return w;
  }

  domain::Client Create(const domain::Client& c,
                        const std::optional<std::string>& token_hash = std::nullopt) {
    return repo_->Create(c, token_hash, Write("create", c));
  }

  int64_t Count(const std::string& sql) { return QueryInt(db_->url(), sql); }

  inline static std::unique_ptr<TempDatabase> db_;
  inline static std::unique_ptr<db::Pool> pool_;
  inline static int next_org_ = 0;
  std::unique_ptr<db::ClientRepository> repo_;
  std::string org_a_, org_b_;
  int64_t audit_start_ = 0;
};

TEST_F(ClientRepositoryStore, CreateStoresTheClientItsHistoryAndOneAuditEventTogether) {
  const domain::Client c = NewClient(org_a_, "Første");
  const domain::Client created = Create(c);
  EXPECT_EQ(created.client_id, c.client_id);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.state, domain::ClientState::kActive);
  EXPECT_FALSE(created.created_at.empty());
  EXPECT_EQ(created.created_at, created.updated_at);

  const auto found = repo_->Find(c.client_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(domain::ParseStoredMetadata(found->metadata_json), c.metadata);
  EXPECT_EQ(found->registration_channel, "operator");
  EXPECT_EQ(found->created_by, "integration-test");

  const auto history = repo_->History(c.client_id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].version, 1);
  EXPECT_EQ(history[0].change, "create");
  EXPECT_EQ(history[0].actor, "integration-test");
  EXPECT_EQ(history[0].role, "operator");
  EXPECT_EQ(history[0].request_id, "req-" + c.client_id);
  EXPECT_EQ(history[0].state, "active");
  EXPECT_NE(history[0].diff_json.find("\"client_name\""), std::string::npos);

  EXPECT_EQ(NewAuditEvents(), 1);
  EXPECT_EQ(
      Count("SELECT count(*) FROM audit_events WHERE action = 'client.create' AND target_id = '" +
            c.client_id + "' AND organisation = '" + org_a_ + "'"),
      1);
  // The denormalised columns the list filters on.
  EXPECT_EQ(QueryScalar(db_->url(),
                        "SELECT organisation || '|' || integration_type || '|' || client_name FROM "
                        "clients WHERE client_id = '" +
                            c.client_id + "'"),
            org_a_ + "|idporten|Første");
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

TEST_F(ClientRepositoryStore, CreateWritesNothingWhenTheClientIdIsTaken) {
  const domain::Client c = NewClient(org_a_, "Original");
  Create(c);
  domain::Client twin = NewClient(org_b_, "Tvilling");
  twin.client_id = c.client_id;
  try {
    Create(twin);
    FAIL() << "a second client with the same id was stored";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
  EXPECT_EQ(NewAuditEvents(), 1);
  EXPECT_EQ(repo_->History(c.client_id).size(), 1u);
  EXPECT_EQ(domain::ParseStoredMetadata(repo_->Find(c.client_id)->metadata_json), c.metadata);
}

TEST_F(ClientRepositoryStore, CreateForAnUnknownOrganisationWritesNothing) {
  const domain::Client c = NewClient(ValidOrgno(7, 93000000), "Foreldreløs");
  EXPECT_THROW(Create(c), AppError);
  EXPECT_FALSE(repo_->Find(c.client_id));
  EXPECT_EQ(NewAuditEvents(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM client_history WHERE client_id = '" + c.client_id + "'"),
            0);
}

TEST_F(ClientRepositoryStore, StoresOnlyTheKeyedHashOfANewSecret) {
  const domain::Client c = NewClient(org_a_, "Hemmelig");
  domain::ClientWrite w = Write("create", c);
  domain::IssuedSecret secret =
      domain::NewClientSecret(kPepper, 360, 1'800'000'000, "integration-test");
  w.new_secret = secret.record;
  repo_->Create(c, std::nullopt, w);
  const std::string clear = secret.secret.reveal();
  EXPECT_EQ(Count("SELECT count(*) FROM client_secrets WHERE client_id = '" + c.client_id +
                  "' AND state = 'active'"),
            1);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT secret_hash FROM client_secrets WHERE client_id = '" +
                                        c.client_id + "'"),
            domain::HashClientSecret(kPepper, clear));
  EXPECT_EQ(Count("SELECT count(*) FROM client_secrets s WHERE strpos(s::text, " +
                  SqlLiteral(clear.substr(8)) + ") > 0"),
            0);
  EXPECT_EQ(QueryScalar(db_->url(),
                        "SELECT extract(epoch FROM expires_at)::bigint::text FROM client_secrets "
                        "WHERE client_id = '" +
                            c.client_id + "'"),
            std::to_string(secret.record.expires_at_epoch));
}

TEST_F(ClientRepositoryStore, UpdateBumpsTheVersionAndAppendsHistoryAndAudit) {
  const domain::Client created = Create(NewClient(org_a_, "Gammelt navn"));
  domain::Client next = created;
  next.metadata = domain::ParseStoredMetadata(created.metadata_json);
  next.metadata.client_name = "Nytt navn";
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  const domain::Client updated =
      repo_->Update(next, 1, Write("update", next, created.metadata_json));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.created_at, created.created_at);

  const auto history = repo_->History(created.client_id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].version, 2);
  EXPECT_EQ(history[1].change, "update");
  Poco::JSON::Object::Ptr diff = ParseObject("{\"d\":" + history[1].diff_json + "}");
  ASSERT_EQ(diff->getArray("d")->size(), 1u) << history[1].diff_json;
  Poco::JSON::Object::Ptr entry = diff->getArray("d")->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("field"), "client_name");
  EXPECT_EQ(entry->getValue<std::string>("from"), "Gammelt navn");
  EXPECT_EQ(entry->getValue<std::string>("to"), "Nytt navn");
  EXPECT_EQ(NewAuditEvents(), 2);
  // The name column follows the metadata, so the free-text filter finds the new name.
  domain::ClientFilter filter;
  filter.organisation = org_a_;
  filter.name_contains = "nytt";
  EXPECT_EQ(repo_->List(filter, {}).items.size(), 1u);
  filter.name_contains = "gammelt";
  EXPECT_TRUE(repo_->List(filter, {}).items.empty());
}

TEST_F(ClientRepositoryStore, UpdateFromAStaleVersionIsRefusedAndWritesNothing) {
  const domain::Client created = Create(NewClient(org_a_, "Versjon"));
  domain::Client first = created;
  first.state = domain::ClientState::kDeactivated;
  repo_->Update(first, 1, Write("deactivate", first, created.metadata_json));
  domain::Client stale = created;
  stale.metadata_json = R"({"client_name":"tapt"})";
  try {
    repo_->Update(stale, 1, Write("update", stale, created.metadata_json));
    FAIL() << "a stale update was stored";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPreconditionFailed);
  }
  const auto now = repo_->Find(created.client_id);
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->state, domain::ClientState::kDeactivated);
  EXPECT_EQ(domain::ParseStoredMetadata(now->metadata_json),
            domain::ParseStoredMetadata(created.metadata_json));
  EXPECT_EQ(repo_->History(created.client_id).size(), 2u);
  EXPECT_EQ(NewAuditEvents(), 2);

  domain::Client ghost = NewClient(org_a_, "Spøkelse");
  try {
    repo_->Update(ghost, 1, Write("update", ghost));
    FAIL() << "an update of a missing client succeeded";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  EXPECT_EQ(NewAuditEvents(), 2);
}

TEST_F(ClientRepositoryStore, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  const domain::Client created = Create(NewClient(org_a_, "Kappløp"));
  constexpr int kWriters = 6;
  std::atomic<int> won{0}, stale{0}, other{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      domain::Client next = created;
      next.metadata = domain::ParseStoredMetadata(created.metadata_json);
      next.metadata.client_name = "Skriver " + std::to_string(i);
      next.metadata_json = domain::MetadataToJsonText(next.metadata);
      try {
        repo_->Update(next, 1, Write("update", next, created.metadata_json));
        ++won;
      } catch (const AppError& e) {
        (e.code() == ErrorCode::kPreconditionFailed ? stale : other)++;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(stale.load(), kWriters - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(repo_->Find(created.client_id)->version, 2);
  EXPECT_EQ(repo_->History(created.client_id).size(), 2u);
  EXPECT_EQ(NewAuditEvents(), 2);
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

TEST_F(ClientRepositoryStore, TreatsMalformedOrUnknownIdsAsMissing) {
  EXPECT_FALSE(repo_->Find("not-a-uuid"));
  EXPECT_FALSE(repo_->Find("'; DROP TABLE clients; --"));
  EXPECT_FALSE(repo_->Find(crypto::NewUuid()));
  EXPECT_TRUE(repo_->History("not-a-uuid").empty());
  EXPECT_TRUE(repo_->History(crypto::NewUuid()).empty());
}

TEST_F(ClientRepositoryStore, FindsAClientByTheHashOfItsRegistrationToken) {
  const std::string token = domain::GenerateTokenSecret().reveal();
  const domain::Client c = Create(NewClient(org_a_, "Dynamisk"), domain::HashToken(token));
  Create(NewClient(org_a_, "Uten token"));
  const auto found = repo_->FindByRegistrationToken(domain::HashToken(token));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->client_id, c.client_id);
  EXPECT_FALSE(repo_->FindByRegistrationToken(domain::HashToken(token + "x")));
  EXPECT_FALSE(repo_->FindByRegistrationToken(token));  // the clear token is not what is stored
  EXPECT_EQ(Count("SELECT count(*) FROM clients c WHERE strpos(c::text, " +
                  SqlLiteral(token.substr(6)) + ") > 0"),
            0);
}

TEST_F(ClientRepositoryStore, RevokesSecretsAndRetiresTheRegistrationTokenWithTheChange) {
  const std::string token = domain::GenerateTokenSecret().reveal();
  const domain::Client c = NewClient(org_a_, "Pensjonert");
  domain::ClientWrite w = Write("create", c);
  w.new_secret = domain::NewClientSecret(kPepper, 30, 1'800'000'000, "integration-test").record;
  const domain::Client created = repo_->Create(c, domain::HashToken(token), w);

  domain::Client next = created;
  next.state = domain::ClientState::kDeactivated;
  domain::ClientWrite retire = Write("deactivate", next, created.metadata_json);
  retire.revoke_secrets = true;
  retire.retire_registration_token = true;
  repo_->Update(next, 1, retire);
  EXPECT_FALSE(repo_->FindByRegistrationToken(domain::HashToken(token)));
  EXPECT_EQ(Count("SELECT count(*) FROM client_secrets WHERE state = 'revoked' AND revoked_at IS "
                  "NOT NULL AND "
                  "client_id = '" +
                  c.client_id + "'"),
            1);

  // A later change that issues a new secret keeps it active.
  domain::Client again = *repo_->Find(c.client_id);
  again.state = domain::ClientState::kActive;
  domain::ClientWrite renew = Write("reactivate", again, again.metadata_json);
  renew.revoke_secrets = true;
  renew.new_secret = domain::NewClientSecret(kPepper, 30, 1'800'000'000, "integration-test").record;
  repo_->Update(again, 2, renew);
  EXPECT_EQ(Count("SELECT count(*) FROM client_secrets WHERE state = 'active' AND client_id = '" +
                  c.client_id + "'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM client_secrets WHERE client_id = '" + c.client_id + "'"),
            2);
}

TEST_F(ClientRepositoryStore, ListsPageByPageAndFiltersOnTheServer) {
  std::set<std::string> a_ids;
  for (int i = 0; i < 5; ++i)
    a_ids.insert(Create(NewClient(org_a_, "Tjeneste " + std::to_string(i))).client_id);
  const auto machine =
      Create(NewClient(org_b_, "Maskin 100%", domain::IntegrationType::kMaskinporten));
  const auto prod = Create(NewClient(org_b_, "Produksjon", domain::IntegrationType::kIdporten,
                                     domain::Environment::kProduction));

  domain::ClientFilter by_a;
  by_a.organisation = org_a_;
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = repo_->List(by_a, {cursor, 2});
    EXPECT_LE(page.items.size(), 2u);
    for (const auto& c : page.items)
      EXPECT_TRUE(seen.insert(c.client_id).second) << "listed twice: " << c.client_id;
    cursor = page.next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, a_ids);

  // Other tests' clients share the database: look only at this test's organisations.
  auto ids = [&](const domain::ClientFilter& f) {
    std::set<std::string> out;
    for (const auto& c : repo_->List(f, {"", 200}).items) {
      const std::string org = domain::ParseStoredMetadata(c.metadata_json).client_orgno;
      if (org == org_a_ || org == org_b_) out.insert(c.client_id);
    }
    return out;
  };
  domain::ClientFilter f;
  f.environment = domain::Environment::kProduction;
  EXPECT_EQ(ids(f), (std::set<std::string>{prod.client_id}));
  f = {};
  f.integration_type = domain::IntegrationType::kMaskinporten;
  EXPECT_EQ(ids(f), (std::set<std::string>{machine.client_id}));
  f = {};
  f.state = domain::ClientState::kAwaitingCredentials;
  EXPECT_EQ(ids(f), (std::set<std::string>{prod.client_id}));
  f = {};
  f.name_contains = "100%";
  EXPECT_EQ(ids(f), (std::set<std::string>{machine.client_id}));
  f.name_contains = "%";
  EXPECT_EQ(ids(f), (std::set<std::string>{machine.client_id})) << "% is a plain character";
  f.name_contains = "TJENESTE";
  EXPECT_EQ(ids(f), a_ids);
  f = {};
  f.organisation = org_b_;
  f.environment = domain::Environment::kTest;
  EXPECT_EQ(ids(f), (std::set<std::string>{machine.client_id}));

  try {
    repo_->List({}, {"bm90LWEtdXVpZA", 10});  // base64url of "not-a-uuid"
    FAIL() << "a malformed cursor was accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
  }
}

TEST_F(ClientRepositoryStore, EveryReadReturnsTheParsedMetadataAndTheOrganisation) {
  domain::Client c = NewClient(org_a_, "Komplett");
  c.metadata.supplier_orgno = org_b_;
  c.metadata_json = domain::MetadataToJsonText(c.metadata);
  const std::string token_hash = crypto::Sha256Hex("token-" + c.client_id);
  Create(c, token_hash);
  domain::ClientFilter filter;
  filter.organisation = org_a_;
  const auto listed = repo_->List(filter, {});
  ASSERT_EQ(listed.items.size(), 1u);
  const auto found = repo_->Find(c.client_id);
  const auto by_token = repo_->FindByRegistrationToken(token_hash);
  const auto many = repo_->FindMany({c.client_id});
  ASSERT_TRUE(found && by_token);
  ASSERT_EQ(many.size(), 1u);
  for (const domain::Client& read : {*found, *by_token, many[0], listed.items[0]}) {
    EXPECT_EQ(read.organisation, org_a_);
    EXPECT_EQ(read.metadata.client_orgno, org_a_);
    EXPECT_EQ(read.metadata.client_name, "Komplett");
    EXPECT_EQ(read.metadata.supplier_orgno, std::optional<std::string>(org_b_));
    EXPECT_EQ(read.metadata.redirect_uris, c.metadata.redirect_uris);
    EXPECT_EQ(domain::MetadataToJsonText(read.metadata), c.metadata_json);
  }
}

// Last: its hand-written row would trip the lists above, which parse every client's text.
TEST_F(ClientRepositoryStore, AStoredDocumentWithoutItsTypeReadsAsTheTypeColumnSays) {
  // Rows written by hand (fixtures, repairs) may carry '{}': the integration_type column
  // stands in for the member, as it was stored beside it.
  const std::string id = crypto::NewUuid();
  ExecSql(db_->url(),
          "INSERT INTO clients (client_id, environment, organisation, integration_type, "
          "client_name, state, metadata, registration_channel, created_by) VALUES ('" +
              id + "', 'test', '" + org_a_ +
              "', 'maskinporten', 'M', 'active', '{}', 'operator', 'it')");
  const auto found = repo_->Find(id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->metadata.integration_type, domain::IntegrationType::kMaskinporten);
  EXPECT_EQ(found->organisation, org_a_);
  EXPECT_EQ(found->metadata_json, "{}");
}

}  // namespace
}  // namespace onboard::testsupport
