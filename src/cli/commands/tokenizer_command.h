#pragma once
// `forgather tokenizer train|encode|decode`.
//   train  (--input FILE... | --synthetic N) --vocab-size N --out DIR
//   encode --tokenizer DIR [--stats] FILE   (ids, one line per document; or statistics)
//   decode --tokenizer DIR [FILE]           (id lines from FILE or stdin back to text)
#include <iosfwd>

namespace CLI {
class App;
}

namespace fg::cli {

void add_tokenizer_command(CLI::App& app);
// The same, writing to the given streams (tests); `in` feeds decode when no FILE is given.
void add_tokenizer_command(CLI::App& app, std::ostream& out, std::istream& in, std::ostream& err,
                           bool interactive_progress);

}  // namespace fg::cli
