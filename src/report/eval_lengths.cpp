#include "report/eval_lengths.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/checked_fs.h"
#include "core/error.h"
#include "core/json_parse.h"
#include "core/parse_number.h"

namespace fs = std::filesystem;

namespace fg::report {
namespace {

using json = nlohmann::json;

double number_field(const json& entry, const char* key, const std::string& where,
                    bool null_is_inf) {
  auto it = entry.find(key);
  if (it != entry.end() && it->is_number()) return it->get<double>();
  if (null_is_inf && it != entry.end() && it->is_null()) return INFINITY;
  throw IoError("[compare] " + where + ": expected a number \"" + key + "\", found " +
                (it == entry.end() ? std::string("none") : it->dump()));
}

LengthResult parse_result(const json& entry, const std::string& where) {
  if (!entry.is_object()) throw IoError("[compare] " + where + ": expected an object");
  auto len = entry.find("length");
  if (len == entry.end() || !len->is_number_integer() || len->get<int64_t>() <= 0)
    throw IoError("[compare] " + where + ": expected a positive integer \"length\"");
  LengthResult r;
  r.length = len->get<int64_t>();
  r.loss = number_field(entry, "loss", where, true);
  r.perplexity = entry.contains("perplexity") ? number_field(entry, "perplexity", where, true)
                                              : std::exp(r.loss);
  auto tokens = entry.find("tokens");
  if (tokens != entry.end() && tokens->is_number_integer()) r.tokens = tokens->get<int64_t>();
  return r;
}

json finite_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

}  // namespace

const LengthResult* EvalLengths::find(int64_t length) const {
  for (const auto& r : results)
    if (r.length == length) return &r;
  return nullptr;
}

EvalLengths read_eval_lengths(const fs::path& path) {
  const std::string text = read_file_checked(path, "EvalLengths");
  const json j = parse_json(text, path.string());
  if (!j.is_object() || !j.contains("results") || !j["results"].is_array())
    throw IoError("[compare] " + path.string() + ": expected an object with a \"results\" array");
  EvalLengths out;
  if (j.contains("dataset") && j["dataset"].is_string()) out.dataset = j["dataset"];
  for (size_t i = 0; i < j["results"].size(); ++i) {
    const std::string where = path.string() + " results[" + std::to_string(i) + "]";
    out = merge_eval_lengths(std::move(out), {"", {parse_result(j["results"][i], where)}});
  }
  return out;
}

void write_eval_lengths(const fs::path& path, const EvalLengths& data) {
  json results = json::array();
  for (const auto& r : data.results) {
    results.push_back({{"length", r.length},
                       {"loss", finite_or_null(r.loss)},
                       {"perplexity", finite_or_null(r.perplexity)},
                       {"tokens", r.tokens}});
  }
  const json j = {{"dataset", data.dataset}, {"results", results}};
  write_file_checked(path, j.dump(2) + "\n", "EvalLengths");
}

EvalLengths merge_eval_lengths(EvalLengths base, const EvalLengths& update) {
  std::map<int64_t, LengthResult> by_length;
  for (const auto& r : base.results) by_length[r.length] = r;
  for (const auto& r : update.results) by_length[r.length] = r;
  base.results.clear();
  for (auto& [len, r] : by_length) base.results.push_back(r);
  if (!update.dataset.empty()) base.dataset = update.dataset;
  return base;
}

// Longer than any context a model here can take; bounds what an evaluation allocates.
constexpr int64_t kMaxEvalLength = int64_t{1} << 24;

std::vector<int64_t> parse_lengths(const std::string& text, const std::string& flag) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::string problem = int_problem(item, 1, kMaxEvalLength);
    if (!problem.empty())
      throw Error("[" + flag + "] expects comma-separated lengths such as 256,512,1024,2048: " +
                  problem + " in '" + text + "'");
    out.push_back(*try_parse_int(item));
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string eval_lengths_command(const fs::path& output_dir, const std::vector<int64_t>& lengths) {
  std::string list;
  for (int64_t len : lengths) list += (list.empty() ? "" : ",") + std::to_string(len);
  return "forgather eval --model " + output_dir.string() + " --lengths " + list;
}

}  // namespace fg::report
