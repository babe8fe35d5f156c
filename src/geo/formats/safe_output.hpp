#pragma once
// Writing output files (exports, briefing images and their side files) so that a file lands
// exactly at the path the user named and nowhere else:
// - everything is first written inside a fresh private directory (mkdtemp, mode 0700) beside
//   the output, so no name that is written to can have been prepared by someone else (a
//   symlink at "out.geojson.tmp" or at a side file's name would otherwise be followed);
// - each finished file is then renamed onto its final name. rename(2) replaces whatever entry
//   is there, a symlink included, without following it: a link planted at the output path,
//   or at out.pgw / out.png.aux.xml, is replaced by the file and its target is left untouched;
// - a crash or a full disk leaves the previous file in place (at most a stale .NAME.limes-*
//   directory beside it).
// No output path ever comes from the content of an input: callers pass the user's path.
#include <functional>
#include <ostream>
#include <string>

namespace limes::geo {

/** A private directory beside an output path, removed with whatever is left in it. */
class StagingDir {
  public:
    /** Creates ".<name>.limes-XXXXXX" in output_path's directory; throws IoError naming
     *  output_path when it cannot (no such directory, no permission). */
    explicit StagingDir(const std::string& output_path);
    ~StagingDir();
    StagingDir(const StagingDir&) = delete;
    StagingDir& operator=(const StagingDir&) = delete;

    /** The path of name inside the staging directory (name: a bare file name). */
    std::string path(const std::string& name) const;
    /** Whether name exists inside the staging directory. */
    bool has(const std::string& name) const;
    /** Moves name from the staging directory onto target, replacing (never following) what is
     *  there. Throws IoError naming target, e.g. when target is a directory. */
    void publish(const std::string& name, const std::string& target) const;
    /** As publish, but only when nothing is at target (a copy that must not replace a file
     *  made while it was written): UsageError "TARGET exists" otherwise, nothing replaced. */
    void publish_new(const std::string& name, const std::string& target) const;

  private:
    std::string dir_;
};

/** The last component of path ("out.geojson" of "a/b/out.geojson"). */
std::string file_name_of(const std::string& path);

/** Writes the file at path through body, as StagingDir describes; throws IoError naming path
 *  when it cannot be written or moved into place. durable: the data reaches the disk (fsync)
 *  before the rename, and the rename before the return (fsync of the directory), so a power
 *  cut leaves the old file or the new one, never an empty one (the window's autosave). */
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& body,
                           bool durable = false);

}  // namespace limes::geo
