// Hostile templates: every input here once crashed, hung or gave a wrong number. Each case
// asserts the value Python gives (where it fits in 64 bits) or the message of a named error,
// and that the error names the template and line.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "config/jinja/budget.h"
#include "config/jinja/environment.h"

namespace fg::config::jinja {
namespace {

Limits default_limits() {
  return Limits{};
}

std::string render(const std::string& text, Limits limits = default_limits()) {
  EnvironmentOptions opts;
  opts.limits = limits;
  Environment env(std::make_shared<DictLoader>(), opts);
  return env.render_string(text, "hostile.j2", {});
}

// The message of the TemplateError `text` raises; fails the test when it renders.
std::string error_of(const std::string& text, Limits limits = default_limits(), int64_t line = 1) {
  try {
    const std::string out = render(text, limits);
    ADD_FAILURE() << "expected an error, rendered: " << out.substr(0, 200);
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.where().file, "hostile.j2") << e.what();
    EXPECT_EQ(e.where().line, line) << e.what();
    return e.jinja_message();
  }
  return "";
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Integers: every operation checked; Python's value where it fits, a named error where not.

TEST(HostileJinjaArithmetic, AddOverflowIsNamed) {
  EXPECT_EQ(error_of("{{ 9223372036854775807 + 1 }}"),
            "integer overflow in 9223372036854775807 + 1: the result does not fit in 64 bits");
}

TEST(HostileJinjaArithmetic, SubtractAndMultiplyOverflowAreNamed) {
  EXPECT_CONTAINS(error_of("{{ -9223372036854775808 - 1 }}"),
                  "integer overflow in -9223372036854775808 - 1");
  EXPECT_CONTAINS(error_of("{{ 4611686018427387904 * 2 }}"),
                  "integer overflow in 4611686018427387904 * 2");
}

TEST(HostileJinjaArithmetic, MinFloorDivMinusOneIsOverflowNotSigfpe) {
  EXPECT_CONTAINS(error_of("{{ -9223372036854775808 // -1 }}"),
                  "integer overflow in -9223372036854775808 // -1");
}

TEST(HostileJinjaArithmetic, MinModuloMinusOneIsZero) {
  EXPECT_EQ(render("{{ -9223372036854775808 % -1 }}|{{ 7 % -1 }}|{{ 7 // -1 }}"), "0|0|-7");
}

TEST(HostileJinjaArithmetic, NegatingMinIsOverflow) {
  EXPECT_CONTAINS(error_of("{{ -(-9223372036854775808) }}"),
                  "integer overflow in -(-9223372036854775808)");
}

TEST(HostileJinjaArithmetic, AbsOfMinIsOverflow) {
  EXPECT_CONTAINS(error_of("{{ (-9223372036854775808)|abs }}"),
                  "integer overflow in abs(-9223372036854775808)");
  EXPECT_EQ(render("{{ (-9223372036854775807)|abs }}"), "9223372036854775807");
}

TEST(HostileJinjaArithmetic, MinLiteralIsRepresentable) {
  EXPECT_EQ(render("{{ -9223372036854775808 }}"), "-9223372036854775808");
  EXPECT_EQ(error_of("{{ 9223372036854775808 }}"), "number out of range: 9223372036854775808");
}

TEST(HostileJinjaArithmetic, OneToAHugePowerIsQuick) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(render("{{ 1 ** 9223372036854775807 }}|{{ (-1) ** 9223372036854775807 }}|"
                   "{{ 0 ** 9223372036854775807 }}|{{ 5 ** 0 }}"),
            "1|-1|0|1");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(HostileJinjaArithmetic, PowerOverflowIsNamed) {
  EXPECT_EQ(render("{{ 2 ** 62 }}|{{ (-2) ** 63 }}"), "4611686018427387904|-9223372036854775808");
  EXPECT_EQ(error_of("{{ 2 ** 63 }}"),
            "integer overflow in 2 ** 63: the result does not fit in 64 bits");
  EXPECT_CONTAINS(error_of("{{ 3 ** 9223372036854775807 }}"),
                  "integer overflow in 3 ** 9223372036854775807");
}

TEST(HostileJinjaArithmetic, ZeroToANegativePowerIsPythonsError) {
  EXPECT_EQ(error_of("{{ 0 ** -1 }}"), "0.0 cannot be raised to a negative power");
  EXPECT_EQ(render("{{ 2 ** -1 }}"), "0.5");
}

TEST(HostileJinjaArithmetic, FloatPowerOverflowIsPythonsError) {
  EXPECT_EQ(error_of("{{ 10 ** 400.0 }}"), "(34, 'Numerical result out of range')");
}

TEST(HostileJinjaArithmetic, EmptyStringTimesHugeIsEmptyAtOnce) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(render("[{{ '' * 9223372036854775807 }}]{{ [] * 9223372036854775807 }}"), "[][]");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(HostileJinjaArithmetic, StringTimesNegativeIsEmpty) {
  EXPECT_EQ(render("[{{ 'ab' * -3 }}]{{ [1] * -9223372036854775808 }}"), "[][]");
}

TEST(HostileJinjaArithmetic, StringTimesFloatIsATypeError) {
  EXPECT_EQ(error_of("{{ 'x' * 2e10 }}"), "can't multiply sequence by non-int of type 'float'");
}

TEST(HostileJinjaArithmetic, StringTimesHugeIntIsRefusedBeforeAllocating) {
  EXPECT_CONTAINS(error_of("{{ 'x' * 20000000000 }}"),
                  "render memory limit exceeded: str * int needs 18.6 GiB");
  EXPECT_CONTAINS(error_of("{{ 'x' * 20000000000 }}"), "(FORGATHER_MAX_RENDER_MEMORY)");
}

TEST(HostileJinjaArithmetic, ListTimesHugeIntIsRefusedBeforeAllocating) {
  EXPECT_CONTAINS(error_of("{{ [0] * 9223372036854775807 }}"),
                  "render memory limit exceeded: list * int needs more than 8 EiB");
}

TEST(HostileJinjaArithmetic, IntOfHugeFloatIsOverflow) {
  EXPECT_EQ(error_of("{{ 1e300|int }}"),
            "integer overflow in int(1e+300): the result does not fit in 64 bits");
  EXPECT_EQ(error_of("{{ 'inf'|float|int }}"), "cannot convert float infinity to integer");
  EXPECT_EQ(render("{{ 'nan'|float|int }}|{{ 'x'|int(7) }}"), "0|7");  // jinja2: the default
}

TEST(HostileJinjaArithmetic, PercentFormatOfHugeFloatIsOverflow) {
  EXPECT_CONTAINS(error_of("{{ '%d' % 1e300 }}"), "integer overflow in int(1e+300)");
  EXPECT_EQ(error_of("{{ '%x' % 1.5 }}"), "%x format: an integer is required, not float");
}

TEST(HostileJinjaArithmetic, RoundToNegativeDigitsOverflowIsNamed) {
  EXPECT_EQ(render("{{ 1234|round(-2) }}|{{ 123|round(-30) }}"), "1200|0");
  EXPECT_CONTAINS(error_of("{{ 9223372036854775807|round(-1) }}"),
                  "integer overflow in round(9223372036854775807, -1)");
}

TEST(HostileJinjaArithmetic, HexLiteralOutOfRangeIsNamed) {
  EXPECT_EQ(error_of("{{ 0xFFFFFFFFFFFFFFFFFF }}"),
            "invalid or out-of-range integer literal '0xFFFFFFFFFFFFFFFFFF' (integers are 64-bit)");
  EXPECT_CONTAINS(error_of("{{ 0x }}"), "invalid or out-of-range integer literal '0x'");
}

// ---------------------------------------------------------------------------------------------
// Slicing and indexing: no step or bound can overflow or read outside the sequence.

TEST(HostileJinjaSlicing, HugeStepOnAList) {
  EXPECT_EQ(render("{{ [1,2,3,4][3::9223372036854775807] }}"), "[4]");
}

TEST(HostileJinjaSlicing, HugeStepOnAString) {
  EXPECT_EQ(
      render("{{ 'abcd'[3::9223372036854775807] }}|{{ 'ab\xc3\xa9'[2::9223372036854775807] }}"),
      "d|\xc3\xa9");
}

TEST(HostileJinjaSlicing, MinStepAndMinBounds) {
  EXPECT_EQ(render("{{ [1,2,3][::-9223372036854775808] }}|{{ [1,2][-9223372036854775808:] }}|"
                   "{{ 'abc'[9223372036854775807:-9223372036854775808:-1] }}"),
            "[3]|[1, 2]|cba");
}

TEST(HostileJinjaSlicing, ZeroStepIsPythonsError) {
  EXPECT_EQ(error_of("{{ [1,2,3][::0] }}"), "slice step cannot be zero");
}

TEST(HostileJinjaSlicing, NonIntegerBoundsArePythonsError) {
  EXPECT_EQ(error_of("{{ [1,2]['a':] }}"),
            "slice indices must be integers or None or have an __index__ method");
  EXPECT_EQ(error_of("{{ 'ab'[::1.5] }}"),
            "slice indices must be integers or None or have an __index__ method");
}

TEST(HostileJinjaSlicing, MalformedUtf8StaysInside) {
  // A lead byte whose continuation is missing: one code point, as it is decoded.
  EXPECT_EQ(render("{{ '\xc3' ~ 'A' }}|{{ ('\xc3' ~ 'A')|length }}|{{ ('\xc3' ~ 'A')[1:] }}|"
                   "{{ ('\xc3' ~ 'A')[::-1]|length }}"),
            "\xc3"
            "A|1||1");
  EXPECT_CONTAINS(error_of("{{ ('\xc3' ~ 'A')[1] }}"), "has no element 1");
}

TEST(HostileJinjaSlicing, SliceInsideATupleSubscriptIsASyntaxError) {
  // Found by fuzzing: the slice had no object and was evaluated through a null pointer.
  EXPECT_EQ(error_of("{{ 3[::'s', 'x'] }}"),
            "a slice inside a tuple subscript (extended slicing) is not supported");
  EXPECT_EQ(error_of("{{ {}[1, 2:] }}"),
            "a slice inside a tuple subscript (extended slicing) is not supported");
}

TEST(HostileJinjaSlicing, SliceFilterOfZeroIsAnError) {
  EXPECT_EQ(error_of("{{ [1,2,3]|slice(0) }}"), "integer division or modulo by zero");
  EXPECT_EQ(render("{{ [1,2,3]|slice(-1) }}"), "[]");
  EXPECT_CONTAINS(error_of("{{ [1]|slice(9223372036854775807) }}"),
                  "render memory limit exceeded: slice()");
}

TEST(HostileJinjaSlicing, RangeWithHugeStep) {
  EXPECT_EQ(
      render("{{ range(0, 9223372036854775807, 4611686018427387904)|list }}|"
             "{{ range(9223372036854775807, -9223372036854775808, -9223372036854775808)|list }}"),
      "[0, 4611686018427387904]|[9223372036854775807, -1]");
}

TEST(HostileJinjaSlicing, RangeLimitsAndArguments) {
  EXPECT_EQ(error_of("{{ range(9223372036854775807) }}"),
            "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
  EXPECT_EQ(error_of("{{ range(1.5) }}"), "'float' object cannot be interpreted as an integer");
  EXPECT_EQ(error_of("{{ range(1, 2, 0) }}"), "range() arg 3 must not be zero");
}

// ---------------------------------------------------------------------------------------------
// Nesting: bounded in the lexer, the parser and the evaluator, with the limit and location.

TEST(HostileJinjaLimits, TenThousandParentheses) {
  const std::string t = "a\n{{ " + repeat("(", 10000) + "1" + repeat(")", 10000) + " }}";
  EXPECT_EQ(error_of(t, default_limits(), 2),
            "template nesting too deep: more than 256 open brackets "
            "(FORGATHER_MAX_TEMPLATE_DEPTH)");
}

TEST(HostileJinjaLimits, TwentyThousandNestedIfs) {
  const std::string t = repeat("{% if true %}", 20000) + "x" + repeat("{% endif %}", 20000);
  EXPECT_EQ(error_of(t),
            "template nesting too deep: more than 256 levels of nested statements, brackets and "
            "sub-expressions (FORGATHER_MAX_TEMPLATE_DEPTH)");
}

TEST(HostileJinjaLimits, FlatSumOfTwoHundredThousandTerms) {
  std::string t = "{{ 1";
  for (int i = 0; i < 200000; ++i) t += " + 1";
  EXPECT_CONTAINS(error_of(t + " }}"), "template nesting too deep: more than 256 levels");
}

TEST(HostileJinjaLimits, LongChainsOfOperatorsFiltersAndAttributes) {
  for (const std::string& t :
       {"{{ " + repeat("-", 100000) + "1 }}", "{{ " + repeat("not ", 100000) + "1 }}",
        "{{ x" + repeat("|e", 100000) + " }}", "{{ x" + repeat(".a", 100000) + " }}",
        "{{ x" + repeat("[0]", 100000) + " }}", "{{ 1" + repeat(" if 1 else 1", 100000) + " }}",
        "{{ f" + repeat("()", 100000) + " }}", "{{ 1" + repeat(" ~ 1", 100000) + " }}"})
    EXPECT_CONTAINS(error_of(t), "(FORGATHER_MAX_TEMPLATE_DEPTH)");
}

TEST(HostileJinjaLimits, DeepForNesting) {
  const std::string t = repeat("{% for i in [1] %}", 5000) + "x" + repeat("{% endfor %}", 5000);
  EXPECT_CONTAINS(error_of(t), "template nesting too deep: more than 256 levels");
  const std::string ok = repeat("{% for i in [1] %}", 100) + "x" + repeat("{% endfor %}", 100);
  EXPECT_EQ(render(ok), "x");
}

TEST(HostileJinjaLimits, TemplateDepthIsConfigurable) {
  Limits l;
  l.max_template_depth = 3;
  EXPECT_EQ(render("{{ (((1))) }}", l), "1");
  EXPECT_CONTAINS(error_of("{{ ((((1)))) }}", l), "more than 3 open brackets");
  EXPECT_CONTAINS(error_of("{% if 1 %}{% if 1 %}{% if 1 %}{% if 1 %}{% endif %}{% endif %}"
                           "{% endif %}{% endif %}",
                           l),
                  "more than 3 levels");
}

TEST(HostileJinjaLimits, MacroRecursionNamesLimitAndLine) {
  EXPECT_EQ(
      error_of("{% macro f(n) %}\n{{ f(n + 1) }}\n{% endmacro %}\n{{ f(0) }}", default_limits(), 2),
      "maximum recursion depth exceeded: the render nests deeper than 1000 levels of "
      "statements, expressions, macro calls and includes (FORGATHER_MAX_RENDER_DEPTH)");
}

TEST(HostileJinjaLimits, MacroRecursionThroughDeepBodies) {
  const std::string t = "{% macro f(n) %}" + repeat("{% if true %}", 200) + "{{ f(n + 1) }}" +
                        repeat("{% endif %}", 200) + "{% endmacro %}{{ f(0) }}";
  EXPECT_CONTAINS(error_of(t), "maximum recursion depth exceeded");
}

TEST(HostileJinjaLimits, RecursiveLoopAndCallerRecursion) {
  EXPECT_CONTAINS(error_of("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}"),
                  "maximum recursion depth exceeded: the render nests deeper than 1000");
  EXPECT_CONTAINS(
      error_of("{% macro m() %}{{ caller() }}{% endmacro %}"
               "{% macro r() %}{% call m() %}{{ r() }}{% endcall %}{% endmacro %}{{ r() }}"),
      "maximum recursion depth exceeded");
}

TEST(HostileJinjaLimits, SelfCallingBlockRecursion) {
  EXPECT_CONTAINS(error_of("{% block b %}{{ self.b() }}{% endblock %}"),
                  "maximum recursion depth exceeded");
}

TEST(HostileJinjaLimits, LongExtendsAndIncludeChains) {
  auto loader = std::make_shared<DictLoader>();
  for (int i = 0; i < 3000; ++i) {
    const std::string next = "t" + std::to_string(i + 1);
    loader->add("t" + std::to_string(i), {"{% extends '" + next + "' %}", "", 1});
    loader->add("i" + std::to_string(i), {"{% include 'i" + std::to_string(i + 1) + "' %}", "", 1});
  }
  loader->add("t3000", {"end", "", 1});
  loader->add("i3000", {"end", "", 1});
  Environment env(loader);
  for (const char* first : {"t0", "i0"}) {
    try {
      env.render(first, {});
      ADD_FAILURE() << first;
    } catch (const TemplateError& e) {
      EXPECT_CONTAINS(e.jinja_message(),
                      "maximum recursion depth exceeded: the render nests "
                      "deeper than 1000 levels");
      EXPECT_EQ(e.where().file.substr(0, 1), std::string(first).substr(0, 1)) << e.what();
      EXPECT_EQ(e.where().line, 1);
    }
  }
}

TEST(HostileJinjaLimits, RenderDepthIsConfigurableAndStackIsBackstop) {
  Limits l;
  l.max_render_depth = 50;
  EXPECT_CONTAINS(error_of("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", l),
                  "deeper than 50 levels");
  // With the count limit out of the way the native-stack check still stops the recursion.
  l.max_render_depth = 100'000'000;
  l.max_loop_iterations = 100'000'000;
  EXPECT_CONTAINS(error_of("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", l),
                  "the native stack is nearly used up");
}

TEST(HostileJinjaLimits, NestedLoopsHitTheIterationLimit) {
  Limits l;
  l.max_loop_iterations = 100000;
  EXPECT_EQ(error_of("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                     "{% endfor %}",
                     l),
            "loop iteration limit exceeded: more than 100000 loop iterations and macro calls in "
            "one render (FORGATHER_MAX_LOOP_ITERATIONS)");
}

TEST(HostileJinjaLimits, ExponentialMacroCallsHitTheIterationLimit) {
  Limits l;
  l.max_loop_iterations = 10000;
  EXPECT_CONTAINS(error_of("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                           "{% endmacro %}{{ f(60) }}",
                           l),
                  "more than 10000 loop iterations and macro calls");
}

TEST(HostileJinjaLimits, OutputLimit) {
  Limits l;
  l.max_render_bytes = 1 << 20;
  EXPECT_EQ(error_of("{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}", l),
            "output limit exceeded: the render writes more than 1.0 MiB (macro, call, filter and "
            "set-block output counts each time it is written; FORGATHER_MAX_RENDER_BYTES)");
}

TEST(HostileJinjaLimits, MemoryHeldAcrossALoop) {
  Limits l;
  l.max_render_memory = 16 << 20;
  EXPECT_CONTAINS(error_of("{% set l = [] %}{% for i in range(100) %}"
                           "{% set _ = l.append('x' * 1000000) %}{% endfor %}",
                           l),
                  "render memory limit exceeded: str * int needs 976.6 KiB with 15.");
  // Memory that is let go is free again.
  EXPECT_EQ(render("{% for i in range(100) %}{% set s = 'x' * 1000000 %}{% endfor %}ok", l), "ok");
}

TEST(HostileJinjaLimits, CenterAndFormatWidths) {
  EXPECT_CONTAINS(error_of("{{ 'x'|center(20000000000) }}"),
                  "render memory limit exceeded: str.center/ljust/rjust() needs 18.6 GiB");
  EXPECT_CONTAINS(error_of("{{ '{:>99999999999}'.format(1) }}"),
                  "render memory limit exceeded: a format width");
  EXPECT_EQ(error_of("{{ '{:>99999999999999999999}'.format(1) }}"),
            "Too many decimal digits in format string");
  EXPECT_CONTAINS(error_of("{{ '%99999999999d' % 1 }}"), "render memory limit exceeded");
}

TEST(HostileJinjaLimits, FormatPrecision) {
  EXPECT_CONTAINS(error_of("{{ '%.1000000000f'|format(1.0) }}"),
                  "render memory limit exceeded: a format precision");
  EXPECT_EQ(error_of("{{ '{:.2000000000f}'.format(1.5) }}"), "precision too big");
  EXPECT_EQ(render("{{ '{:.3f}'.format(1.5) }}|{{ '%.600f'|format(1.0)|length }}"), "1.500|602");
}

TEST(HostileJinjaLimits, JoinAndReprOfAliasedHugeStrings) {
  Limits l;
  l.max_render_memory = 16 << 20;
  EXPECT_CONTAINS(error_of("{% set s = 'x' * 4000000 %}{{ ([s] * 100)|join }}", l),
                  "render memory limit exceeded: join()");
  EXPECT_CONTAINS(error_of("{% set s = 'x' * 4000000 %}{{ '-'.join([s] * 100) }}", l),
                  "render memory limit exceeded: str.join() needs 381.5 MiB");
  EXPECT_CONTAINS(error_of("{% set s = 'x' * 4000000 %}{{ [s] * 100 }}", l),
                  "render memory limit exceeded: repr()");
}

TEST(HostileJinjaLimits, AmplifyingStringOperations) {
  EXPECT_CONTAINS(error_of("{{ 'a\nb'|indent(10000000000) }}"),
                  "render memory limit exceeded: indent()");
  EXPECT_CONTAINS(error_of("{{ ('x' * 1000)|replace('x', 'y' * 1000000) }}"),
                  "render memory limit exceeded: str.replace()");
  EXPECT_CONTAINS(error_of("{{ 'x'.zfill(10000000000) }}"), "render memory limit exceeded");
  EXPECT_CONTAINS(error_of("{{ lipsum(1000000000000) }}"),
                  "render memory limit exceeded: lipsum()");
  EXPECT_CONTAINS(error_of("{{ [1]|batch(10000000000, 0)|list }}"),
                  "render memory limit exceeded: batch()");
}

TEST(HostileJinjaLimits, DoublingAStringInALoop) {
  Limits l;
  l.max_render_memory = 16 << 20;
  EXPECT_CONTAINS(error_of("{% set ns = namespace(s='x') %}{% for i in range(64) %}"
                           "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                           l),
                  "render memory limit exceeded: '~'");
  EXPECT_CONTAINS(error_of("{% set ns = namespace(l=[1]) %}{% for i in range(64) %}"
                           "{% set ns.l = ns.l + ns.l %}{% endfor %}",
                           l),
                  "render memory limit exceeded: list + list");
}

TEST(HostileJinjaLimits, FormatSpecRecursion) {
  EXPECT_EQ(error_of("{{ '{:{:{}}}'.format(1, 2, 3) }}"), "Max string recursion exceeded");
  EXPECT_EQ(render("{{ '{:>{}}'.format(1, 3) }}"), "  1");
}

TEST(HostileJinjaLimits, FormatFieldWithoutClosingBracketDoesNotHang) {
  EXPECT_EQ(error_of("{{ '{0[a}'.format({'a': 1}) }}"), "Missing ']' in format string");
  EXPECT_EQ(error_of("{{ '{0[a]x}'.format({'a': 1}) }}"),
            "Only '.' or '[' may follow ']' in format field specifier");
}

TEST(HostileJinjaLimits, FiltersApplyingFiltersAreBounded) {
  const std::string t =
      "{% set ns = namespace(l=1) %}{% for i in range(1500) %}{% set ns.l = [ns.l] %}"
      "{% endfor %}{{ ns.l|map(*(['map'] * 1500))|list }}";
  Limits l;
  l.max_render_depth = 200;
  EXPECT_CONTAINS(error_of(t, l), "the render nests deeper than 200 levels");
  l = Limits{};
  l.max_render_memory = 16 << 20;
  EXPECT_CONTAINS(error_of(t, l), "render memory limit exceeded: map() arguments");
}

TEST(HostileJinjaLimits, QuadraticWorkHitsTheTimeLimit) {
  Limits l;
  l.max_render_seconds = 1;
  l.max_loop_iterations = 1'000'000'000;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of("{% set big = range(100000)|list %}{% for i in range(100000) %}"
                     "{% for j in range(100000) %}{% if j in big %}{% endif %}{% endfor %}"
                     "{% endfor %}",
                     l),
            "render time limit exceeded: the render ran longer than 1 s "
            "(FORGATHER_MAX_RENDER_SECONDS)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(HostileJinjaLimits, LongNeedleSearchesAreLinear) {
  // "aaa...a".count("aa...ab") took O(len * needle) with std::string::find.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(render("{% set hay = 'a' * 4000000 %}{% set needle = 'a' * 200000 ~ 'b' %}"
                   "{{ hay.count(needle) }}|{{ hay.find(needle) }}|{{ needle in hay }}|"
                   "{{ hay.rfind(needle) }}|{{ hay.replace(needle, 'x')|length }}|"
                   "{{ hay.split(needle)|length }}|{{ hay.strip('a' * 100000 ~ 'b')|length }}"),
            "0|-1|False|-1|4000000|1|0");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(render("{% set n = 'x' * 40 %}{{ ('ab' ~ n ~ 'cd' ~ n ~ n)|replace(n, '-') }}|"
                   "{{ ('ab' ~ n ~ 'cd' ~ n)|list|length }}|{{ ('ab' ~ n ~ 'cd').rfind(n) }}|"
                   "{{ ('ab' ~ n ~ 'cd' ~ n).count(n) }}"),
            "ab-cd--|84|2|2");
}

TEST(HostileJinjaLimits, WrongArgumentTypesAreErrorsNotCrashes) {
  EXPECT_EQ(error_of("{{ 'a b'.split(1) }}"), "must be str or None, not int");
  EXPECT_EQ(error_of("{{ 'a b'.strip(1) }}"), "strip arg must be None or str");
  EXPECT_EQ(error_of("{{ 'ab'.center(5, 'xy') }}"),
            "The fill character must be exactly one character long");
  EXPECT_EQ(error_of("{{ [1, 2].insert(1.5, 3) }}"),
            "'float' object cannot be interpreted as an integer");
  EXPECT_EQ(error_of("{{ 'ab'|truncate(-1) }}"), "expected length >= 3, got -1");
}

TEST(HostileJinjaLimits, UnterminatedConstructsAtEndOfTemplate) {
  EXPECT_EQ(error_of("{{ 1 +"), "unexpected 'end of template'");
  EXPECT_CONTAINS(error_of("{% if x %}"), "Unexpected end of template");
  EXPECT_EQ(error_of("{# comment"), "Missing end of comment tag");
  EXPECT_EQ(error_of("{% raw %}x"), "Missing end of raw directive");
  EXPECT_CONTAINS(error_of("{{ 'abc"), "unexpected char '''");
  EXPECT_CONTAINS(error_of("{{ [1, 2"), "unexpected end of template");
  EXPECT_CONTAINS(error_of("{% for x in"), "end of template");
}

TEST(HostileJinjaLimits, BadStringEscapes) {
  EXPECT_EQ(error_of("{{ '\\xZZ' }}"),
            "invalid \\x escape in a string: expected 2 hex digits of a Unicode code point");
  EXPECT_CONTAINS(error_of("{{ '\\U0011FFFF' }}"), "invalid \\U escape");
  EXPECT_CONTAINS(error_of("{{ '\\u12' }}"), "invalid \\u escape");
}

TEST(HostileJinjaLimits, HugeDottedIndex) {
  EXPECT_EQ(error_of("{{ x.99999999999999999999 }}"), "number out of range: 99999999999999999999");
}

TEST(HostileJinjaLimits, LimitsComeFromTheEnvironment) {
  ::setenv("FORGATHER_MAX_TEMPLATE_DEPTH", "4", 1);
  ::setenv("FORGATHER_MAX_LOOP_ITERATIONS", "10", 1);
  const Limits l = Limits::from_env();
  ::unsetenv("FORGATHER_MAX_TEMPLATE_DEPTH");
  ::unsetenv("FORGATHER_MAX_LOOP_ITERATIONS");
  EXPECT_EQ(l.max_template_depth, 4);
  EXPECT_EQ(l.max_loop_iterations, 10);
  EXPECT_EQ(l.max_render_bytes, Limits{}.max_render_bytes);
  EXPECT_CONTAINS(error_of("{% for i in range(11) %}{% endfor %}", l), "more than 10 loop");
}

TEST(HostileJinjaLimits, BadEnvironmentValueIsNamed) {
  for (const char* bad : {"abc", "-5", "0", "1e9", "99999999999999999999"}) {
    ::setenv("FORGATHER_MAX_RENDER_BYTES", bad, 1);
    try {
      Limits::from_env();
      ADD_FAILURE() << bad;
    } catch (const fg::ConfigError& e) {
      EXPECT_CONTAINS(e.what(), "environment variable FORGATHER_MAX_RENDER_BYTES='" +
                                    std::string(bad) + "': expected a positive integer");
    }
  }
  ::unsetenv("FORGATHER_MAX_RENDER_BYTES");
}

TEST(HostileJinjaLimits, DefaultsLeaveRoomForTheExamples) {
  const Limits l;
  EXPECT_EQ(l.max_template_depth, 256);
  EXPECT_EQ(l.max_render_depth, 1000);
  EXPECT_EQ(l.max_render_bytes, int64_t{64} << 20);
  EXPECT_EQ(l.max_loop_iterations, 1'000'000);
  EXPECT_EQ(l.max_render_memory, int64_t{512} << 20);
}

// ---------------------------------------------------------------------------------------------
// Values that contain themselves, or nest very deep.

const char* kSelfList = "{% set a = [1] %}{% set _ = a.append(a) %}";

TEST(HostileJinjaValues, SelfListPrintsAsPython) {
  EXPECT_EQ(render(std::string(kSelfList) + "{{ a }}|{{ a|string }}|{{ [a] }}"),
            "[1, [...]]|[1, [...]]|[[1, [...]]]");
}

TEST(HostileJinjaValues, SelfDictAndNamespacePrintAsPython) {
  EXPECT_EQ(render("{% set d = {} %}{% set _ = d.update(a=d) %}{{ d }}"), "{'a': {...}}");
  EXPECT_EQ(render("{% set d = {} %}{% set _ = d.setdefault('k', [d]) %}{{ d }}"),
            "{'k': [{...}]}");
  EXPECT_EQ(render("{% set ns = namespace() %}{% set ns.x = ns %}{{ ns }}"),
            "<Namespace {'x': <Namespace {...}>}>");
}

TEST(HostileJinjaValues, SelfReferenceThroughATuple) {
  EXPECT_EQ(render("{% set l = [] %}{% set t = (l,) %}{% set _ = l.append(t) %}{{ t }}|{{ l }}"),
            "([(...)],)|[([...],)]");
}

TEST(HostileJinjaValues, DictViewOfASelfDict) {
  EXPECT_EQ(render("{% set d = {} %}{% set _ = d.update(a=d) %}{{ d.items() }}"),
            "dict_items([('a', {'a': {...}})])");
}

TEST(HostileJinjaValues, SelfListComparesAsPython) {
  EXPECT_EQ(render(std::string(kSelfList) + "{{ a == a }}|{{ a in a }}|{{ a != a }}"),
            "True|True|False");
  EXPECT_EQ(error_of(std::string(kSelfList) + "{% set b = [1] %}{% set _ = b.append(b) %}" +
                     "{{ a == b }}"),
            "maximum recursion depth exceeded in comparison: values nest deeper than 1000 levels "
            "(FORGATHER_MAX_RENDER_DEPTH)");
}

TEST(HostileJinjaValues, SelfListSerialisationIsAnError) {
  EXPECT_EQ(error_of(std::string(kSelfList) + "{{ a|tojson }}"), "Circular reference detected");
  EXPECT_EQ(error_of(std::string(kSelfList) + "{{ a|toyaml }}"),
            "toyaml: cannot represent a recursive list (it contains itself)");
  EXPECT_EQ(error_of("{% set d = {} %}{% set _ = d.update(a=d) %}{{ d|tojson }}"),
            "Circular reference detected");
}

TEST(HostileJinjaValues, SelfListPprintAsPython) {
  EXPECT_CONTAINS(render(std::string(kSelfList) + "{{ a|pprint }}"),
                  "[1, <Recursion on list with id=");
}

TEST(HostileJinjaValues, AliasedButNotRecursiveStillPrints) {
  EXPECT_EQ(render("{% set l = [1] %}{{ [l, l] }}|{{ [l, l]|tojson }}|{{ [l, l]|toyaml }}"),
            "[[1], [1]]|[[1], [1]]|[[1], [1]]");
}

TEST(HostileJinjaValues, DeeplyNestedListIsBoundedAndFreed) {
  EXPECT_EQ(render("{% set ns = namespace(l=[]) %}{% for i in range(100000) %}"
                   "{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l|length }}"),
            "1");  // freeing 100,000 nested lists does not recurse
  const std::string build =
      "{% set ns = namespace(l=[]) %}{% for i in range(3000) %}{% set ns.l = [ns.l] %}"
      "{% endfor %}";
  EXPECT_EQ(error_of(build + "{{ ns.l }}"),
            "maximum recursion depth exceeded while getting the repr of an object: values nest "
            "deeper than 1000 levels (FORGATHER_MAX_RENDER_DEPTH)");
  EXPECT_CONTAINS(error_of(build + "{{ ns.l == ns.l[0] }}"),
                  "maximum recursion depth exceeded in comparison");
  EXPECT_CONTAINS(error_of(build + "{{ ns.l|tojson }}"), "maximum recursion depth exceeded");
  EXPECT_CONTAINS(error_of(build + "{{ ns.l|toyaml }}"), "maximum recursion depth exceeded");
}

TEST(HostileJinjaValues, DeepTupleHashIsBounded) {
  EXPECT_CONTAINS(error_of("{% set ns = namespace(t=()) %}{% for i in range(5000) %}"
                           "{% set ns.t = (ns.t,) %}{% endfor %}{{ {ns.t: 1} }}"),
                  "maximum recursion depth exceeded while hashing");
}

TEST(HostileJinjaValues, DeepValueFreedOutsideARender) {
  Value v = Value::list();
  for (int i = 0; i < 200'000; ++i) v = Value::list({v});
  v = Value();  // 200,000 nested lists go without 200,000 nested destructor calls
  SUCCEED();
}

TEST(HostileJinjaValues, CyclesAreBrokenWhenTheRenderEnds) {
  // What break_cycles does for each render: an unreachable self-referential list is cleared.
  Value a = Value::list({Value(1)});
  a.items().push_back(a);
  WeakValue weak(a);
  Value kept = Value::list({Value(2)});
  kept.items().push_back(kept);
  break_cycles({weak, WeakValue(kept)});
  EXPECT_FALSE(weak.expired());  // `a` is still referenced from here
  EXPECT_EQ(a.items().size(), 2u);
  a = Value();
  EXPECT_FALSE(weak.expired());  // only the cycle keeps it now
  break_cycles({weak});
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(kept.repr(), "[2, [...]]");
  kept.items().clear();
}

TEST(HostileJinjaValues, BoundMethodsOutliveTheirObject) {
  EXPECT_EQ(render("{% set n = cycler(1, 2).next %}{{ n() }}{{ n() }}{{ n() }}"), "121");
  EXPECT_EQ(render("{% set f = [1, 2].pop %}{{ f() }}{{ f() }}"), "21");
  EXPECT_EQ(render("{% set l = [] %}{% set f = l.append %}{% set _ = l.append(f) %}"
                   "{{ l|length }}"),
            "1");
}

}  // namespace
}  // namespace fg::config::jinja
