// Organisation scoping of clients: a portal acting for one organisation never sees, changes
// or learns about another organisation's clients.

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "client_fixtures.hpp"

namespace onboard::testsupport {
namespace {

class ClientOrgScoping : public ClientSuite<ClientOrgScoping> {
 protected:
  void SetUp() override {
    ClientSuite::SetUp();
    if (HasFatalFailure()) return;
    org_a_ = svc().NewOrganisation();
    org_b_ = svc().NewOrganisation();
    client_a_ = svc().CreateClientAs(org_a_, "A sin")->getValue<std::string>("client_id");
    client_b_ = svc().CreateClientAs(org_b_, "B sin")->getValue<std::string>("client_id");
  }

  std::set<std::string> ListedIds(const std::string& query, const Headers& headers) {
    const HttpResponse r = svc().http().Get(query, headers);
    EXPECT_EQ(r.status, 200) << r.Describe();
    std::set<std::string> ids;
    if (!r.json) return ids;
    Poco::JSON::Array::Ptr items = r.json->getArray("items");
    for (std::size_t i = 0; items && i < items->size(); ++i) {
      ids.insert(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("client_id"));
    }
    return ids;
  }

  // The requests a portal could make against one client.
  std::vector<std::pair<std::string, HttpResponse>> EveryRequest(const std::string& id,
                                                                 const Headers& headers) {
    const auto& http = svc().http();
    Headers with_etag = headers;
    with_etag.emplace_back("If-Match", "\"1\"");
    const std::string put_body = Json(LoginClient(org_b_, "overtatt"));
    return {
        {"GET", http.Get("/v1/clients/" + id, headers)},
        {"PUT", http.Request("PUT", "/v1/clients/" + id, with_etag, put_body)},
        {"PATCH", http.Request("PATCH", "/v1/clients/" + id, with_etag,
                               R"({"client_name":"overtatt"})", "application/merge-patch+json")},
        {"history", http.Get("/v1/clients/" + id + "/history", headers)},
        {"deactivate", http.Post("/v1/clients/" + id + "/deactivate", "{}", with_etag)},
        {"reactivate", http.Post("/v1/clients/" + id + "/reactivate", "{}", with_etag)},
    };
  }

