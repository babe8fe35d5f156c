#include "geo/store/watch.hpp"

#include "core/error.hpp"
#include "geo/store/pg_incidents.hpp"
#include "geo/store/pg_schema.hpp"

namespace limes::geo {

namespace {

std::int64_t data_version_of(SqliteDb& db) {
    auto q = db.prepare("PRAGMA data_version");
    return q.step() ? q.column_int64(0) : 0;
}

class GpkgWatch final : public WorkspaceWatch {
  public:
    explicit GpkgWatch(const std::string& path) : db_(path, SqliteDb::Mode::ReadOnly) {
        // Asked every frame: a writer in the middle of its commit makes this frame say "no
        // news" rather than wait for the lock.
        sqlite3_busy_timeout(db_.handle(), 0);
        version_ = data_version_of(db_);
    }
    bool changed() override {
        try {
            const std::int64_t now = data_version_of(db_);
            if (now == version_) return false;
            version_ = now;
            return true;
        } catch (const core::Error&) {
            return false;  // busy for longer than the timeout, or gone: asked again next frame
        }
    }
    // data_version does not say who committed: the call right after this process's own
    // commit takes it (and whatever else landed in that moment) as known.
    void absorb() override { changed(); }

  private:
    SqliteDb db_;
    std::int64_t version_ = 0;
};

class PgWatch final : public WorkspaceWatch {
  public:
    explicit PgWatch(const PgTarget& target) : db_(target) {
        db_.exec("LISTEN " + std::string(kIncidentsChannel), "listen for others' commits");
    }
    bool changed() override {
        PGconn* c = db_.handle();
        if (PQconsumeInput(c) == 0) return false;  // connection lost: no news
        bool news = false;
        while (PGnotify* n = PQnotifies(c)) {
            news |= is_others_commit(n->extra, db_.target().schema);
            PQfreemem(n);
        }
        return news;
    }
    // This process's commits carry its token and are never news: nothing to take.
    void absorb() override {}

  private:
    PgConnection db_;
};

}  // namespace

std::unique_ptr<WorkspaceWatch> watch_gpkg(const std::string& path) {
    return std::make_unique<GpkgWatch>(path);
}

std::unique_ptr<WorkspaceWatch> watch_pg(const PgTarget& target) {
    return std::make_unique<PgWatch>(target);
}

}  // namespace limes::geo
