#pragma once
// Errors thrown inside limes. Each carries a kind (which the app maps to an exit code: only
// src/app decides exit codes) and, for bad input data, where it happened: file, row, field.
#include <stdexcept>
#include <string>

namespace limes::core {

/** What went wrong, coarsely: decides the exit code in src/app. */
enum class ErrorKind {
    Usage,     ///< bad command-line arguments (unknown region, empty range, ...)
    Data,      ///< bad input data: a row, feature or field that cannot be used
    Io,        ///< a file that cannot be opened, read or written
    Internal,  ///< a bug or a library failure we did not expect
};

/** Where in an input a problem is. row is 1-based (a CSV line number or an OGR feature
 *  index); -1 when the problem is not tied to one row. field is empty when not tied to one. */
struct Location {
    std::string file;
    long row = -1;
    std::string field;

    /** "file:row: field 'name'" with the parts that are known. */
    std::string describe() const;
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

  private:
    ErrorKind kind_;
};

/** Bad command-line usage (exit code 2). */
class UsageError : public Error {
  public:
    explicit UsageError(const std::string& message) : Error(ErrorKind::Usage, message) {}
};

/** Bad input data (exit code 3). The message is prefixed with the location. */
class DataError : public Error {
  public:
    DataError(Location where, const std::string& message)
        : Error(ErrorKind::Data, where.describe() + message), where_(std::move(where)) {}
    const Location& where() const noexcept { return where_; }

  private:
    Location where_;
};

/** A file that cannot be opened, read or written (exit code 4). */
class IoError : public Error {
  public:
    IoError(const std::string& path, const std::string& message)
        : Error(ErrorKind::Io, path + ": " + message) {}
};

}  // namespace limes::core
