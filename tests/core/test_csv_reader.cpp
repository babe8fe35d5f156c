// CSV reading: RFC 4180 quoting, line endings, BOM, delimiter detection, line numbers, errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/csv_reader.hpp"
#include "core/error.hpp"
#include "../geo/support.hpp"

using limes::core::CsvReader;
using limes::core::DataError;
using limes::core::IoError;

namespace {

struct Record {
    long line;
    std::vector<std::string> fields;
};

// Reads every record, copying the fields (the reader's views die at the next call).
std::vector<Record> read_all(CsvReader& reader) {
    std::vector<Record> out;
    std::vector<std::string_view> fields;
    while (reader.next(fields)) out.push_back({reader.line(), {fields.begin(), fields.end()}});
    return out;
}

std::vector<Record> read_text(const std::string& text) {
    CsvReader reader(text, "mem.csv");
    return read_all(reader);
}

using Fields = std::vector<std::string>;

// The DataError that reading text (as the file name) raises after its first `good` records,
// which read fine.
DataError unterminated_quote(const std::string& text, const std::string& name, int good) {
    CsvReader reader(text, name);
    std::vector<std::string_view> f;
    for (int i = 0; i < good; ++i) REQUIRE(reader.next(f));
    try {
        reader.next(f);
    } catch (const DataError& e) {
        return e;
    }
    FAIL("no DataError for an unterminated quote");
    throw;  // unreachable
}

}  // namespace

TEST_CASE("CsvReader: plain records", "[csv]") {
    const auto recs = read_text("a,b,c\n1,2,3\n");
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].fields == Fields{"a", "b", "c"});
    CHECK(recs[1].fields == Fields{"1", "2", "3"});
    CHECK(recs[0].line == 1);
    CHECK(recs[1].line == 2);
}

TEST_CASE("CsvReader: quoted fields with delimiters, doubled quotes and newlines", "[csv]") {
    const std::string text =
        "id,notes,n\n"
        "1,\"has, commas\",2\n"
        "2,\"say \"\"hi\"\" twice \"\"x\"\"\",3\n"
        "3,\"line one\nline two\nline three\",4\n"
        "4,\"\",5\n"
        "5,\"\"\"\",6\n";
    const auto recs = read_text(text);
    REQUIRE(recs.size() == 6);
    CHECK(recs[1].fields == Fields{"1", "has, commas", "2"});
    CHECK(recs[2].fields == Fields{"2", "say \"hi\" twice \"x\"", "3"});
    CHECK(recs[3].fields == Fields{"3", "line one\nline two\nline three", "4"});
    CHECK(recs[4].fields == Fields{"4", "", "5"});
    CHECK(recs[5].fields == Fields{"5", "\"", "6"});
    // Line numbers of records after the multi-line field count its embedded newlines.
    CHECK(recs[3].line == 4);
    CHECK(recs[4].line == 7);
    CHECK(recs[5].line == 8);
}

TEST_CASE("CsvReader: several escaped fields in one record stay valid together", "[csv]") {
    CsvReader reader("\"a\"\"1\",\"b\"\"2\",\"c\"\"3\",\"d\"\"4\"\n", "mem.csv");
    std::vector<std::string_view> f;
    REQUIRE(reader.next(f));
    REQUIRE(f.size() == 4);
    CHECK(f[0] == "a\"1");
    CHECK(f[1] == "b\"2");
    CHECK(f[2] == "c\"3");
    CHECK(f[3] == "d\"4");
    CHECK_FALSE(reader.next(f));
}

TEST_CASE("CsvReader: CRLF line endings", "[csv]") {
    const auto recs = read_text("a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n");
    REQUIRE(recs.size() == 3);
    CHECK(recs[0].fields == Fields{"a", "b"});
    CHECK(recs[1].fields == Fields{"1", "x\r\ny"});
    CHECK(recs[2].fields == Fields{"2", "3"});
    CHECK(recs[2].line == 4);
}

TEST_CASE("CsvReader: UTF-8 byte-order mark is skipped", "[csv]") {
    CsvReader reader(
        "\xEF\xBB\xBF"
        "event_date;event_type\n2022-09-13;Battles\n",
        "bom.csv");
    CHECK(reader.delimiter() == ';');
    const auto recs = read_all(reader);
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].fields == Fields{"event_date", "event_type"});
    CHECK(recs[0].line == 1);
}

