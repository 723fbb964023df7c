#include "config/template_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.h"

namespace fg::config {

namespace fs = std::filesystem;

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("[TemplateLoader] cannot read '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TemplateLoader::TemplateLoader(std::vector<std::string> search_path, CommentMode mode)
    : mode_(mode) {
  std::error_code ec;
  for (auto& dir : search_path)
    (fs::is_directory(dir, ec) ? search_path_ : missing_).push_back(std::move(dir));
}

void TemplateLoader::add_template(const std::string& name, const std::string& text,
                                  const std::string& filename) {
  table_[name] = jinja::TemplateSource{preprocess(text, mode_), filename, 1};
  files_[name] = filename;
}

std::string TemplateLoader::file_of(const std::string& name) const {
  auto it = files_.find(name);
  return it == files_.end() ? "" : it->second;
}

std::optional<jinja::TemplateSource> TemplateLoader::load(const std::string& name) {
  if (auto it = table_.find(name); it != table_.end()) return it->second;
  for (const auto& part : fs::path(name))
    if (part == "..") return std::nullopt;  // `..` segments are rejected (§3.5)
  for (const auto& dir : search_path_) {
    const fs::path path = fs::path(dir) / name;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    const std::string file = path.lexically_normal().string();
    const auto docs = split_documents(read_text_file(file));
    for (size_t i = 1; i < docs.size(); ++i) {
      if (table_.count(docs[i].name)) continue;  // first registration wins
      table_[docs[i].name] =
          jinja::TemplateSource{preprocess(docs[i].text, mode_), file, docs[i].first_line};
      files_[docs[i].name] = file;
    }
    files_[name] = file;
    return jinja::TemplateSource{preprocess(docs[0].text, mode_), file, 1};
  }
  return std::nullopt;
}

}  // namespace fg::config
