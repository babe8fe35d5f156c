#pragma once
// RFC 4180 CSV reading for ACLED and UCDP exports: quoted fields with commas, doubled quotes
// and newlines; CRLF or LF; a UTF-8 byte-order mark is skipped; the delimiter (comma,
// semicolon or tab) is detected from the header line. A file is read through a window of a
// few MiB (grown only for a record longer than that), so a 4 GB file costs no more memory than
// a small one; fields are views into the window, so no field is copied.
#include <cstdio>
#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace limes::core {

class CsvReader {
  public:
    /** Reads from text already in memory; name is used in error messages. Throws DataError
     *  for UTF-16 text (a byte-order mark FF FE or FE FF). */
    CsvReader(std::string text, std::string name);
    /** 4 MiB a read: large enough that the copy of a record cut at the window's end is rare
     *  and small. A record longer than the window doubles it. */
    static constexpr std::size_t kWindowBytes = 4 << 20;
    /** Reads a file as next() asks for it, window bytes at a time; throws IoError naming it
     *  when it cannot be read. */
    static CsvReader from_file(const std::string& path, std::size_t window = kWindowBytes);

    /** Reads the next record into fields (views valid until the next call). Returns false
     *  at the end. Throws DataError on an unterminated quoted field, naming the file, the line
     *  where the quote opens and the column (its name in the first record, the header, or
     *  "column N" while reading the header itself). */
    bool next(std::vector<std::string_view>& fields);

    /** 1-based line number where the last record returned by next() starts. */
    long line() const { return record_line_; }
    char delimiter() const { return delim_; }
    const std::string& name() const { return name_; }
    /** Bytes consumed so far and in total (the file's size when it was opened; for a pipe,
     *  what has been read so far), for progress reports. */
    std::size_t position() const { return base_ + pos_; }
    std::size_t size() const { return std::max(size_, base_ + text_.size()); }

  private:
    using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;
    enum class Step { Record, End, More };  // More: the window ends before the record does

    CsvReader(File file, std::string name, std::size_t window);
    void start();  // BOM, UTF-16 and delimiter, once the first bytes are in the window
    Step parse(std::vector<std::string_view>& fields);
    /** Drops the window's bytes before pos_ and reads more after it; at the end of the file
     *  sets eof_. */
    void refill();
    bool finish_record(const std::vector<std::string_view>& fields);

    std::string text_;  // the window: bytes base_ .. base_ + size of the input
    File file_{nullptr, &std::fclose};
    bool eof_ = true;         // nothing more to read than what text_ holds
    std::size_t window_ = kWindowBytes;
    std::size_t base_ = 0;    // offset in the input of text_[0]
    std::size_t size_ = 0;    // the input's size, when known
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
