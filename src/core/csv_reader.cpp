#include "core/csv_reader.hpp"

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
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    // Spreadsheets save "Unicode text" as UTF-16: read as UTF-8 every other byte is a NUL
    // and the header matches nothing, so say what it is instead.
    if (text_.size() >= 2 && (std::memcmp(text_.data(), "\xFF\xFE", 2) == 0 ||
                              std::memcmp(text_.data(), "\xFE\xFF", 2) == 0))
        throw DataError({name_, 1, ""},
                        "UTF-16 text; limes reads UTF-8 CSV (save the file as UTF-8)");
    delim_ = detect_delimiter(std::string_view(text_).substr(pos_));
}

CsvReader CsvReader::from_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    // Worded as the other commands word it ("no such file"; otherwise errno in lower case).
    if (!f)
        throw IoError(
            path, errno == ENOENT ? std::string("no such file") : to_lower(std::strerror(errno)));
    std::string text;
    // One read into a string of the file's size (a 400 MB file grown 64 KB at a time is copied
    // several times over); the loop still takes whatever a pipe or a growing file gives.
    long size = 0;
    if (std::fseek(f.get(), 0, SEEK_END) == 0) {
        size = std::ftell(f.get());
        std::rewind(f.get());
    }
    char buf[1 << 16];
    std::size_t n;
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        std::size_t used = 0;
        while (used < text.size() &&
               (n = std::fread(&text[used], 1, text.size() - used, f.get())) > 0)
            used += n;
        text.resize(used);
    }
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, n);
    if (std::ferror(f.get())) throw IoError(path, "read error");
    return CsvReader(std::move(text), path);
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
    fields.clear();
    unescaped_.clear();
    // Skip blank lines between records.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\n') ++line_;
        ++pos_;
    }
    if (pos_ >= text_.size()) return false;
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
        if (pos_ >= end) return finish_record(fields);
        const char c = data[pos_++];
        if (c == delim_) {
            if (pos_ >= end) {  // trailing delimiter at end of file: one more empty field
                fields.emplace_back(data + pos_, 0);  // empty, but never a null pointer (F1)
                return finish_record(fields);
            }
            continue;
        }
        if (c == '\r' && pos_ < end && data[pos_] == '\n') ++pos_;
        ++line_;
        return finish_record(fields);
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
