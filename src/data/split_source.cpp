#include "data/split_source.h"

#include "core/check.h"
#include "core/strings.h"
#include "data/synthetic_stories.h"

namespace fg::data {

void SplitSourceOptions::validate() const {
  std::vector<std::string> kinds = {"tinystories", "synthetic", "files"};
  FG_CHECK(kind == "tinystories" || kind == "synthetic" || kind == "files",
           "[SplitSource] unknown dataset kind '{}'; expected one of {}{}", kind, join(kinds, ", "),
           did_you_mean(kind, kinds));
  FG_CHECK(kind != "files" || !split_paths.empty(),
           "[SplitSource] kind 'files' needs split_paths (split name -> paths), got none");
}

std::vector<std::string> load_split_documents(const SplitSourceOptions& o,
                                              const std::string& split_spec) {
  o.validate();
  if (o.kind == "synthetic") return synthetic_split(split_spec, o.synthetic_seed);
  if (o.kind == "tinystories") return load_documents(tinystories_source(split_spec, o.tinystories));
  SplitSpec spec = parse_split_spec(split_spec);
  auto it = o.split_paths.find(spec.name);
  if (it == o.split_paths.end()) {
    std::vector<std::string> names;
    for (const auto& [name, paths] : o.split_paths) names.push_back(name);
    throw Error(fmt::format("[SplitSource] unknown split '{}'; expected one of {}{}", spec.name,
                            join(names, ", "), did_you_mean(spec.name, names)));
  }
  DataSourceOptions source = o.files;
  source.paths = it->second;
  source.slice = spec.slice;
  return load_documents(source);
}

}  // namespace fg::data
