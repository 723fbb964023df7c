#include "cli/commands/tokenizer_stats.h"

#include <charconv>

#include "core/check.h"
#include "core/timer.h"

namespace fg::cli {

double EncodeStats::tokens_per_character() const {
  return characters > 0 ? static_cast<double>(tokens) / static_cast<double>(characters) : 0.0;
}

double EncodeStats::megabytes_per_second() const {
  return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
}

std::vector<std::vector<int32_t>> encode_documents(const tokenizer::Tokenizer& tok,
                                                   const std::vector<std::string>& docs,
                                                   const tokenizer::EncodeOptions& options,
                                                   EncodeStats& stats) {
  const int64_t n = static_cast<int64_t>(docs.size());
  std::vector<std::vector<int32_t>> ids(docs.size());
  std::vector<std::string> errors(docs.size());
  Timer timer;
#pragma omp parallel for schedule(dynamic, 16)
  for (int64_t i = 0; i < n; ++i) {
    try {
      ids[static_cast<size_t>(i)] = tok.encode(docs[static_cast<size_t>(i)], options);
    } catch (const std::exception& e) {
      errors[static_cast<size_t>(i)] = e.what();
    }
  }
  stats.seconds = timer.seconds();
  stats.documents = n;
  for (int64_t i = 0; i < n; ++i) {
    FG_CHECK(errors[static_cast<size_t>(i)].empty(), "[tokenizer encode] document {}: {}", i + 1,
             errors[static_cast<size_t>(i)]);
    const std::string& d = docs[static_cast<size_t>(i)];
    stats.bytes += static_cast<int64_t>(d.size());
    for (char c : d) stats.characters += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
    stats.tokens += static_cast<int64_t>(ids[static_cast<size_t>(i)].size());
  }
  return ids;
}

std::string format_stats(const EncodeStats& s) {
  return fmt::format(
      "documents: {}\ncharacters: {}\nbytes: {}\ntokens: {}\ntokens per character: {:.4f}\n"
      "encode time: {:.3f} s\nthroughput: {:.2f} MB/s\n",
      s.documents, s.characters, s.bytes, s.tokens, s.tokens_per_character(), s.seconds,
      s.megabytes_per_second());
}

std::vector<int32_t> parse_id_line(const std::string& line, const std::string& origin,
                                   int64_t line_number) {
  std::vector<int32_t> ids;
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r')) ++p;
    if (p == end) break;
    int32_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || v < 0) {
      const char* stop = p;
      while (stop < end && *stop != ' ') ++stop;
      throw Error(
          fmt::format("[tokenizer decode] {}:{}: expected non-negative token ids, found '{}'",
                      origin, line_number, std::string(p, stop)));
    }
    ids.push_back(v);
    p = next;
  }
  return ids;
}

}  // namespace fg::cli
