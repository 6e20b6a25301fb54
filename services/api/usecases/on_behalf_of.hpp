#pragma once

#include <functional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "client.hpp"
#include "clients.hpp"

/// The provider's self-service onbehalfof sub-resource (`/clients/{id}/onbehalfof`, issue
/// #17): list, read, add, replace and remove the records of a client's metadata
/// `onbehalfof`, so the verification rules and the client's history see them. Every change
/// is a client `update` through Clients::EditOnbehalfof (validation, history, audit, cache).
namespace onboard::usecases {

/// The entry a request names: its client, the If-Match header ("" when absent; a portal need
/// not send one) and the entry's value ("" when the body names it: POST .../onbehalfof).
struct OnBehalfOfTarget {
  std::string client_id;
  std::string if_match;
  std::string value;
};

/// Reads the record the request body describes. Called only once the client and the entry
/// are found and the If-Match holds, so a request for a missing one answers 404 (and a stale
/// one 412) whatever its body says.
using ReadOnBehalfOf = std::function<domain::OnBehalfOf()>;

/// Thread-safe as Clients is; holds no state of its own.
class OnBehalfOfEntries {
 public:
  explicit OnBehalfOfEntries(Clients& clients) : clients_(clients) {}

  /// The client's records in order (after Clients::Get's visibility check).
  std::vector<domain::OnBehalfOf> List(const Caller& caller, const std::string& client_id);

  /// The record `value`; kNotFound (`not_found`) when the client has none.
  domain::OnBehalfOf Get(const Caller& caller, const std::string& client_id,
                         const std::string& value);

  /// A new record (the path's value, or the body's when the path names none); kConflict
  /// (`onbehalfof_exists`) when the client has one of that value: PUT changes it.
  domain::OnBehalfOf Add(const Caller& caller, const OnBehalfOfTarget& target,
                         const ReadOnBehalfOf& read);

  /// Replaces the members of the existing record `target.value` (kNotFound when absent,
  /// before `read` is called).
  domain::OnBehalfOf Replace(const Caller& caller, const OnBehalfOfTarget& target,
                             const ReadOnBehalfOf& read);

  /// Removes the record `target.value`; kNotFound when absent.
  void Remove(const Caller& caller, const OnBehalfOfTarget& target);

 private:
  /// The visible client of `target` with its If-Match checked (never required).
  domain::Client Current(const Caller& caller, const OnBehalfOfTarget& target);

  Clients& clients_;
};

}  // namespace onboard::usecases
