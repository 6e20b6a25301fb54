#include "audit_maintenance.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>

#include "audit_export.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "log.hpp"

namespace onboard::app {

namespace {
int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

domain::AuditEvent SystemAudit(std::string action) {
  domain::AuditEvent e;
  e.actor.name = "system:audit-maintenance";
  e.actor.role = "system";
  e.actor.request_id = crypto::NewUuid();
  e.action = std::move(action);
  e.target_type = "audit_checkpoint";
  return e;
}

void LogFailure(const char* what, const std::exception& e) {
  Poco::JSON::Object f;
  f.set("task", what);
  const auto* app = dynamic_cast<const AppError*>(&e);
  f.set("error",
        app != nullptr && !app->internal().empty() ? app->internal() : std::string(e.what()));
  log::Warn("audit maintenance failed; retrying next round", f);
}
}  // namespace

AuditMaintenance::AuditMaintenance(const AuditConfig& config, domain::AuditLogStore& audit_log,
                                   domain::ReportStore& reports, domain::RefusalCounter& refusals,
                                   const crypto::Signer* signer)
    : config_(config),
      audit_log_(audit_log),
      reports_(reports),
      refusals_(refusals),
      signer_(signer) {}

AuditMaintenance::~AuditMaintenance() { Stop(); }

void AuditMaintenance::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditMaintenance::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AuditMaintenance::Run() {
  const auto flush_every = std::chrono::milliseconds(config_.refusal_flush_ms);
  const auto maintain_every = std::chrono::seconds(config_.maintenance_interval_s);
  auto next_maintenance = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    const bool stopping = stop_;
    lock.unlock();
    FlushRefusals();
    if (!stopping && std::chrono::steady_clock::now() >= next_maintenance) {
      Maintain();
      next_maintenance = std::chrono::steady_clock::now() + maintain_every;
    }
    lock.lock();
    if (stopping) return;
    wake_.wait_for(lock, flush_every, [this] { return stop_; });
  }
}

void AuditMaintenance::FlushRefusals() {
  std::vector<domain::RefusalCount> counts = refusals_.Take();
  if (counts.empty()) return;
  try {
    reports_.AddRefusals(counts);
  } catch (const std::exception& e) {
    refusals_.Restore(counts);
    LogFailure("refusal counts", e);
  }
}

void AuditMaintenance::Maintain() {
  if (signer_ == nullptr) return;
  if (config_.checkpoint_daily) {
    try {
      const std::string day = domain::Rfc3339FromMicros(NowMicros()).substr(0, 10);
      if (auto c = audit_log_.WriteCheckpoint(domain::CheckpointKind::kDaily, *signer_, day,
                                              SystemAudit("audit.checkpoint"))) {
        Poco::JSON::Object f;
        f.set("checkpoint", c->id);
        f.set("seq", c->seq);
        f.set("day", day);
        log::Info("daily audit checkpoint written", f);
      }
    } catch (const AppError& e) {
      if (e.code_name() != "audit_chain_empty") LogFailure("daily checkpoint", e);
    } catch (const std::exception& e) {
      LogFailure("daily checkpoint", e);
    }
  }
  if (config_.retention_days > 0) {
    try {
      const int64_t cutoff =
          NowMicros() - static_cast<int64_t>(config_.retention_days) * 86400LL * 1000000LL;
      if (const int64_t removed = audit_log_.Prune(cutoff, *signer_, SystemAudit("audit.prune"));
          removed > 0) {
        Poco::JSON::Object f;
        f.set("removed", removed);
        f.set("older_than", domain::Rfc3339FromMicros(cutoff));
        log::Info("audit events past retention pruned behind a checkpoint", f);
      }
    } catch (const std::exception& e) {
      LogFailure("retention", e);
    }
  }
}

}  // namespace onboard::app
