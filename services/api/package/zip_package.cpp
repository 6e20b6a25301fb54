#include "zip_package.hpp"

#include <zip.h>

#include <memory>

#include "error.hpp"

namespace onboard::package {

namespace {

struct ZipDiscard {
  void operator()(zip_t* z) const noexcept { zip_discard(z); }
};
struct ZipSourceFree {
  void operator()(zip_source_t* s) const noexcept { zip_source_free(s); }
};
struct ZipErrorFini {
  void operator()(zip_error_t* e) const noexcept { zip_error_fini(e); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipSourcePtr = std::unique_ptr<zip_source_t, ZipSourceFree>;

[[noreturn]] void Fail(const std::string& what, const char* why) {
  throw AppError(ErrorCode::kInternal, "internal error", "libzip: " + what + ": " + (why ? why : "failed"));
}

}  // namespace

std::string BuildEncryptedZip(const std::vector<ZipEntry>& entries, const crypto::SecretString& password) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) Fail("zip_encryption_method_supported", "no AES-256");
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_error_t, ZipErrorFini> error_guard(&error);

  // The archive is written into `sink`; zip_source_keep lets it outlive zip_close.
  ZipSourcePtr sink(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!sink) Fail("zip_source_buffer_create", zip_error_strerror(&error));
  zip_source_keep(sink.get());
  ZipPtr archive(zip_open_from_source(sink.get(), ZIP_TRUNCATE, &error));
  if (!archive) {
    zip_source_free(sink.get());  // drop the reference zip_open_from_source did not take
    Fail("zip_open_from_source", zip_error_strerror(&error));
  }
  for (const auto& entry : entries) {
    const std::string& data = entry.content.reveal();
    // libzip reads `data` at zip_close; the entries outlive this function's archive.
    ZipSourcePtr src(zip_source_buffer(archive.get(), data.data(), data.size(), 0));
    if (!src) Fail("zip_source_buffer", zip_strerror(archive.get()));
    const zip_int64_t index = zip_file_add(archive.get(), entry.name.c_str(), src.get(), ZIP_FL_ENC_UTF_8);
    if (index < 0) Fail("zip_file_add " + entry.name, zip_strerror(archive.get()));
    src.release();  // the archive owns it now
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive.get(), i, ZIP_CM_DEFLATE, 9) != 0) {
      Fail("zip_set_file_compression", zip_strerror(archive.get()));
    }
    if (zip_file_set_encryption(archive.get(), i, ZIP_EM_AES_256, password.reveal().c_str()) != 0) {
      Fail("zip_file_set_encryption", zip_strerror(archive.get()));
    }
  }
  if (zip_close(archive.get()) != 0) Fail("zip_close", zip_strerror(archive.get()));
  archive.release();  // zip_close freed it

  if (zip_source_open(sink.get()) != 0) Fail("zip_source_open", zip_error_strerror(zip_source_error(sink.get())));
  struct Closer {
    zip_source_t* s;
    ~Closer() { zip_source_close(s); }
  } closer{sink.get()};
  if (zip_source_seek(sink.get(), 0, SEEK_END) != 0) Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  const zip_int64_t size = zip_source_tell(sink.get());
  if (size <= 0) Fail("zip_source_tell", zip_error_strerror(zip_source_error(sink.get())));
  if (zip_source_seek(sink.get(), 0, SEEK_SET) != 0) Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  std::string out(static_cast<std::size_t>(size), '\0');
  const zip_int64_t read = zip_source_read(sink.get(), out.data(), static_cast<zip_uint64_t>(size));
  if (read != size) Fail("zip_source_read", zip_error_strerror(zip_source_error(sink.get())));
  return out;
}

}  // namespace onboard::package
