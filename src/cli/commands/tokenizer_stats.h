#pragma once
// Parallel encoding with throughput statistics for `forgather tokenizer encode` and the benchmark.
#include <cstdint>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace fg::cli {

struct EncodeStats {
  int64_t documents = 0;
  int64_t characters = 0;  // Unicode code points
  int64_t bytes = 0;
  int64_t tokens = 0;  // including any BOS/EOS added
  double seconds = 0;

  double tokens_per_character() const;
  double megabytes_per_second() const;
};

// Encodes every document with all cores (OpenMP), timing only the encoding.
std::vector<std::vector<int32_t>> encode_documents(const tokenizer::Tokenizer& tok,
                                                   const std::vector<std::string>& docs,
                                                   const tokenizer::EncodeOptions& options,
                                                   EncodeStats& stats);

std::string format_stats(const EncodeStats& stats);

// "0 12 7" -> ids; throws naming origin:line on anything that is not a non-negative integer.
std::vector<int32_t> parse_id_line(const std::string& line, const std::string& origin,
                                   int64_t line_number);

}  // namespace fg::cli
