// The YAML graph loader: parse, build and check the graph, print it back and parse that again.
#include "config/graph_yaml.h"
#include "config/yaml_loader.h"
#include "core/error.h"
#include "entries/fuzz_entry.h"
#include "entries/input_text.h"

namespace fg::fuzz {

void run_yaml(FuzzInput data) {
  const std::string text(as_text(data));
  try {
    const config::Graph graph = config::load_yaml_graph(text, {"fuzz.yaml", nullptr});
    const std::string printed = config::graph_to_yaml(graph);
    config::load_yaml_graph(printed, {"printed.yaml", nullptr});
  } catch (const Error&) {
  }
}

}  // namespace fg::fuzz
