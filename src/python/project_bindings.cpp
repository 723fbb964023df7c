// forgather.Project: a project directory and one of its configs, with the CLI's views of it
// (ls, pp, meta, targets, model) and training in-process.
#include <pybind11/stl.h>

#include <sstream>

#include "builders/module_handle.h"
#include "builders/training_run.h"
#include "cli/app.h"
#include "cli/commands/commands.h"
#include "cli/commands/model_command.h"
#include "core/error.h"
#include "python/bindings.h"
#include "python/py_json.h"
#include "python/registry.h"
#include "python/tensor_bindings.h"

namespace py = pybind11;

namespace fg::python {
namespace {

// The model a Project built (Project.model()): its tree, parameter count and tensors.
class Model {
 public:
  explicit Model(cli::ModelSummary summary) : summary_(std::move(summary)) {}
  std::string tree() const { return summary_.tree(); }
  int64_t parameters() const { return summary_.parameters(); }
  // name -> NumPy array sharing the parameter's memory.
  py::dict named_parameters() const {
    auto handle = std::dynamic_pointer_cast<const builders::ModuleHandle>(summary_.describable);
    if (!handle) throw Error("[Model.named_parameters] the target is not an nn module");
    py::dict out;
    for (const auto& [name, tensor] : handle->module().named_parameters()) {
      py::object owner = py::cast(tensor);
      out[py::str(name)] = tensor_to_numpy(tensor, owner);
    }
    return out;
  }

 private:
  cli::ModelSummary summary_;
};

class Project {
 public:
  Project(std::string path, std::string config, const py::dict& template_vars)
      : path_(std::move(path)), config_(std::move(config)), registry_(make_registry()) {
    for (auto [key, value] : template_vars) {
      const std::string name = py::str(key);
      vars_.set(name, config::jinja::Value::from_json(to_json(value, "Project " + name)));
    }
    py::gil_scoped_release release;
    load(config::CommentMode::kPreserve);  // a bad path or config fails here, not later
  }

  const std::string& path() const { return path_; }
  std::string config_name() const {
    py::gil_scoped_release release;
    return load(config::CommentMode::kPreserve).config_name();
  }
  std::string ls() const { return run_cli_command({"-p", path_, "ls"}); }
  std::string meta() const { return run_cli_command({"-p", path_, "meta"}); }
  std::string pp() const {
    py::gil_scoped_release release;
    return load(config::CommentMode::kDelete).rendered().text;
  }
  std::vector<std::string> targets() const {
    py::gil_scoped_release release;
    config::Project project = load(config::CommentMode::kPreserve);
    return project.graph().targets();
  }
  Model model(const std::string& target) const {
    py::gil_scoped_release release;
    config::Project project = load(config::CommentMode::kPreserve);
    return Model(cli::summarize_model(project, *registry_, target));
  }
  builders::TrainingRunResult train(std::optional<int64_t> max_steps, const py::dict& overrides,
                                    const py::object& on_progress, const py::object& on_log) const;

 private:
  config::Project load(config::CommentMode mode) const {
    config::ProjectOptions options;
    options.config_name = config_;
    options.template_vars = vars_;
    options.comment_mode = mode;
    return config::Project(path_, std::move(options));
  }

  // ls and meta print what the CLI prints: the same command, its output captured.
  std::string run_cli_command(const std::vector<std::string>& args) const {
    std::ostringstream out, err;
    int code = 0;
    {
      py::gil_scoped_release release;
      code = cli::run_cli(args, *registry_, cli::add_core_commands, out, err);
    }
    if (code != 0) throw Error(err.str());
    return out.str();
  }

