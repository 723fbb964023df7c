#include "formats/proto_reader.h"

#include <cstring>

#include <fmt/format.h>

#include "core/error.h"

namespace fg::formats {

void ProtoReader::fail(const std::string& problem) const {
  throw IoError(fmt::format("[protobuf] {}: {} at byte {}", context_, problem, pos_));
}

uint64_t ProtoReader::read_varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= data_.size()) fail("truncated varint");
    uint8_t b = static_cast<uint8_t>(data_[pos_++]);
    if (shift == 63 && b > 1) fail("varint overflows 64 bits");
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
  fail("varint longer than 10 bytes");
}

bool ProtoReader::next() {
  if (!consumed_) skip();
  if (pos_ >= data_.size()) return false;
  uint64_t key = read_varint();
  field_ = static_cast<int>(key >> 3);
  wire_type_ = static_cast<int>(key & 7);
  if (field_ == 0 || key >> 3 > (1u << 29)) fail("invalid field number");
  consumed_ = false;
  return true;
}

uint64_t ProtoReader::varint() {
  if (wire_type_ != 0) fail(fmt::format("field {} is not a varint", field_));
  consumed_ = true;
  return read_varint();
}

double ProtoReader::fixed64_as_double() {
  if (wire_type_ != 1) fail(fmt::format("field {} is not fixed64", field_));
  if (data_.size() - pos_ < 8) fail("truncated fixed64");
  double v;
  std::memcpy(&v, data_.data() + pos_, 8);
  pos_ += 8;
  consumed_ = true;
  return v;
}

float ProtoReader::fixed32_as_float() {
  if (wire_type_ != 5) fail(fmt::format("field {} is not fixed32", field_));
  if (data_.size() - pos_ < 4) fail("truncated fixed32");
  float v;
  std::memcpy(&v, data_.data() + pos_, 4);
  pos_ += 4;
  consumed_ = true;
  return v;
}

std::string_view ProtoReader::bytes() {
  if (wire_type_ != 2) fail(fmt::format("field {} is not length-delimited", field_));
  uint64_t len = read_varint();
  if (len > data_.size() - pos_) fail("length-delimited field runs past the end");
  std::string_view out = data_.substr(pos_, len);
  pos_ += len;
  consumed_ = true;
  return out;
}

void ProtoReader::skip() {
  switch (wire_type_) {
    case 0:
      varint();
      break;
    case 1:
      fixed64_as_double();
      break;
    case 2:
      bytes();
      break;
    case 5:
      fixed32_as_float();
      break;
    default:
      fail(fmt::format("unsupported wire type {}", wire_type_));
  }
}

}  // namespace fg::formats
