// cli.h: a small declarative argument parser for `rlvrbench <command>`.
//
//   bool decode = false; std::string tok;
//   Cli cli("rlvrbench tokenize", "Encode JSON strings from stdin to token ids.");
//   cli.option("--tokenizer", "PATH", "tokenizer.json or a model folder", &tok, /*required=*/true)
//      .flag("--decode", "ids -> text instead", &decode);
//   if (!cli.parse(argc, argv)) return 0;   // --help was printed
//
// Usage errors throw InputError naming the argument, so they exit 2 with one line.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rlvr {

class Cli {
 public:
  Cli(std::string prog, std::string summary);

  Cli& flag(std::string name, std::string help, bool* out);
  Cli& option(std::string name, std::string metavar, std::string help, std::string* out, bool required = false);
  Cli& option(std::string name, std::string metavar, std::string help, int64_t* out, bool required = false);
  Cli& option(std::string name, std::string metavar, std::string help, double* out, bool required = false);
  // Repeatable option (--set k=v --set k2=v2).
  Cli& multi(std::string name, std::string metavar, std::string help, std::vector<std::string>* out);
  Cli& positional(std::string name, std::string help, std::string* out, bool required = true);
  // Every positional argument after the declared ones (FILE...); at least `min` of them.
  Cli& rest(std::string name, std::string help, std::vector<std::string>* out, size_t min = 1);
  // Free text printed after the options in --help.
  Cli& epilog(std::string text);

  // Returns false when --help/-h was given (help already printed to stdout).
  bool parse(int argc, char** argv);
  std::string help() const;

 private:
  struct Opt {
    std::string name, metavar, help;
    bool is_flag = false, required = false, repeat = false, seen = false;
    std::function<void(const std::string&)> set;
    std::string default_text;
  };
  struct Pos {
    std::string name, help;
    std::string* out;
    bool required;
  };
  Opt* find(const std::string& name);
  std::string prog_, summary_, epilog_;
  std::vector<Opt> opts_;
  std::vector<Pos> pos_;
  std::string rest_name_, rest_help_;
  std::vector<std::string>* rest_ = nullptr;
  size_t rest_min_ = 0;
};

// Strict number parsing; InputError "WHERE: expected an integer, got 'x'".
int64_t parse_int(const std::string& where, const std::string& s);
double parse_double(const std::string& where, const std::string& s);

}  // namespace rlvr
