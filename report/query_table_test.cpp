#include "report/query_table.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace rlvr::report {
namespace {

TEST(Csv, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
}

Table sample() {
  Table t;
  t.columns = {"cell", "seed", "acc", "note"};
  t.rows.push_back({std::string("m/gt"), int64_t{1}, 0.1 + 0.2, std::monostate{}});
  t.rows.push_back({std::string("m/r,x"), int64_t{12}, 0.5, std::string("said \"no\"")});
  return t;
}

TEST(Csv, RendersHeaderNullsAndRoundTripDoubles) {
  EXPECT_EQ(table_render(sample(), Format::csv),
            "cell,seed,acc,note\n"
            "m/gt,1,0.30000000000000004,\n"
            "\"m/r,x\",12,0.5,\"said \"\"no\"\"\"\n");
}

TEST(Json, TypedValues) {
  auto j = nlohmann::json::parse(table_render(sample(), Format::json));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["cell"], "m/gt");
  EXPECT_EQ(j[0]["seed"], 1);
  EXPECT_DOUBLE_EQ(j[0]["acc"].get<double>(), 0.1 + 0.2);
  EXPECT_TRUE(j[0]["note"].is_null());
  EXPECT_EQ(j[1]["note"], "said \"no\"");
}

TEST(Json, NanIsNullAndEmptyTableIsEmptyArray) {
  Table t;
  t.columns = {"v"};
  t.rows.push_back({std::nan("")});
  EXPECT_TRUE(nlohmann::json::parse(table_render(t, Format::json))[0]["v"].is_null());
  t.rows.clear();
  EXPECT_EQ(nlohmann::json::parse(table_render(t, Format::json)), nlohmann::json::array());
}

TEST(TextTable, AlignsColumnsAndCountsRows) {
  std::string s = table_render(sample(), Format::table);
  EXPECT_EQ(s,
            "cell   seed  acc  note\n"
            "-----  ----  ---  ---------\n"
            "m/gt      1  0.3  NULL\n"
            "m/r,x    12  0.5  said \"no\"\n"
            "(2 rows)\n");
}

TEST(Format, ParseRejectsUnknown) {
  EXPECT_EQ(format_parse("--format", "csv"), Format::csv);
  try {
    format_parse("--format", "xml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--format: expected 'table', 'csv' or 'json', got 'xml'");
  }
}

}  // namespace
}  // namespace rlvr::report
