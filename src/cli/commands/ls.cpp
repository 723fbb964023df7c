// `forgather ls [-r] [-d] [DIR...]`: projects, their configs, names and descriptions.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands/commands.h"
#include "config/workspace.h"

namespace fg::cli {
namespace {

namespace fs = std::filesystem;

struct LsOptions {
  bool recursive = false;
  bool debug = false;
  std::vector<std::string> dirs;
};

std::string meta_string(const config::Object& meta, const char* key) {
  const config::Object* v = meta.type() == config::Object::Type::kDict ? meta.find(key) : nullptr;
  return v && v->type() == config::Object::Type::kString ? v->as_string() : "";
}

// The first line of an error message, at most 300 characters (a message may quote a template).
std::string first_line(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  if (line.size() > 300) line = line.substr(0, 297) + "...";
  return line;
}

void list_project(CliContext& ctx, const std::string& dir, bool debug) {
  std::ostream& out = ctx.output();
  const config::MetaConfig meta = config::load_meta_config(dir);
  out << (meta.name.empty() ? "Anonymous" : meta.name) << " : "
      << (meta.description.empty() ? "No Description" : meta.description) << "\n";
  std::string default_name;
  try {
    default_name = config::default_config_name(meta);
  } catch (const Error&) {
  }
  auto configs = config::enumerate_configs(meta);
  std::sort(configs.begin(), configs.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (const auto& c : configs) {
    const std::string shown = c.name == default_name ? "[" + c.name + "]" : c.name;
    try {
      config::ProjectOptions opts;
      opts.config_name = c.name;
      config::Project project(dir, std::move(opts));
      config::Object m = config::materialize_targets(project, *ctx.registry, {"meta"});
      out << fmt::format("    {:<30} {} : {}\n", shown, meta_string(m, "config_name"),
                         meta_string(m, "config_description"));
    } catch (const std::exception& e) {
      // One bad config does not stop the listing: it is reported, with its error, and the
      // other configs follow.
      out << fmt::format(
          "    {:<30} PARSE ERROR : An error occured while parsing the "
          "configuration.\n",
          shown);
      out << "        " << first_line(e.what()) << "\n";
      if (debug) std::cerr << e.what() << "\n";
    }
  }
}

void run_ls(CliContext& ctx, const LsOptions& o) {
  std::ostream& out = ctx.output();
  if (o.recursive) {
    const std::vector<std::string> roots = o.dirs.empty() ? std::vector{ctx.project_dir} : o.dirs;
    for (const auto& root : roots) {
      std::vector<std::string> projects;
      std::error_code ec;
      auto it =
          fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
      if (ec) throw IoError("[ls] cannot list '" + root + "': " + ec.message());
      for (; it != fs::end(it); it.increment(ec)) {
        if (ec) break;
        std::error_code fec;
        if (it->is_regular_file(fec) && it->path().filename() == "meta.yaml")
          projects.push_back(it->path().parent_path().string());
      }
      std::sort(projects.begin(), projects.end());
      for (const auto& p : projects) {
        out << "\nProject Path: " << p << "\n\n";
        try {
          list_project(ctx, p, o.debug);
        } catch (const std::exception& e) {
          out << "PARSE ERROR: " << p << "/meta.yaml '" << e.what() << "'\n";
        }
      }
    }
    return;
  }
  if (!o.dirs.empty()) {
    for (const auto& d : o.dirs) {
      out << "\nProject Path: " << d << "\n\n";
      list_project(ctx, d, o.debug);
    }
    return;
  }
  const std::string project = config::find_project_dir(ctx.project_dir);
  std::error_code ec1, ec2;
  if (fs::weakly_canonical(project, ec1) != fs::weakly_canonical(ctx.project_dir, ec2))
    out << "\nProject Path: " << project << "\n\n";
  list_project(ctx, project, o.debug);
}

}  // namespace

void add_ls_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<LsOptions>();
  auto* sub = app.add_subcommand("ls", "List projects and their configurations");
  sub->add_flag("-r,--recursive", opts->recursive, "Find every project below the directories");
  sub->add_flag("-d,--debug", opts->debug, "Print the error of configs that fail to parse");
  sub->add_option("project", opts->dirs, "Project directories (default: the current project)");
  sub->callback([&ctx, opts] { run_ls(ctx, *opts); });
}

}  // namespace fg::cli
