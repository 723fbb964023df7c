#pragma once
// The Jinja loader over a template search path (spec-config-cli §3.4-3.5): preprocesses every
// source, registers `#---- name ----` split sub-templates when their file is first loaded.
// Make one per top-level render: sub-templates are scoped to it.
#include <map>
#include <string>
#include <vector>

#include "config/jinja/environment.h"
#include "config/preprocessor.h"

namespace fg::config {

class TemplateLoader : public jinja::Loader {
 public:
  // Non-existent directories are dropped (spec §2.4).
  explicit TemplateLoader(std::vector<std::string> search_path,
                          CommentMode mode = CommentMode::kPreserve);

  // A template is a file inside the search path: absolute names, `..` segments and files that
  // resolve outside every search directory (through a symlink) are not found, as in jinja2.
  std::optional<jinja::TemplateSource> load(const std::string& name) override;
  std::vector<std::string> search_path() const override { return search_path_; }
  std::vector<std::string> missing_paths() const override { return missing_; }
  std::string refusal(const std::string& name) const override;

  // A programmatic template (raw text; it is preprocessed like a file). Shadows files.
  void add_template(const std::string& name, const std::string& text,
                    const std::string& filename = "");
  // Which file a loaded template name came from ("" when never loaded).
  std::string file_of(const std::string& name) const;

 private:
  // The file `name` names in `dir`, or "" when it is none or lies outside the search path.
  std::string resolve(const std::string& dir, const std::string& name) const;

  std::vector<std::string> search_path_;
  std::vector<std::string> canonical_;  // search_path_ with symlinks resolved
  std::vector<std::string> missing_;    // dropped from the search path
  CommentMode mode_;
  std::map<std::string, jinja::TemplateSource> table_;  // sub-templates, programmatic
  std::map<std::string, std::string> files_;            // name -> file, for trefs
};

// Reads a whole file; throws IoError naming it.
std::string read_text_file(const std::string& path);

}  // namespace fg::config
