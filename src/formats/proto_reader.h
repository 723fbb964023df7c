#pragma once
// A minimal, bounds-checked protobuf wire-format reader (the counterpart of ProtoWriter).
// Malformed input throws fg::IoError with the given context; it never reads past the buffer.
#include <cstdint>
#include <string>
#include <string_view>

namespace fg::formats {

class ProtoReader {
 public:
  ProtoReader(std::string_view data, std::string context)
      : data_(data), context_(std::move(context)) {}

  // Advances to the next field; false at the end of the message.
  bool next();
  int field() const { return field_; }
  int wire_type() const { return wire_type_; }

  // The current field's value; each throws if the wire type does not match.
  uint64_t varint();
  double fixed64_as_double();
  float fixed32_as_float();
  std::string_view bytes();  // length-delimited: strings, sub-messages, packed arrays
  void skip();               // any wire type

 private:
  uint64_t read_varint();
  [[noreturn]] void fail(const std::string& problem) const;

  std::string_view data_;
  std::string context_;
  size_t pos_ = 0;
  int field_ = 0;
  int wire_type_ = 0;
  bool consumed_ = true;
};

}  // namespace fg::formats
