#include "config/scaffold.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "config/scaffold_notebook.h"
#include "config/workspace.h"
#include "core/error.h"

namespace fg::config {
namespace {

namespace fs = std::filesystem;

// Names and descriptions land in YAML strings inside Jinja templates: quote them for YAML and
// refuse what Jinja would read as its own syntax.
std::string quoted(const std::string& field, const std::string& text) {
  for (const char* jinja : {"{{", "{%", "{#"})
    if (text.find(jinja) != std::string::npos)
      throw Error("[scaffold] --" + field + " must not contain '" + jinja + "' (Jinja syntax): '" +
                  text + "'");
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void write_new_file(const fs::path& path, const std::string& text, std::vector<fs::path>& written) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw IoError("[scaffold] cannot write " + path.string());
  written.push_back(path);
}

void require_new_directory(const fs::path& dir) {
  if (fs::exists(dir)) throw Error("[scaffold] directory '" + dir.string() + "' already exists");
}

std::string forgather_dir_line(const WorkspaceSpec& spec, const fs::path& workspace) {
  if (spec.forgather_dir.empty()) return "-- set ns.forgather_dir = forgather_dir()\n";
  const fs::path given(spec.forgather_dir);
  if (given.is_absolute())
    return "-- set ns.forgather_dir = " + quoted("forgather-dir", given.string()) + "\n";
  const fs::path relative = fs::absolute(given).lexically_normal().lexically_relative(workspace);
  return "-- set ns.forgather_dir = joinpath(workspace_root, " +
         quoted("forgather-dir", relative.string()) + ")\n";
}

std::string workspace_readme(const WorkspaceSpec& spec) {
  return fmt::format(
      "# {}\n\n{}\n\n"
      "`forgather_workspace/` marks this directory as a Forgather workspace and is on every\n"
      "project's template search path.\n\n"
      "- `base_directories.yaml` sets `ns.forgather_dir`, the directory holding `templatelib/`.\n"
      "- `meta_defaults.yaml` is the base of every project's `meta.yaml`: the template search "
      "paths.\n\n"
      "Create a project from the workspace directory:\n\n"
      "    forgather project create --name \"My Project\"\n",
      spec.name, spec.description.empty() ? "A Forgather workspace." : spec.description);
}

std::string meta_defaults(const WorkspaceSpec& spec) {
  std::string s =
      "## Defaults for every project's meta.yaml in this workspace: template search paths.\n"
      "-- set ns = namespace()\n"
      "-- include 'base_directories.yaml'\n"
      "-- set ns.templatelib_dir = joinpath(ns.forgather_dir, \"templatelib\")\n"
      "searchdir:\n"
      "-- block searchdir_project\n"
      "    - \"{{ joinpath(project_dir, 'templates') }}\"\n"
      "-- endblock searchdir_project\n"
      "-- block searchdir_common\n";
  for (const auto& p : spec.search_paths)
    s += "    - " + quoted("search-path", fs::absolute(p).lexically_normal().string()) + "\n";
  s += "    - \"{{ joinpath(workspace_root, 'forgather_workspace') }}\"\n";
  const std::vector<std::string> libs =
      spec.libs.empty() ? std::vector<std::string>{"examples", "base"} : spec.libs;
  for (const auto& lib : libs) {
    if (lib.find_first_of("'\"{}") != std::string::npos)
      throw Error("[scaffold] -l/--lib '" + lib + "' is not a library name under templatelib/");
    s += "    - \"{{ joinpath(ns.templatelib_dir, '" + lib + "') }}\"\n";
  }
  s += "-- endblock searchdir_common\n\n-- block configs\n-- endblock configs\n";
  return s;
}

// The template library writes config names into double-quoted YAML strings unescaped.
std::string single_quotes(std::string text) {
  std::replace(text.begin(), text.end(), '"', '\'');
  return text;
}

std::string project_readme(const ProjectSpec& spec) {
  return fmt::format(
      "# {}\n\n{}\n\n"
      "Configs live in `templates/{}/`; the default one is `{}`. From this directory:\n\n"
      "    forgather ls                              # the project and its configs\n"
      "    forgather -t {} train --dry-run    # the resolved plan\n"
      "    forgather -t {} train              # train (FORGATHER_DATASET=synthetic: offline)\n"
      "    forgather generate output_models/default_model --prompt \"once upon a time\"\n",
      spec.name, spec.description.empty() ? "A Forgather project." : spec.description,
      spec.config_prefix, spec.default_config, spec.default_config, spec.default_config);
}

std::string project_meta(const ProjectSpec& spec) {
  return "-- extends \"meta_defaults.yaml\"\n\n-- block configs\nname: " +
         quoted("name", spec.name) + "\ndescription: " + quoted("description", spec.description) +
         "\nconfig_prefix: " + quoted("config-prefix", spec.config_prefix) +
         "\ndefault_config: " + quoted("default-config", spec.default_config) +
         "\n-- endblock configs\n";
}

// A small model (the library's dynamic causal transformer, 4 layers of 128) on TinyStories
// (abridged) with the tiny_2k tokenizer: trainable as it stands, and each part a block to replace.
std::string default_config(const ProjectSpec& spec) {
  const std::string stem = fs::path(spec.default_config).stem().string();
  return fmt::format(
      R"(## {name}: {description}
## A small causal transformer trained on TinyStories (abridged) with the tiny_2k tokenizer.
-- extends 'training_script/causal_lm/causal_lm.yaml'

-- block config_metadata
    == super()
    -- set ns.config_name = {qname}
    -- set ns.config_description = {qdescription}
    -- set ns.model_name = "default_model"
    -- set ns.create_new_model = True
    -- set ns.save_model = True
-- endblock config_metadata

-- block construct_new_model
    -- include 'tokenizers/tiny_2k.yaml'

    -- include '{stem}.model_config'

-- endblock construct_new_model

-- block datasets_definition
    -- include 'datasets/roneneldan/tinystories-abridged.yaml'

-- endblock datasets_definition

-- block trainer_definition
    -- include '{stem}.trainer_config'

-- endblock trainer_definition

#-------------------- {stem}.model_config --------------------
-- extends 'models/transformers/dynamic_causal_transformer.yaml'

-- block model_config_params
    == super()
    hidden_size: 128
    num_attention_heads: 4
    num_hidden_layers: 4
    dim_feedforward: 512
    max_sequence_length: 1024
-- endblock model_config_params

#-------------------- {stem}.trainer_config --------------------
-- extends 'trainers/trainer.yaml'

-- block trainer_args
    == super()
    output_dir: "{{{{ ns.output_dir }}}}"
    num_train_epochs: 1
    per_device_train_batch_size: 8
    per_device_eval_batch_size: 8
    learning_rate: 1e-3
    weight_decay: 0.01
    warmup_steps: 50
    logging_steps: 10
    eval_strategy: "steps"
    eval_steps: 50
    save_strategy: "steps"
    save_steps: 200
    save_total_limit: 2
    seed: 42
-- endblock trainer_args
)",
      fmt::arg("name", spec.name), fmt::arg("description", spec.description),
      fmt::arg("qname", quoted("name", single_quotes(spec.name))),
      fmt::arg("qdescription", quoted("description", single_quotes(spec.description))),
      fmt::arg("stem", stem));
}

std::vector<fs::path> write_project(const ProjectSpec& spec, const fs::path& project,
                                    const std::string& readme, const std::string& meta,
                                    const std::string& config) {
  std::vector<fs::path> written;
  write_new_file(project / "README.md", readme, written);
  write_new_file(project / "meta.yaml", meta, written);
  // The notebook that drives the project from Python (docs/python.md).
  write_new_file(project / "project_index.ipynb", std::string(scaffold_notebook()), written);
  // The first search directory is where the project's own templates go.
  const MetaConfig loaded = load_meta_config(project.string());
  if (loaded.searchdir.empty())
    throw Error("[scaffold] " + (project / "meta.yaml").string() + " renders no searchdir");
  const fs::path configs = fs::path(loaded.searchdir.front()) / spec.config_prefix;
  fs::create_directories(configs);
  const fs::path target = configs / spec.default_config;
  if (spec.copy_from.empty()) {
    write_new_file(target, config, written);
  } else {
    fs::copy_file(spec.copy_from, target);
    written.push_back(target);
  }
  return written;
}

}  // namespace

