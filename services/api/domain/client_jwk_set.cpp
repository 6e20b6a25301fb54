#include "client_jwk_set.hpp"

#include <set>

namespace onboard::domain {

std::vector<FieldError> ValidateJwkSet(const std::vector<ClientKey>& keys) {
  std::vector<FieldError> out;
  if (keys.empty()) out.push_back({"keys", "required", "the set needs at least one key"});
  if (keys.size() > kMaxClientKeys)
    out.push_back({"keys", "too_many_keys",
                   "at most " + std::to_string(kMaxClientKeys) + " keys (certificates included)"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!seen.insert(keys[i].kid).second)
      out.push_back({"keys/" + std::to_string(i) + "/kid", "duplicate_kid",
                     "kid " + keys[i].kid + " appears twice in the set"});
  }
  return out;
}

}  // namespace onboard::domain
