#include "orgno.hpp"

#include <array>

namespace onboard::domain {

bool IsValidOrgno(std::string_view orgno) noexcept {
  constexpr std::array<int, 8> kWeights{3, 2, 7, 6, 5, 4, 3, 2};
  if (orgno.size() != 9) return false;
  for (char c : orgno) {
    if (c < '0' || c > '9') return false;
  }
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (orgno[i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return orgno[8] - '0' == check;
}

}  // namespace onboard::domain
