// The import progress bar (README: "a progress bar appears on stderr for imports that take
// over a second (only on a terminal)"). End to end: the real binary under a pseudo-terminal
// (`script` from util-linux) on a generated GeoJSON big enough to take over a second, and the
// same import with stderr a file; and app::TerminalProgress itself with file descriptor 2 on
// a pseudo-terminal, for the one-second threshold and the drawing.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "../geo/support.hpp"
#include "app/progress.hpp"

using limes_test::read_all;
using limes_test::scratch;

namespace {

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

// n synthetic incidents as GeoJSON, one feature a line.
void write_incidents_geojson(const std::string& path, int n) {
    std::ofstream out(path, std::ios::binary);
    out << "{\"type\":\"FeatureCollection\",\"features\":[\n";
    char buf[320];
    for (int i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf,
                      "{\"type\":\"Feature\",\"properties\":{\"event_id_cnty\":\"SYN-P%07d\","
                      "\"event_date\":\"2022-09-13\",\"event_type\":\"Battles\"},\"geometry\":"
                      "{\"type\":\"Point\",\"coordinates\":[%.4f,%.4f]}}%s\n",
                      i, 45.0 + (i / 1000) * 0.002, 39.0 + (i % 1000) * 0.001,
                      i + 1 < n ? "," : "");
        out << buf;
    }
    out << "]}\n";
}

int exit_status(int s) {
    return WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
}

// Runs cmd through the shell; seconds it took.
double timed_system(const std::string& cmd, int& status) {
    const auto t0 = std::chrono::steady_clock::now();
    status = exit_status(std::system(cmd.c_str()));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The bars drawn: "\r[###   ] NN% message\x1b[K" each.
struct Bars {
    int count = 0;
    int first = -1, last = -1;
    bool increasing = true;
};

Bars parse_bars(const std::string& text) {
    Bars b;
    static const std::regex bar("\r\\[(#*) *\\] (\\d+)% [a-z ]+\x1b\\[K");
    int previous = -1;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), bar);
         it != std::sregex_iterator(); ++it) {
        const int percent = std::stoi((*it)[2]);
        // 40 characters wide, filled in proportion.
        CHECK(static_cast<int>((*it)[1].length()) == percent * 40 / 100);
        if (b.count == 0) b.first = percent;
        if (percent <= previous) b.increasing = false;
        previous = b.last = percent;
        ++b.count;
    }
    return b;
}

// Makes file descriptor 2 the slave of a new pseudo-terminal while alive; restores it after.
class StderrOnPty {
  public:
    StderrOnPty() {
        master_ = posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master_ >= 0);
        REQUIRE(grantpt(master_) == 0);
        REQUIRE(unlockpt(master_) == 0);
        const int slave = open(ptsname(master_), O_RDWR | O_NOCTTY);
        REQUIRE(slave >= 0);
        saved_ = dup(STDERR_FILENO);
        REQUIRE(saved_ >= 0);
        REQUIRE(dup2(slave, STDERR_FILENO) == STDERR_FILENO);
        close(slave);
    }
    ~StderrOnPty() {
        dup2(saved_, STDERR_FILENO);
        close(saved_);
        close(master_);
    }

  private:
    int master_ = -1, saved_ = -1;
};

}  // namespace

