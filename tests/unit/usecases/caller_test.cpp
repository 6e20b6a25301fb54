#include <gtest/gtest.h>

#include "caller.hpp"
#include "error.hpp"
#include "fake_unit_of_work.hpp"

namespace onboard::usecases {
namespace {

Caller Portal(std::string org) {
  Caller c;
  c.who = "portal-token";
  c.role = domain::Role::kPortal;
  c.organisation = std::move(org);
  c.portal_user = "kari";
  c.request_id = "req-1";
  c.source_ip = "127.0.0.1";
  return c;
}

TEST(Caller, PrefillsTheAuditEventWithWhoAskedAndFromWhere) {
  const domain::AuditEvent e = Portal("910000001").Audit("client.create", "client", "id-1", "org");
  EXPECT_EQ(e.actor.name, "portal-token");
  EXPECT_EQ(e.actor.role, "portal");
  EXPECT_EQ(e.actor.portal_user, "kari");
  EXPECT_EQ(e.actor.request_id, "req-1");
  EXPECT_EQ(e.actor.source_ip, "127.0.0.1");
  EXPECT_EQ(e.action, "client.create");
  EXPECT_EQ(e.target_id, "id-1");
  EXPECT_EQ(e.organisation, "org");
}

TEST(Caller, HidesAnotherOrganisationsResourceFromAPortalAsNotFound) {
  try {
    Portal("910000001").RequireVisible("910000002", "no such client");
    FAIL() << "no refusal";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(e.detail(), "no such client");
  }
  EXPECT_NO_THROW(Portal("910000001").RequireVisible("910000001"));
  Caller op;
  op.role = domain::Role::kOperator;
  EXPECT_NO_THROW(op.RequireVisible("910000002"));
}

TEST(FakeUnitOfWork, RunsHooksAndKeepsEventsOnlyOnCommit) {
  testing::FakeUnitsOfWork units;
  int hooks = 0;
  {
    auto unit = units.Begin();
    unit->Record(domain::AuditEvent{});
    unit->AfterCommit([&] { ++hooks; });
  }
  EXPECT_EQ(units.log.rolled_back, 1);
  EXPECT_TRUE(units.log.events.empty());
  EXPECT_EQ(hooks, 0);
  auto unit = units.Begin();
  unit->Record(domain::AuditEvent{});
  unit->AfterCommit([&] { ++hooks; });
  unit->Commit();
  EXPECT_EQ(units.log.events.size(), 1u);
  EXPECT_EQ(hooks, 1);
}

}  // namespace
}  // namespace onboard::usecases
