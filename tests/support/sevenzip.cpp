#include "sevenzip.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "crypto.hpp"

namespace onboard::testsupport {

namespace {

std::string Find7zz() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir) / "7zz";
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

}  // namespace

SevenZipResult Extract7z(const std::string& zip, const std::string& password) {
  const std::string bin = Find7zz();
  if (bin.empty()) {
    ADD_FAILURE()
        << "7zz (7-Zip) is not on PATH: install Debian's 7zip package (ops/install-deps does)";
    throw std::runtime_error("7zz missing");
  }
  const auto dir = std::filesystem::temp_directory_path() / ("onboard-7z-" + crypto::NewUuid());
  std::filesystem::create_directories(dir / "out");
  const auto archive = dir / "package.zip";
  std::ofstream(archive, std::ios::binary) << zip;

  Poco::Pipe in, out;
  Poco::Process::Args args{
      "x", "-p" + password, "-y", "-bd", "-o" + (dir / "out").string(), archive.string()};
  Poco::ProcessHandle ph = Poco::Process::launch(bin, args, &in, &out, &out);
  in.close();  // never prompt for a password
  Poco::PipeInputStream pis(out);
  SevenZipResult r;
  r.output.assign(std::istreambuf_iterator<char>(pis), std::istreambuf_iterator<char>());
  r.exit_code = ph.wait();
  if (r.exit_code == 0) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "out")) {
      if (!e.is_regular_file()) continue;
      std::ifstream f(e.path(), std::ios::binary);
      r.files[std::filesystem::relative(e.path(), dir / "out").string()] =
          std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
  }
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace onboard::testsupport
