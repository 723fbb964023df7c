#pragma once
// A minimal protobuf wire-format encoder: enough to hand-encode TensorBoard's Event messages.
// Wire keys are (field << 3) | wire_type; proto3 scalars equal to their default are the
// caller's to omit.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fg::formats {

class ProtoWriter {
 public:
  void varint_field(int field, uint64_t value) {
    key(field, 0);
    varint(value);
  }
  // int64 fields encode negatives as 10-byte two's complement varints.
  void int64_field(int field, int64_t value) { varint_field(field, static_cast<uint64_t>(value)); }
  void double_field(int field, double value) {
    key(field, 1);
    fixed(value);
  }
  void float_field(int field, float value) {
    key(field, 5);
    fixed(value);
  }
  void bytes_field(int field, std::string_view bytes) {
    key(field, 2);
    varint(bytes.size());
    out_.append(bytes);
  }
  void message_field(int field, const ProtoWriter& message) { bytes_field(field, message.out_); }

  const std::string& bytes() const { return out_; }

 private:
  void key(int field, int wire_type) {
    varint((static_cast<uint64_t>(field) << 3) | static_cast<uint64_t>(wire_type));
  }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  template <class T>
  void fixed(T value) {  // little-endian host assumed
    char buf[sizeof(T)];
    std::memcpy(buf, &value, sizeof(T));
    out_.append(buf, sizeof(T));
  }

  std::string out_;
};

}  // namespace fg::formats
