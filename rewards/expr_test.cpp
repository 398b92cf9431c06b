// The evaluator and the Python-string helpers the paper grader depends on.
#include <gtest/gtest.h>

#include <string>

#include "rewards/expr.h"
#include "rewards/latex_text.h"
#include "rewards/paper_extract.h"
#include "rewards/paper_grade.h"
#include "rewards/paper_word_number.h"
#include "rewards/pytext.h"

namespace rlvr::rewards {
namespace {

Num eval_latex(const std::string& s, bool* ok = nullptr) {
  ParseOptions opt;
  opt.syntax = Syntax::latex;
  opt.e_is_euler = true;
  opt.domain = Domain::real;
  Expr e;
  bool parsed = expr_parse(s, opt, e);
  if (ok) *ok = parsed;
  if (!parsed) return num_undef();
  std::vector<Num> vars(e.vars.size(), num_int(2));
  return expr_eval(e, vars, Domain::real);
}

bool exact_is(const Num& n, int64_t num, int64_t den) {
  return n.kind == Num::exact && n.q.n == num && n.q.d == den;
}

TEST(Expr, ExactRationalsTellTinyDifferencesApart) {
  Num a = eval_latex("\\frac{1}{2^{99}}"), b = eval_latex("\\frac{1}{2^{98}}");
  ASSERT_EQ(a.kind, Num::exact);
  ASSERT_EQ(b.kind, Num::exact);
  EXPECT_EQ(num_compare(a, b, 1e-12L, 1e-9L), Cmp::not_equal);
  EXPECT_EQ(num_compare(eval_latex("10^{20}+1"), eval_latex("10^{20}"), 1e-12L, 1e-9L), Cmp::not_equal);
  EXPECT_EQ(num_compare(eval_latex("2^{-98}"), b, 1e-12L, 1e-9L), Cmp::equal);
}

TEST(Expr, LatexForms) {
  EXPECT_TRUE(exact_is(eval_latex("\\frac12"), 1, 2));
  EXPECT_TRUE(exact_is(eval_latex("\\dfrac{3}{4}"), 3, 4));
  EXPECT_TRUE(exact_is(eval_latex("\\frac123"), 3, 2));  // \frac{1}{2}3
  EXPECT_TRUE(exact_is(eval_latex("2\\frac{1}{2}"), 5, 2));  // mixed number
  EXPECT_TRUE(exact_is(eval_latex("-2\\frac{1}{2}"), -5, 2));
  EXPECT_TRUE(exact_is(eval_latex("\\sqrt{16}"), 4, 1));
  EXPECT_TRUE(exact_is(eval_latex("\\sqrt[3]{27}"), 3, 1));
  EXPECT_TRUE(exact_is(eval_latex("\\sqrt[3]{-8}"), -2, 1));
  EXPECT_TRUE(exact_is(eval_latex("\\binom{5}{2}"), 10, 1));
  EXPECT_TRUE(exact_is(eval_latex("5!"), 120, 1));
  EXPECT_TRUE(exact_is(eval_latex("\\log_2 8"), 3, 1));
  EXPECT_TRUE(exact_is(eval_latex("2x^2"), 8, 1));  // x = 2
  EXPECT_TRUE(exact_is(eval_latex("1.5\\times10^{3}"), 1500, 1));
  EXPECT_TRUE(exact_is(eval_latex("\\left(3\\right)\\cdot 4"), 12, 1));
  Num pi = eval_latex("\\pi");
  EXPECT_EQ(pi.kind, Num::approx);
  EXPECT_NEAR(static_cast<double>(pi.z.real()), 3.14159265358979, 1e-12);
  bool ok = true;
  eval_latex("\\int_0^1 x dx", &ok);
  EXPECT_FALSE(ok);  // unknown macro: not parsed
}

TEST(Expr, RealDomainUndefinedVsComplexDomain) {
  EXPECT_EQ(eval_latex("\\sqrt{-4}").kind, Num::undef);
  Expr e;
  ParseOptions opt;  // Python syntax, complex domain (sympy-like)
  ASSERT_TRUE(expr_parse("sqrt(-4)", opt, e));
  Num z = expr_eval(e, {}, Domain::complex);
  ASSERT_EQ(z.kind, Num::approx);
  EXPECT_NEAR(static_cast<double>(z.z.imag()), 2.0, 1e-15);
}

TEST(Expr, DepthLimitFailsInsteadOfOverflowing) {
  std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  Expr e;
  ParseOptions opt;
  EXPECT_FALSE(expr_parse(deep, opt, e));
  std::string ok = std::string(50, '(') + "1" + std::string(50, ')');
  EXPECT_TRUE(expr_parse(ok, opt, e));
  std::string minus(100000, '-');
  EXPECT_FALSE(expr_parse(minus + "1", opt, e));
}

TEST(Expr, PythonSyntaxLikeSympy) {
  Expr e;
  ParseOptions opt;
  ASSERT_TRUE(expr_parse("2x**2+xy", opt, e));  // implicit multiplication, split symbols
  EXPECT_EQ(e.vars.size(), 2u);
  ASSERT_TRUE(expr_parse("-2**2", opt, e));
  EXPECT_TRUE(exact_is(expr_eval(e, {}, Domain::complex), -4, 1));
  ASSERT_TRUE(expr_parse("2**-1", opt, e));
  EXPECT_TRUE(exact_is(expr_eval(e, {}, Domain::complex), 1, 2));
  EXPECT_FALSE(expr_parse("(1,2)", opt, e));
  EXPECT_FALSE(expr_parse("x=1", opt, e));
}

TEST(PyText, FloatParseAndRepr) {
  EXPECT_EQ(py_float(" 1_000.5 ").value(), 1000.5);
  EXPECT_EQ(py_float("1e3").value(), 1000.0);
  EXPECT_TRUE(std::isinf(py_float("-Infinity").value()));
  EXPECT_FALSE(py_float("1,000").has_value());
  EXPECT_FALSE(py_float("1__0").has_value());
  EXPECT_EQ(py_float_repr(2.5), "2.5");
  EXPECT_EQ(py_float_repr(3.0), "3.0");
  EXPECT_EQ(py_float_repr(1e16), "1e+16");
  EXPECT_EQ(py_float_repr(1e-5), "1e-05");
  EXPECT_EQ(py_float_repr(0.0001), "0.0001");
  EXPECT_EQ(py_int_of_double(1e20), "100000000000000000000");
  EXPECT_EQ(py_int_of_double(-2.9), "-2");
  EXPECT_EQ(py_strip("\xC2\xA0 x \t"), "x");
}

TEST(PaperPieces, WordNumbersLikeWord2Number) {
  EXPECT_EQ(qwen_convert_word_number("five"), "5");
  EXPECT_EQ(qwen_convert_word_number("twenty-one"), "21");
  EXPECT_EQ(qwen_convert_word_number("two hundred thirty four"), "234");
  EXPECT_EQ(qwen_convert_word_number("one million two thousand"), "1002000");
  EXPECT_EQ(qwen_convert_word_number("two point five"), "2.5");
  EXPECT_EQ(qwen_convert_word_number("007"), "7");
  EXPECT_EQ(qwen_convert_word_number("x+1"), "x+1");
  EXPECT_EQ(qwen_convert_word_number("thousand thousand"), "thousand thousand");  // redundant
}

TEST(PaperPieces, LatexToTextLikePylatexenc) {
  EXPECT_EQ(latex_to_text("\\frac{x+1}{2}").value(), "x+1/2");  // QUIRK kept
  EXPECT_EQ(latex_to_text("\\sqrt[3]{8}").value(), "√(8)");      // degree dropped
  EXPECT_EQ(latex_to_text("3\\pi").value(), "3π");
  EXPECT_EQ(latex_to_text("\\text{ cm}").value(), " cm");
  EXPECT_FALSE(latex_to_text(std::string(100000, '{')).has_value());
}

TEST(PaperPieces, Normalizers) {
  EXPECT_EQ(hendrycks_normalize("0.5"), "\\frac{1}{2}");
  EXPECT_EQ(hendrycks_normalize("\\dfrac12"), "\\frac{1}{2}");
  EXPECT_EQ(hendrycks_normalize("5\\text{ cm}"), "5");
  EXPECT_EQ(hendrycks_normalize("k = 3"), "3");
  EXPECT_EQ(prm_normalize("1,000"), "1000");
  EXPECT_EQ(prm_normalize("\\frac{\\sqrt{3}}{2}"), "sqrt(3)/2");
  EXPECT_EQ(prm_normalize("2.0"), "2");
  EXPECT_EQ(prm_normalize("7 3/4"), "7+3/4");
  EXPECT_EQ(qwen_strip_string("x = 5"), "5");
  EXPECT_EQ(qwen_strip_string("5 \\text{ cm}"), "5");
  EXPECT_EQ(qwen_strip_string("2.50"), "2.50");
  EXPECT_EQ(qwen_strip_string("3.00"), "3");
  EXPECT_EQ(qwen_strip_string("\\dfrac{1}{2}"), "\\frac{1}{2}");
  EXPECT_EQ(qwen_strip_string("1/2"), "\\frac{1}{2}");
}

}  // namespace
}  // namespace rlvr::rewards
