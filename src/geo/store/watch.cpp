#include "geo/store/watch.hpp"

#include "core/error.hpp"

namespace limes::geo {

namespace {

std::int64_t data_version_of(SqliteDb& db) {
    auto q = db.prepare("PRAGMA data_version");
    return q.step() ? q.column_int64(0) : 0;
}

}  // namespace

WorkspaceWatch::WorkspaceWatch(const std::string& path)
    : db_(path, SqliteDb::Mode::ReadOnly) {
    // Asked every frame: a writer in the middle of its commit makes this frame say "no news"
    // rather than wait for the lock.
    sqlite3_busy_timeout(db_.handle(), 0);
    version_ = data_version_of(db_);
}

bool WorkspaceWatch::changed() {
    try {
        const std::int64_t now = data_version_of(db_);
        if (now == version_) return false;
        version_ = now;
        return true;
    } catch (const core::Error&) {
        return false;  // busy for longer than the timeout, or gone: asked again next frame
    }
}

}  // namespace limes::geo
