#pragma once
// POSIX path helpers with Python posixpath semantics (join, normpath, relpath, splitext, ...).
#include <string>
#include <utility>
#include <vector>

namespace fg::config::jinja::posix {

std::string join(const std::vector<std::string>& parts);
std::string normpath(const std::string& p);
std::string getcwd();
std::string abspath(const std::string& p);
std::string relpath(const std::string& path, const std::string& start);
std::string dirname(const std::string& p);
std::string basename(const std::string& p);
std::pair<std::string, std::string> splitext(const std::string& p);
std::string home_dir();
// First entry of $var (a ':'-separated list), else `fallback`.
std::string env_dir(const char* var, const std::string& fallback);

}  // namespace fg::config::jinja::posix