TEST_CASE("import progress: a bar on a terminal for an import over a second, none in a file",
          "[import][progress]") {
    const std::string bin = LIMES_BINARY;
    REQUIRE(std::system("command -v script >/dev/null 2>&1") == 0);  // util-linux
    const std::string src = scratch("progress-src", ".geojson");

    // Without a terminal (stderr a file): sized until the import takes over 1.5 s here, so
    // that the bar's one-second threshold is passed whatever the machine's speed. A small
    // first import measures the rate; the next is sized from it for about 2.5 s (the
    // sanitizer build imports several times slower than the Release one: a fixed start and
    // doubling made this test 23 s there).
    double plain_seconds = 0;
    int n = 20000;
    std::string err_file, out_file;
    for (;;
         n = std::min(1600000,
                      std::max(2 * n, static_cast<int>(n * 2.5 / std::max(plain_seconds, 0.01))))) {
        write_incidents_geojson(src, n);
        const std::string ws = scratch("progress-plain");
        err_file = scratch("progress-plain", ".stderr");
        out_file = scratch("progress-plain", ".stdout");
        int status = -1;
        plain_seconds = timed_system(quote(bin) + " import " + quote(ws) + " " + quote(src) + " >" +
                                         quote(out_file) + " 2>" + quote(err_file) + " </dev/null",
                                     status);
        REQUIRE(status == 0);
        std::remove(ws.c_str());
        if (plain_seconds > 1.5 || n >= 1600000) break;
    }
    INFO(n << " features, " << plain_seconds << " s without a terminal");
    REQUIRE(plain_seconds > 1.5);
    CHECK_THAT(read_all(out_file),
               Catch::Contains("imported " + std::to_string(n) + " of " + std::to_string(n)));
    const std::string plain_err = read_all(err_file);
    CHECK(plain_err.find('\r') == std::string::npos);
    CHECK(plain_err.find("\x1b[K") == std::string::npos);
    CHECK(parse_bars(plain_err).count == 0);

    // The same import with stderr a pseudo-terminal; stdout to a file, so what script records
    // is stderr alone.
    const std::string ws = scratch("progress-tty");
    const std::string tty_file = scratch("progress-tty", ".tty");
    const std::string tty_out = scratch("progress-tty", ".stdout");
    const std::string inner =
        "exec " + quote(bin) + " import " + quote(ws) + " " + quote(src) + " >" + quote(tty_out);
    int status = -1;
    const double tty_seconds = timed_system(
        "script -qec " + quote(inner) + " /dev/null >" + quote(tty_file) + " </dev/null", status);
    INFO(tty_seconds << " s on a terminal");
    REQUIRE(status == 0);
    CHECK_THAT(read_all(tty_out),
               Catch::Contains("imported " + std::to_string(n) + " of " + std::to_string(n)));
    const std::string tty = read_all(tty_file);
    INFO("stderr on the terminal: " << tty.substr(0, 600));
    const Bars bars = parse_bars(tty);
    CHECK(bars.count >= 1);
    CHECK(bars.increasing);
    CHECK(bars.last == 100);  // it ends full
    CHECK(bars.first > 0);    // nothing is drawn for the first second, so not 0 %
    // The bar is closed with a newline once the import is over.
    CHECK(tty.size() >= 2);
    CHECK(tty.find('\n', tty.rfind("\x1b[K")) != std::string::npos);
    std::remove(ws.c_str());

    // A small import on a terminal finishes within the second: no bar.
    const std::string small_ws = scratch("progress-small");
    const std::string small_tty = scratch("progress-small", ".tty");
    const std::string small_inner = "exec " + quote(bin) + " import " + quote(small_ws) + " " +
                                    quote(limes_test::data("acled_2023.csv")) + " >/dev/null";
    timed_system(
        "script -qec " + quote(small_inner) + " /dev/null >" + quote(small_tty) + " </dev/null",
        status);
    REQUIRE(status == 0);
    const std::string small = read_all(small_tty);
    CHECK(small.find("\r[") == std::string::npos);
    CHECK(parse_bars(small).count == 0);
    limes_test::remove_files({small_ws, src});
}

TEST_CASE("TerminalProgress: draws only on a terminal and only after a second", "[progress]") {
    std::ostringstream on_tty, in_file;
    std::unique_ptr<limes::app::TerminalProgress> tty, file;
    {
        StderrOnPty pty;  // the terminal test looks at file descriptor 2 when constructed
        tty = std::make_unique<limes::app::TerminalProgress>(on_tty);
    }
    const std::string path = scratch("progress-fd2", ".txt");
    {
        const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        const int saved = dup(STDERR_FILENO);
        dup2(fd, STDERR_FILENO);
        file = std::make_unique<limes::app::TerminalProgress>(in_file);
        dup2(saved, STDERR_FILENO);
        close(saved);
        close(fd);
    }
    tty->update(0.5, "reading");
    file->update(0.5, "reading");
    CHECK(on_tty.str().empty());  // within the first second: nothing yet
    std::this_thread::sleep_for(std::chrono::milliseconds(1050));
    tty->update(0.5, "reading");
    file->update(0.5, "reading");
    CHECK(on_tty.str() ==
          "\r[" + std::string(20, '#') + std::string(20, ' ') + "] 50% reading\x1b[K");
    tty->update(0.501, "reading");  // still 50 %: not drawn again
    CHECK(parse_bars(on_tty.str()).count == 1);
    tty->update(1.0, "writing incidents");
    const Bars bars = parse_bars(on_tty.str());
    CHECK(bars.count == 2);
    CHECK(bars.last == 100);
    tty.reset();
    file.reset();
    CHECK(on_tty.str().back() == '\n');  // the line is ended when the work is
    CHECK(in_file.str().empty());        // never anything when stderr is not a terminal
    std::remove(path.c_str());
}
