// Splitting one file's text into documents, per TextFormat (declared in text_source.h).
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/strings.h"
#include "data/text_source.h"

namespace fg::data {

namespace {

// Calls fn(line, line_number) for each line without its "\n" (and without a trailing "\r")
// until fn returns false.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  int64_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(line, ++number)) return;
    pos = nl + 1;
  }
}

void push_if_text(std::vector<std::string>& docs, std::string doc) {
  while (!doc.empty() && doc.back() == '\n') doc.pop_back();
  if (!trim(doc).empty()) docs.push_back(std::move(doc));
}

std::vector<std::string> parse_separated(std::string_view text, const std::string& separator,
                                         size_t limit) {
  std::vector<std::string> docs;
  std::string current;
  for_each_line(text, [&](std::string_view line, int64_t) {
    if (trim(line) == separator) {
      push_if_text(docs, std::move(current));
      current.clear();
      return docs.size() < limit;
    }
    current.append(line);
    current.push_back('\n');
    return true;
  });
  if (docs.size() < limit) push_if_text(docs, std::move(current));
  return docs;
}

std::string json_text_field(std::string_view line, int64_t number, const DataSourceOptions& o,
                            const std::string& origin) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded())
    throw IoError(fmt::format("[DataSource] {}:{}: expected a JSON object, found invalid JSON",
                              origin, number));
  if (!j.is_object())
    throw IoError(fmt::format("[DataSource] {}:{}: expected a JSON object, found a JSON {}", origin,
                              number, j.type_name()));
  auto it = j.find(o.text_field);
  if (it == j.end()) {
    std::vector<std::string> keys;
    for (auto& [k, v] : j.items()) keys.push_back(k);
    throw IoError(fmt::format("[DataSource] {}:{}: expected a field '{}', found only [{}]{}",
                              origin, number, o.text_field, join(keys, ", "),
                              did_you_mean(o.text_field, keys)));
  }
  if (!it->is_string())
    throw IoError(fmt::format("[DataSource] {}:{}: expected field '{}' to be a string, found {}",
                              origin, number, o.text_field, it->type_name()));
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> parse_documents(const std::string& text, TextFormat format,
                                         const DataSourceOptions& options,
                                         const std::string& origin, int64_t max_docs) {
  const size_t limit = max_docs < 0 ? SIZE_MAX : static_cast<size_t>(max_docs);
  std::vector<std::string> docs;
  if (limit == 0) return docs;
  switch (format) {
    case TextFormat::kSeparated:
      return parse_separated(text, options.separator, limit);
    case TextFormat::kJsonl:
      for_each_line(text, [&](std::string_view line, int64_t number) {
        if (!trim(line).empty()) push_if_text(docs, json_text_field(line, number, options, origin));
        return docs.size() < limit;
      });
      return docs;
    case TextFormat::kLines:
      for_each_line(text, [&](std::string_view line, int64_t) {
        if (!trim(line).empty()) docs.emplace_back(line);
        return docs.size() < limit;
      });
      return docs;
    case TextFormat::kWholeFile:
    case TextFormat::kAuto:
      push_if_text(docs, text);
      return docs;
  }
  return docs;
}

}  // namespace fg::data
