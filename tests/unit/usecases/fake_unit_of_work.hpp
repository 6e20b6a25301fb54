#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "unit_of_work.hpp"

namespace onboard::usecases::testing {

/// What the fake units of one test committed: the events in commit order, and how many
/// units began, committed and rolled back.
struct UnitLog {
  std::vector<domain::AuditEvent> events;
  int begun = 0;
  int committed = 0;
  int rolled_back = 0;
  int hooks_run = 0;
};

/// In memory: Record collects, Commit moves the events to the log and runs the hooks,
/// destruction without Commit counts a rollback and drops both. Fake stores write at once
/// (they do not undo on rollback); tests of a refused change check that nothing reached
/// the store because the rule threw before the write.
class FakeUnitOfWork final : public domain::UnitOfWork {
 public:
  explicit FakeUnitOfWork(UnitLog& log) : log_(log) { ++log_.begun; }
  ~FakeUnitOfWork() override {
    if (!committed_) ++log_.rolled_back;
  }
  void Record(domain::AuditEvent event) override { events_.push_back(std::move(event)); }
  void AfterCommit(std::function<void()> hook) override { hooks_.push_back(std::move(hook)); }
  void Commit() override {
    committed_ = true;
    ++log_.committed;
    for (auto& e : events_) log_.events.push_back(std::move(e));
    for (auto& h : hooks_) {
      h();
      ++log_.hooks_run;
    }
  }

 private:
  UnitLog& log_;
  bool committed_ = false;
  std::vector<domain::AuditEvent> events_;
  std::vector<std::function<void()>> hooks_;
};

class FakeUnitsOfWork final : public domain::UnitsOfWork {
 public:
  std::unique_ptr<domain::UnitOfWork> Begin() override {
    return std::make_unique<FakeUnitOfWork>(log);
  }
  UnitLog log;
};

}  // namespace onboard::usecases::testing
