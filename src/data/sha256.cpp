#include "data/sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <vector>

#include "core/check.h"
#include "core/checked_fs.h"

namespace fg::data {

struct Sha256::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {
  ctx_->md = EVP_MD_CTX_new();
  FG_CHECK(ctx_->md != nullptr && EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) == 1,
           "[Sha256] OpenSSL could not initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) {
  FG_CHECK(EVP_DigestUpdate(ctx_->md, data, size) == 1, "[Sha256] OpenSSL update failed");
}

std::array<uint8_t, 32> Sha256::digest() {
  std::array<uint8_t, 32> out{};
  unsigned int length = 0;
  FG_CHECK(EVP_DigestFinal_ex(ctx_->md, out.data(), &length) == 1 && length == 32,
           "[Sha256] OpenSSL final failed");
  return out;
}

std::string Sha256::hex_digest() {
  auto d = digest();
  return to_hex(d.data(), d.size());
}

std::string to_hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  Sha256 h;
  h.update(text);
  return h.hex_digest();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  // Checked first: a FIFO or a directory would block or read as empty.
  require_regular_file(path, "Sha256");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("[Sha256] cannot read {}", path.string()));
  Sha256 h;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    h.update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  return h.hex_digest();
}

}  // namespace fg::data