TEST_CASE("CsvReader: delimiter detection", "[csv]") {
    SECTION("semicolon, with decimal commas in the data") {
        CsvReader reader("a;b;c\n1,5;2,5;x\n", "semi.csv");
        CHECK(reader.delimiter() == ';');
        const auto recs = read_all(reader);
        REQUIRE(recs.size() == 2);
        CHECK(recs[1].fields == Fields{"1,5", "2,5", "x"});
    }
    SECTION("tab") {
        CsvReader reader("a\tb\tc\n1\t2,3\t4\n", "tab.csv");
        CHECK(reader.delimiter() == '\t');
        CHECK(read_all(reader)[1].fields == Fields{"1", "2,3", "4"});
    }
    SECTION("delimiters inside quoted header names do not count") {
        CsvReader reader("\"a;b;c;d\",e,f\n", "q.csv");
        CHECK(reader.delimiter() == ',');
        CHECK(read_all(reader)[0].fields == Fields{"a;b;c;d", "e", "f"});
    }
    SECTION("only the header line is looked at") {
        CsvReader reader("a,b\n1;2;3;4;5\n", "h.csv");
        CHECK(reader.delimiter() == ',');
    }
    SECTION("comma wins ties and single columns") {
        CHECK(CsvReader("a,b;c\n", "t.csv").delimiter() == ',');
        CHECK(CsvReader("single\n", "t.csv").delimiter() == ',');
        CHECK(CsvReader("", "t.csv").delimiter() == ',');
    }
}

TEST_CASE("CsvReader: empty fields, trailing delimiters, missing final newline", "[csv]") {
    CHECK(read_text("a,,c\n")[0].fields == Fields{"a", "", "c"});
    CHECK(read_text(",\n")[0].fields == Fields{"", ""});
    CHECK(read_text("a,b,\n1,2,\n")[1].fields == Fields{"1", "2", ""});
    CHECK(read_text("a,b\n1,")[1].fields == Fields{"1", ""});
    const auto recs = read_text("a,b\n1,2");
    REQUIRE(recs.size() == 2);
    CHECK(recs[1].fields == Fields{"1", "2"});
    CHECK(read_text("").empty());
    // The empty field after a delimiter at the end of the file is an empty view into the text,
    // not a null one (memchr and friends reject null pointers even for size 0: fuzz F1).
    CsvReader reader("a,b\n1,", "p.csv");
    std::vector<std::string_view> f;
    REQUIRE(reader.next(f));
    REQUIRE(reader.next(f));
    REQUIRE(f.size() == 2);
    CHECK(f[1].empty());
    CHECK(f[1].data() != nullptr);
}

TEST_CASE("CsvReader: blank lines are skipped but counted", "[csv]") {
    const auto recs = read_text("a,b\n\n\r\n1,2\n\n3,4\n\n");
    REQUIRE(recs.size() == 3);
    CHECK(recs[1].fields == Fields{"1", "2"});
    CHECK(recs[1].line == 4);
    CHECK(recs[2].line == 6);
}

TEST_CASE("CsvReader: position and size report progress", "[csv]") {
    CsvReader reader("a,b\n1,2\n", "p.csv");
    CHECK(reader.size() == 8);
    CHECK(reader.position() == 0);
    std::vector<std::string_view> f;
    REQUIRE(reader.next(f));
    CHECK(reader.position() == 4);
    REQUIRE(reader.next(f));
    CHECK_FALSE(reader.next(f));
    CHECK(reader.position() == reader.size());
    CHECK(reader.name() == "p.csv");
}

TEST_CASE("CsvReader: unterminated quote names file, line and column", "[csv]") {
    SECTION("in a data row: the header names the column") {
        const DataError e =
            unterminated_quote("id,notes,n\n1,ok,2\n2,\"never\nclosed,3\n", "quote.csv", 2);
        CHECK(e.where().file == "quote.csv");
        CHECK(e.where().row == 3);
        CHECK(e.where().field == "notes");
        CHECK_THAT(e.what(), Catch::Contains("quote.csv:3: field 'notes'") &&
                                 Catch::Contains("unterminated"));
    }
    SECTION("the line is where the quote opens, after a multi-line field") {
        const DataError e = unterminated_quote("a,b,c\n\"x\ny\",\"never closed\n", "quote2.csv", 1);
        CHECK(e.where().row == 3);
        CHECK(e.where().field == "b");
    }
    SECTION("in the header itself: the column number") {
        const DataError e = unterminated_quote("a,\"b\n1,2\n", "head.csv", 0);
        CHECK(e.where().row == 1);
        CHECK(e.where().field == "column 2");
        CHECK_THAT(e.what(), Catch::StartsWith("head.csv:1: field 'column 2': "));
    }
}

