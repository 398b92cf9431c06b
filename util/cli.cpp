#include "util/cli.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "util/error.h"

namespace rlvr {

int64_t parse_int(const std::string& where, const std::string& s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    throw_input(where, "expected an integer, got '" + s + "'");
  return v;
}

double parse_double(const std::string& where, const std::string& s) {
  char* end = nullptr;
  errno = 0;
  double v = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
    throw_input(where, "expected a finite number, got '" + s + "'");
  return v;
}

Cli::Cli(std::string prog, std::string summary) : prog_(std::move(prog)), summary_(std::move(summary)) {}

Cli& Cli::flag(std::string name, std::string help, bool* out) {
  Opt o;
  o.name = std::move(name);
  o.help = std::move(help);
  o.is_flag = true;
  o.set = [out](const std::string&) { *out = true; };
  opts_.push_back(std::move(o));
  return *this;
}

Cli& Cli::option(std::string name, std::string metavar, std::string help, std::string* out, bool required) {
  Opt o;
  o.name = name;
  o.metavar = std::move(metavar);
  o.help = std::move(help);
  o.required = required;
  if (!out->empty()) o.default_text = *out;
  o.set = [out](const std::string& v) { *out = v; };
  opts_.push_back(std::move(o));
  return *this;
}

Cli& Cli::option(std::string name, std::string metavar, std::string help, int64_t* out, bool required) {
  Opt o;
  o.name = name;
  o.metavar = std::move(metavar);
  o.help = std::move(help);
  o.required = required;
  o.default_text = std::to_string(*out);
  o.set = [out, name](const std::string& v) { *out = parse_int(name, v); };
  opts_.push_back(std::move(o));
  return *this;
}

Cli& Cli::option(std::string name, std::string metavar, std::string help, double* out, bool required) {
  Opt o;
  o.name = name;
  o.metavar = std::move(metavar);
  o.help = std::move(help);
  o.required = required;
  std::ostringstream ss;
  ss << *out;
  o.default_text = ss.str();
  o.set = [out, name](const std::string& v) { *out = parse_double(name, v); };
  opts_.push_back(std::move(o));
  return *this;
}

Cli& Cli::multi(std::string name, std::string metavar, std::string help, std::vector<std::string>* out) {
  Opt o;
  o.name = name;
  o.metavar = std::move(metavar);
  o.help = std::move(help);
  o.repeat = true;
  o.set = [out](const std::string& v) { out->push_back(v); };
  opts_.push_back(std::move(o));
  return *this;
}

Cli& Cli::positional(std::string name, std::string help, std::string* out, bool required) {
  pos_.push_back({std::move(name), std::move(help), out, required});
  return *this;
}

Cli& Cli::epilog(std::string text) {
  epilog_ = std::move(text);
  return *this;
}

Cli::Opt* Cli::find(const std::string& name) {
  for (auto& o : opts_)
    if (o.name == name) return &o;
  return nullptr;
}

std::string Cli::help() const {
  std::ostringstream ss;
  ss << "usage: " << prog_;
  for (const auto& p : pos_) ss << (p.required ? " " : " [") << p.name << (p.required ? "" : "]");
  if (rest_) ss << (rest_min_ ? " " : " [") << rest_name_ << (rest_min_ ? "..." : "...]");
  for (const auto& o : opts_) {
    ss << (o.required ? " " : " [") << o.name;
    if (!o.is_flag) ss << " " << o.metavar;
    ss << (o.required ? "" : "]") << (o.repeat ? "..." : "");
  }
  ss << "\n\n" << summary_ << "\n";
  if (!pos_.empty() || rest_) {
    ss << "\narguments:\n";
    for (const auto& p : pos_) ss << "  " << p.name << "\n      " << p.help << "\n";
    if (rest_) ss << "  " << rest_name_ << "...\n      " << rest_help_ << "\n";
  }
  ss << "\noptions:\n";
  for (const auto& o : opts_) {
    ss << "  " << o.name;
    if (!o.is_flag) ss << " " << o.metavar;
    ss << "\n      " << o.help;
    if (o.required) ss << " (required)";
    else if (!o.default_text.empty()) ss << " (default: " << o.default_text << ")";
    ss << "\n";
  }
  ss << "  --help, -h\n      show this help and exit\n";
  if (!epilog_.empty()) ss << "\n" << epilog_ << "\n";
  ss << "\n" << kExitStatusHelp << "\n";
  return ss.str();
}

Cli& Cli::rest(std::string name, std::string help, std::vector<std::string>* out, size_t min) {
  rest_name_ = std::move(name);
  rest_help_ = std::move(help);
  rest_ = out;
  rest_min_ = min;
  return *this;
}

bool Cli::parse(int argc, char** argv) {
  size_t npos = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(help().c_str(), stdout);
      return false;
    }
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a, value;
      bool has_value = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_value = true;
      }
      Opt* o = find(name);
      if (!o) throw_input("", "unknown option '" + name + "' (see --help)");
      if (o->seen && !o->repeat) throw_input("", "option '" + name + "' given twice");
      o->seen = true;
      if (o->is_flag) {
        if (has_value) throw_input("", "option '" + name + "' takes no value");
        o->set("");
        continue;
      }
      if (!has_value) {
        if (i + 1 >= argc) throw_input("", "option '" + name + "' needs a value " + o->metavar);
        value = argv[++i];
      }
      o->set(value);
      continue;
    }
    if (npos >= pos_.size()) {
      if (!rest_) throw_input("", "unexpected argument '" + a + "' (see --help)");
      rest_->push_back(a);
      continue;
    }
    *pos_[npos++].out = a;
  }
  if (rest_ && rest_->size() < rest_min_) throw_input("", "missing argument " + rest_name_ + " (see --help)");
  for (size_t k = npos; k < pos_.size(); ++k)
    if (pos_[k].required) throw_input("", "missing argument " + pos_[k].name + " (see --help)");
  for (const auto& o : opts_)
    if (o.required && !o.seen) throw_input("", "missing option " + o.name + " " + o.metavar + " (see --help)");
  return true;
}

}  // namespace rlvr
