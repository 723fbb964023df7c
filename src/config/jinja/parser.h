#pragma once
// Parser: tokens -> TemplateAst (Jinja2 3.1 grammar and operator precedence).
#include <string>

#include "config/jinja/ast.h"
#include "config/jinja/lexer.h"

namespace fg::config::jinja {

// Throws TemplateError whose location has the line (file left empty for the caller to fill).
TemplateAst parse_template(const std::string& source, const LexOptions& opts);

}  // namespace fg::config::jinja
