#pragma once
// RFC 4180 CSV reading for ACLED and UCDP exports: quoted fields with commas, doubled quotes
// and newlines; CRLF or LF; a UTF-8 byte-order mark is skipped; the delimiter (comma,
// semicolon or tab) is detected from the header line. The whole file is held in memory and
// fields are views into it, so a 1M-row file is read without a copy per field.
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace limes::core {

class CsvReader {
  public:
    /** Reads from text already in memory; name is used in error messages. Throws DataError
     *  for UTF-16 text (a byte-order mark FF FE or FE FF). */
    CsvReader(std::string text, std::string name);
    /** Reads a whole file; throws IoError naming it when it cannot be read. */
    static CsvReader from_file(const std::string& path);

    /** Reads the next record into fields (views valid until the next call). Returns false
     *  at the end. Throws DataError on an unterminated quoted field, naming the file, the line
     *  where the quote opens and the column (its name in the first record, the header, or
     *  "column N" while reading the header itself). */
    bool next(std::vector<std::string_view>& fields);

    /** 1-based line number where the last record returned by next() starts. */
    long line() const { return record_line_; }
    char delimiter() const { return delim_; }
    const std::string& name() const { return name_; }
    /** Bytes consumed so far and in total, for progress reports. */
    std::size_t position() const { return pos_; }
    std::size_t size() const { return text_.size(); }

  private:
    bool finish_record(const std::vector<std::string_view>& fields);

    std::string text_;
    std::string name_;
    std::size_t pos_ = 0;
    long line_ = 1;
    long record_line_ = 0;
    char delim_ = ',';
    std::deque<std::string> unescaped_;  // fields that contained "" (deque: views stay valid)
    std::vector<std::string> header_;    // the first record, to name columns in errors
    bool have_header_ = false;
};

}  // namespace limes::core
