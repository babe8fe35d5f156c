#include "geo/formats/safe_output.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::geo {

std::string file_name_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

StagingDir::StagingDir(const std::string& output_path) {
    const std::string name = file_name_of(output_path);
    if (name.empty() || name == "." || name == "..")
        throw core::IoError(output_path, "not a file name");
    const std::size_t slash = output_path.rfind('/');
    const std::string parent = slash == std::string::npos ? "." : output_path.substr(0, slash + 1);
    // Keep the template short of NAME_MAX whatever the output's name.
    std::string templ = parent + "." + name.substr(0, 120) + ".limes-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) {
        const int err = errno;
        const std::string folder = slash == std::string::npos ? "." : output_path.substr(0, slash);
        if (err == ENOENT || err == ENOTDIR)
            throw core::IoError(output_path, "the folder " + folder + " does not exist");
        throw core::IoError(output_path, "cannot write in the folder " + folder + " (" +
                                             core::to_lower(std::strerror(err)) + ")");
    }
    dir_ = buf.data();
}

StagingDir::~StagingDir() {
    // Only what the writers left behind (a failed write, a side file nobody wanted): plain
    // entries of a directory nobody else can write to.
    if (DIR* d = ::opendir(dir_.c_str())) {
        while (const dirent* e = ::readdir(d)) {
            const std::string n = e->d_name;
            if (n != "." && n != "..") ::unlink((dir_ + "/" + n).c_str());
        }
        ::closedir(d);
    }
    ::rmdir(dir_.c_str());
}

std::string StagingDir::path(const std::string& name) const {
    return dir_ + "/" + name;
}

bool StagingDir::has(const std::string& name) const {
    struct stat st;
    return ::lstat(path(name).c_str(), &st) == 0;
}

void StagingDir::publish(const std::string& name, const std::string& target) const {
    if (::rename(path(name).c_str(), target.c_str()) != 0)
        throw core::IoError(target, std::string("cannot move the finished file into place: ") +
                                        std::strerror(errno));
}

void StagingDir::publish_new(const std::string& name, const std::string& target) const {
    // link(2) fails with EEXIST whatever is at target (a file, a link, a directory), in one
    // step: no window in which a file made meanwhile is replaced. The staged name goes with
    // the staging directory.
    if (::link(path(name).c_str(), target.c_str()) != 0) {
        if (errno == EEXIST)
            throw core::UsageError(target + " exists: choose a new file name for the copy");
        throw core::IoError(target, std::string("cannot move the finished file into place: ") +
                                        std::strerror(errno));
    }
    ::unlink(path(name).c_str());
}

namespace {

/** fsync of a file or directory by path; throws IoError naming what (the user's path). */
void sync_path(const std::string& path, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!ok)
        throw core::IoError(what, std::string("cannot flush to disk: ") + std::strerror(errno));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& body,
                           bool durable) {
    StagingDir staging(path);
    const std::string name = file_name_of(path);
    {
        std::ofstream file(staging.path(name), std::ios::binary | std::ios::trunc);
        if (!file) throw core::IoError(path, "cannot open for writing");
        body(file);
        file.flush();
        if (!file) throw core::IoError(path, "write failed (disk full?)");
    }
    if (durable) sync_path(staging.path(name), path);
    staging.publish(name, path);
    if (durable) {
        const std::string::size_type slash = path.rfind('/');
        sync_path(slash == std::string::npos ? "."
                  : slash == 0               ? "/"
                                             : path.substr(0, slash),
                  path);
    }
}

}  // namespace limes::geo
