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
  for (auto& dir : search_path) {
    if (!fs::is_directory(dir, ec)) {
      missing_.push_back(std::move(dir));
      continue;
    }
    const fs::path canonical = fs::canonical(dir, ec);
    canonical_.push_back(ec ? std::string() : canonical.string());
    search_path_.push_back(std::move(dir));
  }
}

namespace {

// jinja2's split_template_path: `..` segments are refused; absolute names and NUL bytes too
// (jinja2 never reads outside its search path, and an absolute name would replace it).
bool acceptable_name(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\0') != std::string::npos) return false;
  for (const auto& part : fs::path(name))
    if (part == "..") return false;
  return true;
}

bool inside(const fs::path& file, const std::string& dir) {
  if (dir.empty()) return false;
  const fs::path rel = file.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && !rel.is_absolute();
}

}  // namespace

std::string TemplateLoader::refusal(const std::string& name) const {
  if (name.find('\0') != std::string::npos) return "template names may not contain NUL bytes";
  if (!name.empty() && name[0] == '/') return "absolute template names are refused";
  if (!acceptable_name(name)) return "'..' segments are refused";
  for (const auto& dir : search_path_) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(dir) / name, ec) && resolve(dir, name).empty())
      return "'" + (fs::path(dir) / name).lexically_normal().string() +
             "' resolves (through a symlink) outside the search path";
  }
  return "";
}

std::string TemplateLoader::resolve(const std::string& dir, const std::string& name) const {
  std::error_code ec;
  const fs::path path = fs::path(dir) / name;
  if (!fs::is_regular_file(path, ec)) return "";
  const fs::path real = fs::canonical(path, ec);
  if (ec) return "";
  for (const auto& root : canonical_)
    if (inside(real, root)) return real.string();
  return "";
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
  if (!acceptable_name(name)) return std::nullopt;  // `..` and absolute names (§3.5)
  for (const auto& dir : search_path_) {
    const std::string real = resolve(dir, name);
    if (real.empty()) continue;
    const std::string file = (fs::path(dir) / name).lexically_normal().string();
    const auto docs = split_documents(read_text_file(real));
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
