#pragma once
// The CSV side of `limes import` (ops/importer.cpp): an ACLED or UCDP GED file read record by
// record, each checked and mapped into an incident or reported as a bad row.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.hpp"
#include "core/error.hpp"
#include "core/incident_rows.hpp"
#include "geo/ops/importer.hpp"

namespace limes::geo {

/** Whether path names a CSV (.csv, .tsv, .txt: read as ACLED or UCDP, not through GDAL). */
bool is_csv_path(const std::string& path);

// An ACLED or UCDP CSV with its header read and mapped; next() then yields its valid rows.
// Bad rows are reported (file, row, field) and counted as skipped on the way.
class CsvRows {
  public:
    CsvRows(const std::string& file, const ImportOptions& opt, ImportReport& report)
        : file_(file), opt_(opt), report_(report), csv_(core::CsvReader::from_file(file)) {
        if (!csv_.next(fields_)) throw core::DataError({file, -1, ""}, "the file is empty");
        header_.assign(fields_.begin(), fields_.end());
        const core::RowFormat format = opt.format == "ucdp" ? core::RowFormat::Ucdp
                                       : opt.format == "acled"
                                           ? core::RowFormat::Acled
                                           : core::detect_row_format(header_, file);
        report.format = format == core::RowFormat::Ucdp ? "UCDP GED CSV" : "ACLED CSV";
        mapper_.emplace(format, header_, file);
        report.ignored_columns = mapper_->ignored_columns();
    }

    /** The next valid row as an incident, and its line; false at the end of the file. */
    bool next(core::Incident& incident, long& row) {
        while (csv_.next(fields_)) {
            ++report_.read;
            row = csv_.line();
            bool ok = false;
            if (fields_.size() != header_.size() && !(fields_.size() == 1 && fields_[0].empty())) {
                // Named after the first column with no value, or the first value with no column.
                const std::string field = fields_.size() < header_.size()
                                              ? header_[fields_.size()]
                                              : "column " + std::to_string(header_.size() + 1);
                report_.diagnostics.add(core::Severity::Skipped, {file_, row, field},
                                        std::to_string(fields_.size()) +
                                            " fields where the header has " +
                                            std::to_string(header_.size()));
                ++report_.skipped;
            } else {
                try {
                    mapper_->map_into(fields_, row, incident);
                    ok = true;
                } catch (const core::DataError& e) {
                    const std::string what = e.what();
                    report_.diagnostics.add(core::Severity::Skipped, e.where(),
                                            what.substr(e.where().describe().size()));
                    ++report_.skipped;
                }
            }
            if (opt_.progress && (report_.read & 0x3FFF) == 0)
                opt_.progress->update(0.8 * double(csv_.position()) / double(csv_.size()),
                                      "reading");
            if (ok) return true;
        }
        return false;
    }

  private:
    const std::string& file_;
    const ImportOptions& opt_;
    ImportReport& report_;
    core::CsvReader csv_;
    std::vector<std::string_view> fields_;
    std::vector<std::string> header_;
    std::optional<core::IncidentRowMapper> mapper_;
};

}  // namespace limes::geo
