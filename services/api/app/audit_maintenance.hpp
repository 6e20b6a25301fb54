#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit_log.hpp"
#include "audit_report.hpp"
#include "config.hpp"
#include "refusal_counter.hpp"

namespace onboard::crypto {
class Signer;
}

namespace onboard::app {

/// The API process's background audit work on one thread: writes the counted refusals
/// every audit.refusal_flush_ms, and every audit.maintenance_interval_s writes the day's
/// checkpoint (once per UTC day across all instances: the day is unique in the table) and
/// prunes events past audit.retention_days behind a prune checkpoint. Failures are logged
/// and retried on the next round. Stop() (also the destructor) flushes once more and joins.
class AuditMaintenance {
 public:
  AuditMaintenance(const AuditConfig& config, domain::AuditLogStore& audit_log,
                   domain::ReportStore& reports, domain::RefusalCounter& refusals,
                   const crypto::Signer* signer);
  ~AuditMaintenance();
  AuditMaintenance(const AuditMaintenance&) = delete;
  AuditMaintenance& operator=(const AuditMaintenance&) = delete;

  void Start();
  void Stop();

 private:
  void Run();
  void FlushRefusals();
  void Maintain();

  const AuditConfig& config_;
  domain::AuditLogStore& audit_log_;
  domain::ReportStore& reports_;
  domain::RefusalCounter& refusals_;
  const crypto::Signer* signer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace onboard::app