  std::string org_a_, org_b_, client_a_, client_b_;
};

TEST_F(ClientOrgScoping, PortalGetsNotFoundForAnotherOrganisationsClientWithoutAHint) {
  const int64_t audit_before = svc().AuditCount();
  const auto foreign = EveryRequest(client_b_, svc().Portal(org_a_));
  const auto missing = EveryRequest("00000000-0000-4000-8000-000000000000", svc().Portal(org_a_));
  ASSERT_EQ(foreign.size(), missing.size());
  for (std::size_t i = 0; i < foreign.size(); ++i) {
    const auto& [what, r] = foreign[i];
    SCOPED_TRACE(what);
    EXPECT_EQ(r.status, 404) << r.Describe();
    EXPECT_EQ(r.content_type, "application/problem+json");
    ASSERT_TRUE(r.json);
    // Indistinguishable from a client that does not exist.
    const HttpResponse& none = missing[i].second;
    EXPECT_EQ(none.status, 404) << none.Describe();
    ASSERT_TRUE(none.json);
    for (const char* member : {"code", "title", "detail", "type"}) {
      EXPECT_EQ(r.json->optValue<std::string>(member, ""),
                none.json->optValue<std::string>(member, ""))
          << member;
    }
    EXPECT_EQ(r.body.find(org_b_), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("B sin"), std::string::npos) << r.body;
  }
  // Nothing changed and nothing was audited.
  const HttpResponse b = svc().http().Get("/v1/clients/" + client_b_, svc().Operator());
  EXPECT_EQ(b.json->getValue<int>("version"), 1);
  EXPECT_EQ(b.json->getValue<std::string>("client_name"), "B sin");
  EXPECT_EQ(b.json->getValue<std::string>("state"), "active");
  EXPECT_EQ(svc().AuditCount(), audit_before);
}

TEST_F(ClientOrgScoping, PortalReachesItsOwnOrganisationsClient) {
  for (const auto& [what, r] : EveryRequest(client_a_, svc().Portal(org_a_))) {
    SCOPED_TRACE(what);
    // PUT/PATCH/deactivate run with If-Match "1", so only the first change succeeds; what
    // matters is that none is a 404.
    EXPECT_NE(r.status, 404) << r.Describe();
    EXPECT_LT(r.status, 500) << r.Describe();
  }
}

TEST_F(ClientOrgScoping, PortalListShowsOnlyItsOwnOrganisation) {
  const auto all = ListedIds("/v1/clients?limit=200", svc().Operator());
  EXPECT_TRUE(all.contains(client_a_));
  EXPECT_TRUE(all.contains(client_b_));

  EXPECT_EQ(ListedIds("/v1/clients?limit=200", svc().Portal(org_a_)),
            (std::set<std::string>{client_a_}));
  EXPECT_EQ(ListedIds("/v1/clients?limit=200", svc().Portal(org_b_)),
            (std::set<std::string>{client_b_}));
  // Asking for the other organisation does not widen the view.
  const auto asked_for_b = ListedIds("/v1/clients?organisation=" + org_b_, svc().Portal(org_a_));
  EXPECT_FALSE(asked_for_b.contains(client_b_));
  EXPECT_TRUE(asked_for_b.empty() || asked_for_b == std::set<std::string>{client_a_});
  const auto by_name = ListedIds("/v1/clients?q=sin", svc().Portal(org_a_));
  EXPECT_EQ(by_name, (std::set<std::string>{client_a_}));
}

TEST_F(ClientOrgScoping, TokenBoundToAnOrganisationSeesOnlyThatOrganisation) {
  const std::string bound = svc().BoundPortalToken(org_a_);
  EXPECT_EQ(ListedIds("/v1/clients", Bearer(bound)), (std::set<std::string>{client_a_}));
  EXPECT_EQ(svc().http().Get("/v1/clients/" + client_a_, Bearer(bound)).status, 200);
  EXPECT_EQ(svc().http().Get("/v1/clients/" + client_b_, Bearer(bound)).status, 404);
  // It cannot be pointed at another organisation through the headers.
  const HttpResponse r =
      svc().http().Get("/v1/clients/" + client_b_, Bearer(bound, {{"X-Onboard-Org", org_b_}}));
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.Describe();
}

TEST_F(ClientOrgScoping, PortalCannotCreateAClientForAnotherOrganisation) {
  const int64_t audit_before = svc().AuditCount();
  const int64_t b_clients = QueryInt(
      svc().db().url(), "SELECT count(*) FROM clients WHERE organisation = '" + org_b_ + "'");
  const HttpResponse r =
      svc().CreateClient(LoginClient(org_b_, "inntrenger"), svc().Portal(org_a_));
  EXPECT_GE(r.status, 400) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
  EXPECT_EQ(QueryInt(svc().db().url(),
                     "SELECT count(*) FROM clients WHERE organisation = '" + org_b_ + "'"),
            b_clients);
  EXPECT_EQ(
      QueryInt(svc().db().url(), "SELECT count(*) FROM clients WHERE client_name = 'inntrenger'"),
      0);
  EXPECT_EQ(svc().AuditCount(), audit_before);
  // Nor through a token bound to its own organisation.
  const std::string bound = svc().BoundPortalToken(org_a_, "bound-create-" + org_a_);
  const int64_t audit_after_token = svc().AuditCount();
  const HttpResponse bound_r = svc().CreateClient(LoginClient(org_b_, "inntrenger"), Bearer(bound));
  EXPECT_GE(bound_r.status, 400) << bound_r.Describe();
  EXPECT_LT(bound_r.status, 500) << bound_r.Describe();
  EXPECT_EQ(
      QueryInt(svc().db().url(), "SELECT count(*) FROM clients WHERE client_name = 'inntrenger'"),
      0);
  EXPECT_EQ(svc().AuditCount(), audit_after_token);
}

}  // namespace
}  // namespace onboard::testsupport
