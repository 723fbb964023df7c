// The functions over trained runs: generate, eval, load_run and compare, each the library call
// its CLI command makes.
#include <pybind11/iostream.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <sstream>

#include "cli/commands/eval_command.h"
#include "cli/commands/generate_command.h"
#include "python/bindings.h"
#include "python/registry.h"
#include "python/tensor_bindings.h"
#include "report/compare.h"
#include "report/run_loader.h"

namespace py = pybind11;

namespace fg::python {
namespace {

// An (N, 2) array of (step, value) rows.
py::array curve(const std::vector<report::Point>& points) {
  std::vector<double> rows;
  for (const auto& p : points) rows.insert(rows.end(), {p.x, p.y});
  return float64_array(rows.data(), {static_cast<py::ssize_t>(points.size()), py::ssize_t{2}});
}

py::object generate(const std::filesystem::path& run_dir, const py::object& prompt,
                    int64_t max_new_tokens, double temperature, int64_t top_k, double top_p,
                    double repetition_penalty, uint64_t seed, bool greedy, bool use_cache,
                    const py::object& on_text) {
  cli::TextGenerationRequest request;
  const bool one = py::isinstance<py::str>(prompt);
  if (one) {
    request.prompts.push_back(prompt.cast<std::string>());
  } else if (!prompt.is_none()) {
    request.prompts = prompt.cast<std::vector<std::string>>();
  }
  train::SamplingOptions& s = request.sampling;
  if (greedy) s = train::SamplingOptions::greedy();
  if (!greedy) {
    s.temperature = static_cast<float>(temperature);
    s.top_k = top_k;
    s.top_p = static_cast<float>(top_p);
    s.repetition_penalty = static_cast<float>(repetition_penalty);
    s.seed = seed;
  }
  s.max_new_tokens = max_new_tokens;
  s.validate();
  request.use_cache = use_cache;
  std::function<void(int64_t, const std::string&)> stream;
  if (!on_text.is_none()) {
    stream = [on_text = py::handle(on_text)](int64_t row, const std::string& piece) {
      py::gil_scoped_acquire gil;
      on_text(row, piece);
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    };
  }
  auto registry = make_registry();
  cli::GeneratedTexts out;
  {
    py::gil_scoped_release release;
    out = cli::generate_texts(*registry, run_dir, request, stream);
  }
  std::vector<std::string> texts;
  for (size_t i = 0; i < out.prompts.size(); ++i)
    texts.push_back(out.prompts[i] + out.continuations[i]);
  if (one || prompt.is_none()) return py::str(texts.front());
  return py::cast(texts);
}

py::list evaluate(const std::filesystem::path& run_dir, const std::vector<int64_t>& lengths,
                  const std::string& dataset, const std::string& split, int64_t max_blocks,
                  int64_t batch_size, const std::optional<std::filesystem::path>& output) {
  cli::LengthEvalRequest request;
  request.dataset = dataset;
  request.split = split;
  request.max_blocks = max_blocks;
  request.batch_size = batch_size;
  if (lengths.empty()) throw Error("[eval] give at least one length");
  for (int64_t n : lengths)
    if (n < 1) throw Error("[eval] lengths must be positive, found " + std::to_string(n));
  if (max_blocks < 1 || batch_size < 1)
    throw Error("[eval] max_blocks and batch_size must be positive");
  auto registry = make_registry();
  report::EvalLengths results;
  {
    py::scoped_estream_redirect progress;  // the per-length progress lines
    py::gil_scoped_release release;
    results = cli::evaluate_and_record_lengths(*registry, run_dir, lengths, request,
                                               output.value_or(std::filesystem::path()));
  }
  py::list out;
  for (const auto& r : results.results) {
    py::dict row;
    row["length"] = r.length;
    row["loss"] = r.loss;
    row["perplexity"] = r.perplexity;
    row["tokens"] = r.tokens;
    out.append(row);
  }
  return out;
}

std::string compare(const std::vector<std::filesystem::path>& runs,
                    const std::optional<std::filesystem::path>& html,
                    const std::vector<int64_t>& extrapolate, bool skip_bad) {
  report::CompareOptions o;
  o.runs = runs;
  o.html_path = html.value_or(std::filesystem::path());
  o.extrapolate = extrapolate;
  o.skip_bad_runs = skip_bad;
  auto registry = make_registry();
  o.evaluator = [registry](const std::filesystem::path& dir, const std::vector<int64_t>& lengths) {
    return cli::evaluate_model_lengths(*registry, dir, lengths, {});
  };
  std::ostringstream out;
  py::scoped_estream_redirect progress;
  py::gil_scoped_release release;
  report::run_compare(o, out);
  return out.str();
}

}  // namespace

void bind_runs(py::module_& m) {
  m.def("generate", &generate, py::arg("run_dir"), py::arg("prompt") = py::none(),
        py::arg("max_new_tokens") = 200, py::arg("temperature") = 0.7, py::arg("top_k") = 20,
        py::arg("top_p") = 0.9, py::arg("repetition_penalty") = 1.15, py::arg("seed") = 42,
        py::arg("greedy") = false, py::arg("use_cache") = true, py::arg("on_text") = py::none(),
        "Text from a trained model directory: the prompt (default: the dragon prompt) and its "
        "continuation; a list of prompts gives a list of texts. on_text(row, piece) streams.");
  m.def("eval", &evaluate, py::arg("run_dir"), py::arg("lengths"), py::arg("dataset") = "",
        py::arg("split") = "validation", py::arg("max_blocks") = 32, py::arg("batch_size") = 4,
        py::arg("output") = py::none(),
        "Perplexity at each context length (as `forgather eval`); also merged into "
        "<run_dir>/eval_lengths.json. Returns [{length, loss, perplexity, tokens}]");

  py::class_<report::RunSummary>(m, "Run", "One training run's log and figures (load_run())")
      .def_readonly("name", &report::RunSummary::name)
      .def_readonly("output_dir", &report::RunSummary::output_dir)
      .def_readonly("log_path", &report::RunSummary::log_path)
      .def_readonly("parameters", &report::RunSummary::parameters)
      .def_readonly("notes", &report::RunSummary::notes)
      .def_property_readonly("train_loss",
                             [](const report::RunSummary& r) { return curve(r.log.train_loss); })
      .def_property_readonly("eval_loss",
                             [](const report::RunSummary& r) { return curve(r.log.eval_loss); })
      .def_property_readonly("learning_rate",
                             [](const report::RunSummary& r) { return curve(r.log.learning_rate); })
      .def_property_readonly("last_step",
                             [](const report::RunSummary& r) { return r.log.last_step; })
      .def_property_readonly("final_train_loss",
                             [](const report::RunSummary& r) { return r.log.final_train_loss; })
      .def_property_readonly("final_eval_loss",
                             [](const report::RunSummary& r) { return r.log.final_eval_loss; })
      .def_property_readonly("best_eval_loss",
                             [](const report::RunSummary& r) { return r.log.best_eval_loss; })
      .def_property_readonly("tokens_per_second",
                             [](const report::RunSummary& r) { return r.log.tokens_per_second; })
      .def_property_readonly("finished", [](const report::RunSummary& r) { return r.log.finished; })
      .def("__repr__", [](const report::RunSummary& r) {
        return "Run('" + r.name + "', '" + r.output_dir.string() + "')";
      });
  m.def("load_run", &report::load_run, py::arg("path"),
        "Reads a run's output_dir (or logdir, or trainer_logs.json) as `forgather compare` does");
  m.def("compare", &compare, py::arg("runs"), py::arg("html") = py::none(),
        py::arg("extrapolate") = std::vector<int64_t>{}, py::arg("skip_bad") = false,
        "The `forgather compare` tables as text; html=PATH also writes the HTML report");
}

}  // namespace fg::python
