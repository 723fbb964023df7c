#include "data/tinystories.h"

#include <cstdlib>

#include "core/check.h"
#include "core/strings.h"
#include "data/download.h"

namespace fg::data {

namespace fs = std::filesystem;

TinyStoriesOptions TinyStoriesOptions::from_environment() {
  TinyStoriesOptions o;
  if (const char* dir = std::getenv("FORGATHER_TINYSTORIES"); dir && *dir) o.local_dir = dir;
  if (const char* off = std::getenv("FORGATHER_OFFLINE"); off && *off && std::string(off) != "0")
    o.offline = true;
  return o;
}

namespace {

std::vector<std::string> local_names(const std::string& split) {
  std::string s = split == "train" ? "train" : "valid";
  std::vector<std::string> names = {s + ".txt", "TinyStories-" + s + ".txt",
                                    "TinyStoriesV2-GPT4-" + s + ".txt"};
  if (split != "train") names.insert(names.begin() + 1, "validation.txt");
  return names;
}

}  // namespace

DataSourceOptions tinystories_source(const std::string& split_spec, const TinyStoriesOptions& o) {
  SplitSpec spec = parse_split_spec(split_spec);
  std::vector<std::string> splits = {"train", "validation"};
  if (spec.name == "valid") spec.name = "validation";
  if (spec.name != "train" && spec.name != "validation")
    throw Error(fmt::format("[TinyStories] unknown split '{}'; expected one of {}{}", spec.name,
                            join(splits, ", "), did_you_mean(spec.name, splits)));
  DataSourceOptions source;
  source.format = TextFormat::kSeparated;
  source.slice = spec.slice;
  source.cache_dir = o.cache_dir;
  source.offline = o.offline;
  auto names = local_names(spec.name);
  if (!o.local_dir.empty()) {
    for (const auto& name : names) {
      if (fs::is_regular_file(o.local_dir / name)) {
        source.paths = {(o.local_dir / name).string()};
        return source;
      }
    }
    throw IoError(fmt::format("[TinyStories] FORGATHER_TINYSTORIES is {}, but it holds none of {}",
                              o.local_dir.string(), join(names, ", ")));
  }
  DownloadOptions d;
  d.url = std::string(kTinyStoriesBaseUrl) + names[names.size() - 2];  // TinyStories-<split>.txt
  d.cache_dir = o.cache_dir;
  fs::path cached = download_path(d);
  if (o.offline && !fs::exists(cached))
    throw IoError(fmt::format(
        "[TinyStories] offline and the {} split is not available: download {} and save it as {}, "
        "or set FORGATHER_TINYSTORIES to a folder holding {}",
        spec.name, d.url, cached.string(), join(names, " or ")));
  source.paths = {d.url};
  source.download_hint =
      "or set FORGATHER_TINYSTORIES to a folder holding train.txt and valid.txt, or "
      "FORGATHER_DATASET=synthetic to train on the embedded synthetic stories";
  return source;
}

}  // namespace fg::data
