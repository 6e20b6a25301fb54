#include "on_behalf_of.hpp"

#include <algorithm>

#include "error.hpp"

namespace onboard::usecases {

namespace {

domain::OnBehalfOf Find(const domain::Client& client, const std::string& value) {
  for (const auto& r : client.metadata.onbehalfof) {
    if (r.onbehalfof == value) return r;
  }
  throw AppError(ErrorCode::kNotFound, "the client has no onbehalfof entry " + value, "", {},
                 "not_found");
}

}  // namespace

std::vector<domain::OnBehalfOf> OnBehalfOfEntries::List(const Caller& caller,
                                                        const std::string& client_id) {
  return clients_.Get(caller, client_id).metadata.onbehalfof;
}

domain::OnBehalfOf OnBehalfOfEntries::Get(const Caller& caller, const std::string& client_id,
                                          const std::string& value) {
  return Find(clients_.Get(caller, client_id), value);
}

domain::OnBehalfOf OnBehalfOfEntries::Add(const Caller& caller, const OnBehalfOfTarget& target,
                                          const ReadOnBehalfOf& read) {
  const domain::Client current = Current(caller, target);
  const domain::OnBehalfOf record = read();
  clients_.EditOnbehalfof(caller, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (const auto& r : list) {
      if (r.onbehalfof == record.onbehalfof)
        throw AppError(
            ErrorCode::kConflict,
            "the client has an onbehalfof entry " + r.onbehalfof + "; change it with PUT", "", {},
            "onbehalfof_exists");
    }
    list.push_back(record);
  });
  return record;
}

domain::OnBehalfOf OnBehalfOfEntries::Replace(const Caller& caller, const OnBehalfOfTarget& target,
                                              const ReadOnBehalfOf& read) {
  const domain::Client current = Current(caller, target);
  Find(current, target.value);  // 404 before the body is read
  const domain::OnBehalfOf record = read();
  clients_.EditOnbehalfof(caller, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (auto& r : list) {
      if (r.onbehalfof == target.value) r = record;
    }
  });
  return record;
}

void OnBehalfOfEntries::Remove(const Caller& caller, const OnBehalfOfTarget& target) {
  const domain::Client current = Current(caller, target);
  Find(current, target.value);
  clients_.EditOnbehalfof(caller, current, [&](std::vector<domain::OnBehalfOf>& list) {
    list.erase(
        std::remove_if(list.begin(), list.end(),
                       [&](const domain::OnBehalfOf& r) { return r.onbehalfof == target.value; }),
        list.end());
  });
}

domain::Client OnBehalfOfEntries::Current(const Caller& caller, const OnBehalfOfTarget& target) {
  domain::Client current = clients_.Get(caller, target.client_id);
  Clients::CheckVersion(caller, target.if_match, current, /*required_for_portal=*/false);
  return current;
}

}  // namespace onboard::usecases
