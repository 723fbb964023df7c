#pragma once
// Perplexity versus evaluation length (how ALiBi and absolute positions extrapolate past the
// training length). The data interface between `forgather eval` and `forgather compare`:
//   <output_dir>/eval_lengths.json =
//   {"dataset": "...", "results": [{"length": 256, "loss": 2.1, "perplexity": 8.2,
//                                   "tokens": 65536}, ...]}
// Non-finite perplexity (overflow) is written as null and read back as +inf.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fg::report {

inline constexpr const char* kEvalLengthsFile = "eval_lengths.json";

struct LengthResult {
  int64_t length = 0;  // evaluation context length in tokens
  double loss = 0;     // mean cross-entropy per token
  double perplexity = 0;
  int64_t tokens = 0;  // tokens scored
};

struct EvalLengths {
  std::string dataset;
  std::vector<LengthResult> results;  // sorted by length, one per length

  const LengthResult* find(int64_t length) const;
};

// Reads and validates the file. Throws fg::IoError naming it (and the entry) when it is missing,
// not JSON, or lacks a field.
EvalLengths read_eval_lengths(const std::filesystem::path& path);
// Writes it atomically (temporary file, then rename). Throws fg::IoError.
void write_eval_lengths(const std::filesystem::path& path, const EvalLengths& data);
// Results of `update` replace those of `base` with the same length; sorted by length.
EvalLengths merge_eval_lengths(EvalLengths base, const EvalLengths& update);

// "256,512,1024" -> {256, 512, 1024}. Throws fg::Error for anything but positive integers.
std::vector<int64_t> parse_lengths(const std::string& text,
                                   const std::string& flag = "--extrapolate");

// Evaluates the model in `output_dir` at each length (wired to real evaluation by the CLI).
using LengthEvaluator = std::function<EvalLengths(const std::filesystem::path& output_dir,
                                                  const std::vector<int64_t>& lengths)>;

// The command that writes eval_lengths.json for a run.
std::string eval_lengths_command(const std::filesystem::path& output_dir,
                                 const std::vector<int64_t>& lengths);

}  // namespace fg::report
