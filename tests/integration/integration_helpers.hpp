#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "audit_event.hpp"
#include "pool.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

/// A fresh migrated database per test (ctest runs every test in its own process anyway).
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      db_ = std::make_unique<TempDatabase>();
    } catch (const std::exception& e) {
      FAIL() << "no test database: " << e.what();
    }
    pool_ = std::make_unique<db::Pool>(db_->url(), 4, 2000, 5);
  }
  void TearDown() override {
    pool_.reset();
    db_.reset();
  }

  static domain::AuditEvent Event(const std::string& action, const std::string& target_id = "t",
                                  const std::string& organisation = "") {
    domain::AuditEvent e;
    e.actor = domain::Actor{"integration-test", "operator", "", "req-" + target_id, "127.0.0.1"};
    e.organisation = organisation;
    e.action = action;
    e.target_type = "test";
    e.target_id = target_id;
    e.detail_json = R"({"k":"v"})";
    return e;
  }

  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<db::Pool> pool_;
};

}  // namespace onboard::testsupport
