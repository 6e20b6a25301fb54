#pragma once

#include <map>
#include <string>

namespace onboard::testsupport {

/// What 7-Zip made of an archive.
struct SevenZipResult {
  int exit_code = -1;
  std::string output;                        ///< stdout + stderr of 7zz
  std::map<std::string, std::string> files;  ///< extracted name -> content (on success)
};

/// Extracts `zip` with the real 7-Zip (`7zz x -p<password>`) into a temporary directory and
/// reads back every file. Fails the calling test (ADD_FAILURE + throw) when 7zz is not on
/// PATH: the zip tests must not pass without the real peer.
SevenZipResult Extract7z(const std::string& zip, const std::string& password);

}  // namespace onboard::testsupport