  std::string path_;
  std::string config_;
  config::jinja::ValueMap vars_;
  std::shared_ptr<const config::Registry> registry_;
};

py::dict progress_dict(const train::ProgressStats& s) {
  py::dict d;
  d["step"] = s.step;
  d["total_steps"] = s.total_steps;
  d["epoch"] = s.epoch;
  d["loss"] = s.loss;
  d["learning_rate"] = s.learning_rate;
  d["grad_norm"] = s.grad_norm;
  d["tokens_per_second"] = s.tokens_per_second;
  d["elapsed_seconds"] = s.elapsed_seconds;
  return d;
}

builders::TrainingRunResult Project::train(std::optional<int64_t> max_steps,
                                           const py::dict& overrides, const py::object& on_progress,
                                           const py::object& on_log) const {
  builders::TrainingRunRequest request;
  request.max_steps = max_steps;
  request.arg_overrides = to_json(overrides, "Project.train");
  request.overrides_origin = "Project.train keyword arguments";
  // The callbacks run on this thread between steps; each takes the GIL back for its call. They
  // hold handles, not references: the arguments outlive this call, and the callbacks are copied
  // and destroyed while the GIL is released.
  auto log = [on_log = py::handle(on_log)](const std::string& line) {
    py::gil_scoped_acquire gil;
    if (on_log.is_none()) {
      py::print(line);
    } else {
      on_log(line);
    }
  };
  request.console_sink = log;
  if (!on_progress.is_none()) {
    request.on_progress = [on_progress =
                               py::handle(on_progress)](const train::ProgressStats& stats) {
      py::gil_scoped_acquire gil;
      on_progress(progress_dict(stats));
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();  // Ctrl-C in a notebook
    };
  }
  py::gil_scoped_release release;
  config::Project project = load(config::CommentMode::kPreserve);
  config::Object main = config::materialize_targets(project, *registry_, {"main"});
  const auto script = main.as<builders::TrainingScriptSpec>(
      "a training script (forgather.ml.training_script:TrainingScript) as target main");
  builders::TrainerSpec spec = builders::apply_training_request(*script, request);
  train::Trainer trainer(spec.args, spec.inputs);
  std::ostringstream report;
  builders::TrainingRunResult result =
      builders::run_training_script(*script, spec, trainer, report);
  std::istringstream lines(report.str());
  for (std::string line; std::getline(lines, line);) log(line);
  return result;
}

}  // namespace

void bind_project(py::module_& m) {
  py::class_<Model>(m, "Model", "A model built from a config target (Project.model())")
      .def_property_readonly("tree", &Model::tree, "The module tree with parameter counts")
      .def_property_readonly("parameters", &Model::parameters, "Total parameter count")
      .def("named_parameters", &Model::named_parameters,
           "name -> NumPy array sharing the parameter's memory (no copy)")
      .def("__repr__", [](const Model& model) {
        return model.tree() + "\nTotal parameters: " + std::to_string(model.parameters());
      });

  py::class_<builders::TrainingRunResult>(m, "TrainResult", "What Project.train() did")
      .def_readonly("trained", &builders::TrainingRunResult::trained)
      .def_readonly("output_dir", &builders::TrainingRunResult::output_dir)
      .def_property_readonly(
          "global_step", [](const builders::TrainingRunResult& r) { return r.train.global_step; })
      .def_property_readonly(
          "final_loss", [](const builders::TrainingRunResult& r) { return r.train.final_loss; })
      .def_property_readonly(
          "losses",
          [](const builders::TrainingRunResult& r) {
            const auto n = static_cast<py::ssize_t>(r.train.step_losses.size());
            return float64_array(r.train.step_losses.data(), {n});
          },
          "Every step's loss, in order (a NumPy array)")
      .def_property_readonly(
          "train_runtime",
          [](const builders::TrainingRunResult& r) { return r.train.train_runtime; })
      .def_property_readonly(
          "tokens_per_second",
          [](const builders::TrainingRunResult& r) { return r.train.tokens_per_second; })
      .def_property_readonly("eval_loss",
                             [](const builders::TrainingRunResult& r) -> std::optional<double> {
                               if (r.eval) return r.eval->loss;
                               return r.train.final_eval_loss;
                             })
      .def("__repr__", [](const builders::TrainingRunResult& r) {
        return "TrainResult(steps=" + std::to_string(r.train.global_step) +
               ", final_loss=" + std::to_string(r.train.final_loss) + ", output_dir='" +
               r.output_dir + "')";
      });

  py::class_<Project>(m, "Project",
                      "A project and one of its configs: Project(path, config, **template_vars)")
      .def(py::init([](std::string path, std::string config, py::kwargs vars) {
             return Project(std::move(path), std::move(config), vars);
           }),
           py::arg("path") = ".", py::arg("config") = "")
      .def_property_readonly("path", &Project::path)
      .def_property_readonly("config_name", &Project::config_name)
      .def("ls", &Project::ls, "The project's configs, as `forgather ls` lists them")
      .def("pp", &Project::pp, "The preprocessed and rendered config text")
      .def("meta", &Project::meta, "The meta-config as Markdown (`forgather meta`)")
      .def("targets", &Project::targets, "The config's top-level targets")
      .def("model", &Project::model, py::arg("target") = "model",
           "Builds the model: its module tree, parameter count and parameters")
      .def("_train", &Project::train, py::arg("max_steps"), py::arg("overrides"),
           py::arg("on_progress"), py::arg("on_log"));
}

}  // namespace fg::python
