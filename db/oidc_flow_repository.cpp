#include "oidc_flow_repository.hpp"

namespace onboard::db {

void OidcFlowRepository::Create(const domain::OidcFlow& flow, int ttl_s) {
  Lease lease = pool_.Acquire();
  lease->Exec("insert_oidc_flow", {flow.state_hash, flow.binding_hash, flow.nonce, flow.return_to,
                                   std::to_string(ttl_s)});
  // Housekeeping on the way: flows are few (one per sign-in), so this stays cheap.
  lease->Exec("delete_expired_oidc_flows");
}

std::optional<domain::TakenOidcFlow> OidcFlowRepository::Take(const std::string& state_hash) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("take_oidc_flow", {state_hash});
  if (r.rows() == 0) return std::nullopt;
  domain::TakenOidcFlow out;
  out.flow.state_hash = state_hash;
  out.flow.binding_hash = r.Str(0, 0);
  out.flow.nonce = r.Str(0, 1);
  out.flow.return_to = r.Str(0, 2);
  out.already_used = r.Bool(0, 3);
  out.expired = r.Bool(0, 4);
  return out;
}

}  // namespace onboard::db