TEST_CASE("CsvReader: ACLED 2023 fixture", "[csv][fixture]") {
    auto reader = CsvReader::from_file(std::string(LIMES_TEST_DATA) + "/acled_2023.csv");
    CHECK(reader.delimiter() == ',');
    const auto recs = read_all(reader);
    REQUIRE(recs.size() == 9);  // header + 8 rows
    for (const auto& r : recs) CHECK(r.fields.size() == 31);
    CHECK(recs[0].fields[0] == "event_id_cnty");
    CHECK(recs[0].fields[30] == "timestamp");
    // Row 1 has a notes field spanning two lines, so row 2 starts on line 4.
    CHECK(recs[1].line == 2);
    CHECK(recs[1].fields[27] ==
          "Synthetic test row, with commas, \"doubled quotes\", and\na second line");
    CHECK(recs[1].fields[28] == "3");
    CHECK(recs[2].line == 4);
    CHECK(recs[8].line == 10);
    CHECK(recs[2].fields[21] == "Սինթետիկ Գյուղ");
    CHECK(recs[3].fields[21] == "Yaşıl Dağ Kəndi");
}

TEST_CASE("CsvReader: old ACLED fixture with CRLF", "[csv][fixture]") {
    auto reader = CsvReader::from_file(std::string(LIMES_TEST_DATA) + "/acled_old.csv");
    const auto recs = read_all(reader);
    REQUIRE(recs.size() == 5);
    for (const auto& r : recs) {
        CHECK(r.fields.size() == 31);
        CHECK(r.fields.back().find('\r') == std::string::npos);
    }
    CHECK(recs[0].fields.back() == "iso3");
    CHECK(recs[1].fields[4] == "13 September 2022");
    CHECK(recs[4].line == 5);
}

TEST_CASE("CsvReader: a missing file is an IoError naming it", "[csv]") {
    const std::string path = std::string(LIMES_TEST_DATA) + "/no_such_file.csv";
    try {
        CsvReader::from_file(path);
        FAIL("no IoError for a missing file");
    } catch (const IoError& e) {
        CHECK(e.kind() == limes::core::ErrorKind::Io);
        CHECK_THAT(e.what(), Catch::StartsWith(path + ": "));
    }
}

TEST_CASE("CsvReader: a file read through a small window gives what the whole text gives",
          "[csv]") {
    // Every kind of cut the window can make: inside a quoted field, between the quotes of a
    // "" pair, right after a closing quote, between CR and LF, right after a delimiter, a
    // record longer than the window, blank lines, a trailing delimiter at the end.
    const std::string text =
        "\xEF\xBB\xBF" "id;note;n\r\n"
        "1;\"semi; colon\";2\r\n"
        "\r\n"
        "2;\"a \"\"quoted\"\" word\nover two lines\";3\r\n"
        "3;plain;\r\n"
        "4;\"" + std::string(300, 'x') + "\";5\n"
        "\n\n"
        "5;\"\";6;";
    const std::string path = limes_test::scratch("window_cut", ".csv");
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        REQUIRE(std::fwrite(text.data(), 1, text.size(), f) == text.size());
        std::fclose(f);
    }
    const std::vector<Record> whole = read_text(text);
    REQUIRE(whole.size() == 6);
    CHECK(whole[4].fields[1].size() == 300);
    CHECK(whole[5].fields == Fields{"5", "", "6", ""});
    for (std::size_t window : {1, 2, 3, 5, 7, 16, 33, 64, 301, 4096}) {
        CAPTURE(window);
        auto reader = CsvReader::from_file(path, window);
        CHECK(reader.delimiter() == ';');
        const std::vector<Record> cut = read_all(reader);
        REQUIRE(cut.size() == whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
            CHECK(cut[i].line == whole[i].line);
            CHECK(cut[i].fields == whole[i].fields);
        }
        CHECK(reader.position() == text.size());
        CHECK(reader.size() == text.size());
    }
}

TEST_CASE("CsvReader: an unterminated quote in a file read in pieces names where it opens",
          "[csv]") {
    const std::string path = limes_test::scratch("window_unterminated", ".csv");
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        const std::string text = "a,b\n1,2\n3,\"never closed\n" + std::string(100, 'z') + "\n";
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
    }
    auto reader = CsvReader::from_file(path, 8);
    std::vector<std::string_view> fields;
    REQUIRE(reader.next(fields));
    REQUIRE(reader.next(fields));
    try {
        reader.next(fields);
        FAIL("no error");
    } catch (const DataError& e) {
        CHECK(e.where().row == 3);
        CHECK(e.where().field == "b");
    }
}
