#include "core/csv_reader.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::core {
namespace {

// Counts candidate delimiters outside quotes on the first line and picks the most frequent;
// comma wins ties (and an empty or single-column header).
char detect_delimiter(std::string_view text) {
    int comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        comma += c == ',';
        semicolon += c == ';';
        tab += c == '\t';
    }
    if (semicolon > comma && semicolon >= tab) return ';';
    if (tab > comma && tab > semicolon) return '\t';
    return ',';
}

}  // namespace

CsvReader::CsvReader(std::string text, std::string name)
    : text_(std::move(text)), name_(std::move(name)) {
    start();
}

CsvReader::CsvReader(File file, std::string name, std::size_t window)
    : file_(std::move(file)), eof_(false), window_(std::max<std::size_t>(window, 1)),
      name_(std::move(name)) {
    struct stat st {};
    if (::fstat(::fileno(file_.get()), &st) == 0 && S_ISREG(st.st_mode))
        size_ = static_cast<std::size_t>(st.st_size);
    // The byte-order mark and the delimiter are told from the first line: read that much.
    do refill();
    while (!eof_ && text_.size() < (64 << 10) && text_.find('\n') == std::string::npos);
    start();
}

void CsvReader::start() {
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    // Spreadsheets save "Unicode text" as UTF-16: read as UTF-8 every other byte is a NUL
    // and the header matches nothing, so say what it is instead.
    if (text_.size() >= 2 && (std::memcmp(text_.data(), "\xFF\xFE", 2) == 0 ||
                              std::memcmp(text_.data(), "\xFE\xFF", 2) == 0))
        throw DataError({name_, 1, ""},
                        "UTF-16 text; limes reads UTF-8 CSV (save the file as UTF-8)");
    delim_ = detect_delimiter(std::string_view(text_).substr(pos_));
}

CsvReader CsvReader::from_file(const std::string& path, std::size_t window) {
    File f(std::fopen(path.c_str(), "rb"), &std::fclose);
    // Worded as the other commands word it ("no such file"; otherwise errno in lower case).
    if (!f)
        throw IoError(
            path, errno == ENOENT ? std::string("no such file") : to_lower(std::strerror(errno)));
    return CsvReader(std::move(f), path, window);
}

void CsvReader::refill() {
    if (eof_) return;
    text_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
    const std::size_t kept = text_.size();
    const std::size_t want = std::max(window_, kept);
    text_.resize(kept + want);
    std::size_t got = 0, n;
    while (got < want && (n = std::fread(&text_[kept + got], 1, want - got, file_.get())) > 0)
        got += n;
    text_.resize(kept + got);
    if (std::ferror(file_.get())) throw IoError(name_, "read error");
    if (got < want) eof_ = true;  // fread reads short only at the end (or on an error)
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
    for (;;) {
        // A record the window cuts is read again from its start once the window holds more.
        const std::size_t start = pos_;
        const long start_line = line_;
        switch (parse(fields)) {
            case Step::Record:
                return finish_record(fields);
            case Step::End:
                return false;
            case Step::More:
                pos_ = start;
                line_ = start_line;
                refill();
                break;
        }
    }
}

CsvReader::Step CsvReader::parse(std::vector<std::string_view>& fields) {
    fields.clear();
    unescaped_.clear();
    // Skip blank lines between records.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\n') ++line_;
        ++pos_;
    }
    if (pos_ >= text_.size()) return eof_ ? Step::End : Step::More;
    record_line_ = line_;
    const char* const data = text_.data();
    const std::size_t end = text_.size();
    for (;;) {
        if (pos_ < end && data[pos_] == '"') {
            // Quoted field: runs to the closing quote; "" is a literal quote.
            const std::size_t start = ++pos_;
            const long open_line = line_;
            bool has_escape = false;
            for (;;) {
                const void* q = std::memchr(data + pos_, '"', end - pos_);
                if (!q) {
                    if (!eof_) return Step::More;
                    const std::size_t column = fields.size();
                    std::string field = column < header_.size()
                                            ? header_[column]
                                            : "column " + std::to_string(column + 1);
                    throw DataError({name_, open_line, std::move(field)},
                                    "unterminated quoted field (a \" opened here is never closed)");
                }
                const std::size_t qpos = static_cast<const char*>(q) - data;
                for (std::size_t i = pos_; i < qpos; ++i) line_ += data[i] == '\n';
                pos_ = qpos + 1;
                // A window ending here (a "" pair cut in two?) is caught below: More.
                if (pos_ < end && data[pos_] == '"') {
                    has_escape = true;
                    ++pos_;
                    continue;
                }
                break;
            }
            std::string_view raw(data + start, pos_ - 1 - start);
            if (has_escape) {
                std::string& s = unescaped_.emplace_back();
                s.reserve(raw.size());
                for (std::size_t i = 0; i < raw.size(); ++i) {
                    s += raw[i];
                    if (raw[i] == '"') ++i;  // skip the second quote of a pair
                }
                fields.emplace_back(s);
            } else {
                fields.push_back(raw);
            }
            // Anything between the closing quote and the delimiter is kept out (lenient, as
            // most readers are: `"a" ,b`).
            while (pos_ < end && data[pos_] != delim_ && data[pos_] != '\n' && data[pos_] != '\r')
                ++pos_;
        } else {
            const std::size_t start = pos_;
            while (pos_ < end && data[pos_] != delim_ && data[pos_] != '\n' && data[pos_] != '\r')
                ++pos_;
            fields.emplace_back(data + start, pos_ - start);
        }
        if (pos_ >= end) return eof_ ? Step::Record : Step::More;
        const char c = data[pos_++];
        if (c == delim_) {
            if (pos_ >= end) {
                if (!eof_) return Step::More;
                // Trailing delimiter at end of file: one more empty field.
                fields.emplace_back(data + pos_, 0);  // empty, but never a null pointer (F1)
                return Step::Record;
            }
            continue;
        }
        if (c == '\r' && pos_ >= end && !eof_) return Step::More;  // CR LF cut in two?
        if (c == '\r' && pos_ < end && data[pos_] == '\n') ++pos_;
        ++line_;
        return Step::Record;
    }
}

bool CsvReader::finish_record(const std::vector<std::string_view>& fields) {
    if (!have_header_) {
        header_.assign(fields.begin(), fields.end());
        have_header_ = true;
    }
    return true;
}

}  // namespace limes::core
