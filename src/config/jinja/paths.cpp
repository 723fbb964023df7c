#include "config/jinja/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "config/jinja/error.h"

namespace fg::config::jinja::posix {

std::string join(const std::vector<std::string>& parts) {
  std::string path;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& b = parts[i];
    if (i == 0 || (!b.empty() && b[0] == '/')) {
      path = b;
    } else if (path.empty() || path.back() == '/') {
      path += b;
    } else {
      path += "/" + b;
    }
  }
  return path;
}

std::string normpath(const std::string& p) {
  if (p.empty()) return ".";
  size_t initial = 0;
  while (initial < p.size() && p[initial] == '/') ++initial;
  if (initial > 2) initial = 1;
  std::vector<std::string> comps;
  size_t b = 0;
  while (b <= p.size()) {
    size_t e = p.find('/', b);
    std::string c = p.substr(b, e == std::string::npos ? std::string::npos : e - b);
    if (!c.empty() && c != ".") {
      if (c != ".." || (initial == 0 && comps.empty()) ||
          (!comps.empty() && comps.back() == "..")) {
        comps.push_back(c);
      } else if (!comps.empty()) {
        comps.pop_back();
      }
    }
    if (e == std::string::npos) break;
    b = e + 1;
  }
  std::string out(initial, '/');
  for (size_t i = 0; i < comps.size(); ++i) out += (i ? "/" : "") + comps[i];
  return out.empty() ? "." : out;
}

std::string getcwd() {
  std::vector<char> buf(4096);
  if (!::getcwd(buf.data(), buf.size())) throw TemplateError("getcwd failed");
  return buf.data();
}

std::string abspath(const std::string& p) {
  if (!p.empty() && p[0] == '/') return normpath(p);
  return normpath(join({getcwd(), p}));
}

std::string relpath(const std::string& path, const std::string& start) {
  if (path.empty()) throw TemplateError("no path specified");
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    size_t b = 0;
    while (b <= s.size()) {
      size_t e = s.find('/', b);
      std::string c = s.substr(b, e == std::string::npos ? std::string::npos : e - b);
      if (!c.empty()) out.push_back(c);
      if (e == std::string::npos) break;
      b = e + 1;
    }
    return out;
  };
  auto sp = split(abspath(start)), pp = split(abspath(path));
  size_t i = 0;
  while (i < sp.size() && i < pp.size() && sp[i] == pp[i]) ++i;
  std::vector<std::string> rel;
  for (size_t k = i; k < sp.size(); ++k) rel.push_back("..");
  for (size_t k = i; k < pp.size(); ++k) rel.push_back(pp[k]);
  if (rel.empty()) return ".";
  return join(rel);
}

std::string dirname(const std::string& p) {
  size_t i = p.rfind('/');
  std::string head = i == std::string::npos ? "" : p.substr(0, i + 1);
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos) {
    while (!head.empty() && head.back() == '/') head.pop_back();
  }
  return head;
}

std::string basename(const std::string& p) {
  size_t i = p.rfind('/');
  return i == std::string::npos ? p : p.substr(i + 1);
}

std::pair<std::string, std::string> splitext(const std::string& p) {
  size_t sep = p.rfind('/');
  size_t dot = p.rfind('.');
  size_t base = sep == std::string::npos ? 0 : sep + 1;
  if (dot == std::string::npos || dot < base) return {p, ""};
  size_t first_non_dot = base;
  while (first_non_dot < dot && p[first_non_dot] == '.') ++first_non_dot;
  if (first_non_dot == dot) return {p, ""};
  return {p.substr(0, dot), p.substr(dot)};
}

std::string home_dir() {
  const char* h = std::getenv("HOME");
  return h ? h : "/";
}

std::string env_dir(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  if (v && *v) {
    std::string s = v;
    return s.substr(0, s.find(':'));
  }
  return fallback;
}

}  // namespace fg::config::jinja::posix