std::string directory_name_for(const std::string& name, bool drop_dots) {
  std::string out;
  for (unsigned char c : name) {
    if (c == '.' && drop_dots) continue;
    out += c == ' ' ? '_' : static_cast<char>(std::tolower(c));
  }
  return out;
}

std::vector<fs::path> create_workspace(const WorkspaceSpec& spec) {
  if (spec.name.empty()) throw Error("[scaffold] a workspace needs a --name");
  const fs::path workspace = fs::absolute(spec.dir).lexically_normal();
  require_new_directory(workspace);
  // Render everything first, so a bad argument leaves no half-made workspace behind.
  const std::string base =
      "## Where Forgather is installed: the directory holding templatelib/.\n" +
      forgather_dir_line(spec, workspace);
  const std::string defaults = meta_defaults(spec);
  const fs::path ws = workspace / "forgather_workspace";
  fs::create_directories(ws);
  std::vector<fs::path> written;
  write_new_file(ws / "README.md", workspace_readme(spec), written);
  write_new_file(ws / "base_directories.yaml", base, written);
  write_new_file(ws / "meta_defaults.yaml", defaults, written);
  return written;
}

std::vector<fs::path> create_project(const ProjectSpec& spec) {
  if (spec.name.empty()) throw Error("[scaffold] a project needs a --name");
  const fs::path project = fs::absolute(spec.dir).lexically_normal();
  require_new_directory(project);
  try {
    find_workspace_root(project.parent_path().string());
  } catch (const ConfigError& e) {
    throw Error(std::string(e.what()) + "; create one first with `forgather ws create`");
  }
  if (!spec.copy_from.empty() && !fs::is_regular_file(spec.copy_from))
    throw Error("[scaffold] copy_from '" + spec.copy_from.string() + "' is not a file");
  const std::string meta = project_meta(spec), readme = project_readme(spec);
  const std::string config = spec.copy_from.empty() ? default_config(spec) : std::string();
  fs::create_directories(project);
  try {
    return write_project(spec, project, readme, meta, config);
  } catch (...) {
    fs::remove_all(project);  // it did not exist before: leave nothing half-made
    throw;
  }
}

}  // namespace fg::config
