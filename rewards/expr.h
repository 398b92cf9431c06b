// expr.h: a small expression parser and evaluator, the project's own replacement for sympy.
//
// Two input syntaxes share one grammar:
//   Python  the text sympy.parse_expr sees in paper mode ("2*sqrt(3)/3", "x**2", implicit
//           multiplication "2x", unknown names split into one-letter symbols like sympy's
//           split_symbols, "e" and "i" plain symbols as after lower-casing),
//   Latex   math as written in answers (\frac12, \dfrac{a}{b}, \sqrt[3]{x}, x^{2}, \pi, \cdot,
//           mixed numbers 2\frac{1}{2}, \binom{n}{k}, \sin x, \ln 2, \log_2 8).
// Parsing is a precedence climb whose recursion is bounded (kExprMaxDepth): deeper input fails
// instead of overflowing the stack. Nodes are stored children-first, so evaluation is one loop.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rewards/number.h"

namespace rlvr::rewards {

// Recursion depth of the parser (about 4 levels per parenthesis) beyond which a parse fails.
inline constexpr int kExprMaxDepth = 800;

enum class Syntax : uint8_t { python, latex };

enum class ExprOp : uint8_t {
  const_, var, pi, euler, add, sub, mul, div, pow, neg, fact, sqrt, root, binom, abs,
  sin, cos, tan, sec, csc, cot, asin, acos, atan, ln, exp, log_base,
};

struct ExprNode {
  ExprOp op = ExprOp::const_;
  int32_t a = -1, b = -1;  // operands (indices of earlier nodes)
  int32_t var = -1;        // ExprOp::var: index into Expr::vars
  Num value;               // ExprOp::const_
  bool int_literal = false;  // a bare integer literal (mixed numbers need to know)
};

struct Expr {
  std::vector<ExprNode> nodes;  // children first; the root is the last node
  std::vector<std::string> vars;
};

struct ParseOptions {
  Syntax syntax = Syntax::python;
  bool e_is_euler = false;  // Latex: "e" is Euler's number (strict mode); Python: a symbol (sympy)
  Domain domain = Domain::complex;
};

// False when the text is not a complete expression of the syntax (or too deep).
bool expr_parse(std::string_view text, const ParseOptions& opt, Expr& out);

// Evaluates with values for Expr::vars (same order). Undefined results are Num::Undef.
Num expr_eval(const Expr& e, std::span<const Num> vars, Domain dom);

// Evaluates a and b on shared sample points: the union of their variables gets the same value in
// both. With no variables there is one point, else kExprSamplePoints. False when there are more
// than max_vars distinct variables.
inline constexpr int kExprSamplePoints = 6;
bool expr_sample(const Expr& a, const Expr& b, Domain dom, int max_vars, std::vector<Num>& va,
                 std::vector<Num>& vb);

}  // namespace rlvr::rewards
