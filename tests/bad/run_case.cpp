// Runs one case of tests/bad/cases.tsv (tests/bad/README.md) through the real binary:
//   run_case LIMES BAD_DIR GEN_DIR WORK_DIR CASE
// 1. copies GEN_DIR/base.gpkg (the small workspace) to WORK_DIR/CASE/ws.gpkg;
// 2. runs `LIMES import WS INPUT ARGS...` with a time limit (a hang fails the case);
// 3. checks that the process exited (no signal) with exactly the expected code, and that its
//    messages (stderr, then stdout) match the case's regular expression, in which @FILE@
//    stands for the input path;
// 4. when the expected code is not 0: the workspace is byte-for-byte what it was, and
//    nothing else was left beside it (no -journal, -wal, staging files);
// 5. when the case has a sixth column (the repairs): the rows the import added, read back from
//    the workspace through GDAL/OGR, hold the values that column names (check_stored_rows).
// Exit status 0 when the case passes; otherwise 1 and what differed on stderr.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../support/files.hpp"

namespace {

using limes_test::read_all;
using limes_test::split;

constexpr int kTimeLimitSeconds = 90;

struct Case {
    std::string name, input, args, regex;
    std::string readback;  // the sixth column; empty when the case has none
    int exit_code = 0;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

std::string regex_escape(const std::string& s) {
    static const std::string special = R"(\^$.|?*+()[]{}/)";
    std::string out;
    for (char c : s) {
        if (special.find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

bool find_case(const std::string& manifest, const std::string& name, Case& c) {
    std::istringstream in(read_all(manifest));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto f = split(line, '\t');
        if (f.size() != 5 && f.size() != 6) continue;
        if (f[0] != name) continue;
        c.name = f[0];
        c.input = f[1];
        c.args = f[2] == "-" ? "" : f[2];
        c.exit_code = std::atoi(f[3].c_str());
        c.regex = f[4];
        if (f.size() == 6 && f[5] != "-") c.readback = f[5];
        return true;
    }
    return false;
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = opendir(dir.c_str())) {
        while (const dirent* e = readdir(d))
            if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, ".."))
                out.push_back(e->d_name);
        closedir(d);
    }
    return out;
}

void remove_tree(const std::string& dir) {
    for (const auto& e : entries(dir)) {
        const std::string p = dir + "/" + e;
        struct stat st;
        if (lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p.c_str());
    }
    rmdir(dir.c_str());
}

bool copy_file(const std::string& from, const std::string& to) {
    const std::string bytes = read_all(from);
    if (bytes.empty()) return false;
    std::ofstream f(to, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(f);
}

struct Run {
    bool timed_out = false;
    bool signalled = false;
    int code = -1;
    int signal = 0;
};

Run run(const std::vector<std::string>& argv, const std::string& out_path,
        const std::string& err_path, const std::string& cwd) {
    Run r;
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("fork");
        std::exit(1);
    }
    if (pid == 0) {
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        if (chdir(cwd.c_str()) != 0) _exit(126);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(kTimeLimitSeconds);
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            r.timed_out = true;
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (WIFSIGNALED(status)) {
        r.signalled = true;
        r.signal = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        r.code = WEXITSTATUS(status);
    }
    return r;
}

// ---- Reading back what a repair stored (the sixth column of cases.tsv) ----------------------
// The column lists checks separated by "; ", the first naming the layer:
//   layer=incidents; rows=1; event_id_cnty=SYN-B001; x=46.34; y=39.51; notes=Synthetic test row
// Each check applies to every row the import added to that layer (the fids that were not in
// the workspace before), in fid order; a value "a|b|c" gives one value per row instead.
//   rows=N          how many rows were added
//   x=, y=          the point's longitude, latitude (degrees, within 1e-9)
//   dim=N           the geometry's coordinate dimension (2: a Z was dropped)
//   valid=1         OGR (GEOS) says the geometry is valid
//   area=A          planar area in square degrees (within 1e-9); area>=A a lower bound
//   parts=N         number of polygons; holes=N interior rings in all
//   closed=1        every ring ends where it starts
//   covers=W,S,E,N  the geometry covers that lon/lat box
//   FIELD=VALUE     the attribute as text (dates as YYYY-MM-DD, NULL as empty)

std::set<GIntBig> fids_of(const std::string& ws, const std::string& layer_name) {
    std::set<GIntBig> out;
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return out;
    if (OGRLayer* layer = ds->GetLayerByName(layer_name.c_str()))
        for (auto& f : *layer) out.insert(f->GetFID());
    return out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string field_text(const OGRFeature& f, int i) {
    if (!f.IsFieldSetAndNotNull(i)) return {};
    if (f.GetFieldDefnRef(i)->GetType() == OFTDate) {
        int y = 0, m = 0, d = 0, hh, mm, tz;
        float ss;
        f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    return f.GetFieldAsString(i);
}

struct Shape {
    int parts = 0, holes = 0;
    bool closed = true;
};

Shape shape_of(const OGRGeometry& g) {
    Shape s;
    auto polygon = [&](const OGRPolygon& p) {
        ++s.parts;
        s.holes += p.getNumInteriorRings();
        for (const OGRLinearRing* r : p) s.closed &= r->get_IsClosed() != 0;
    };
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon)
        polygon(*g.toPolygon());
    else if (t == wkbMultiPolygon)
        for (const OGRPolygon* p : *g.toMultiPolygon()) polygon(*p);
    return s;
}

double planar_area(const OGRGeometry& g) {
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon) return g.toPolygon()->get_Area();
    if (t == wkbMultiPolygon) return g.toMultiPolygon()->get_Area();
    return 0;
}

// The problems found, one a line; empty when every check holds.
std::vector<std::string> check_stored_rows(const std::string& ws, const std::string& spec,
                                           const std::set<GIntBig>& before) {
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::string>> checks;  // key (with >= when so), value
    std::string layer_name;
    for (const std::string& item : [&] {
             std::vector<std::string> items;
             std::size_t at = 0;
             for (std::size_t next; (next = spec.find("; ", at)) != std::string::npos;
                  at = next + 2)
                 items.push_back(spec.substr(at, next - at));
             items.push_back(spec.substr(at));
             return items;
         }()) {
        const std::string t = trim(item);
        if (t.empty()) continue;
        const auto eq = t.find('=');
        if (eq == std::string::npos || eq == 0) {
            problems.push_back("bad check in cases.tsv: '" + t + "'");
            continue;
        }
        const bool at_least = t[eq - 1] == '>';
        std::string key = t.substr(0, at_least ? eq - 1 : eq);
        if (at_least) key += ">=";
        if (key == "layer")
            layer_name = t.substr(eq + 1);
        else
            checks.emplace_back(key, t.substr(eq + 1));
    }
    if (layer_name.empty()) problems.push_back("the sixth column names no layer= first");
    if (!problems.empty()) return problems;

    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return {"cannot open the workspace " + ws + " to read it back"};
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    if (!layer) return {"no layer " + layer_name + " in the workspace"};
    std::vector<OGRFeatureUniquePtr> added;
    for (auto& f : *layer)
        if (!before.count(f->GetFID())) added.emplace_back(f.release());
    std::sort(added.begin(), added.end(),
              [](const OGRFeatureUniquePtr& a, const OGRFeatureUniquePtr& b) {
                  return a->GetFID() < b->GetFID();
              });

    for (const auto& check : checks) {
        // Not a structured binding: a lambda below uses key (C++17 cannot capture one).
        const std::string& key = check.first;
        const std::string& value = check.second;
        if (key == "rows") {
            if (std::to_string(added.size()) != value)
                problems.push_back(layer_name + ": " + std::to_string(added.size()) +
                                   " row(s) added, expected " + value);
            continue;
        }
        const std::vector<std::string> per_row = split(value, '|');
        if (added.empty())
            problems.push_back(key + "=" + value + ": no row was added to " + layer_name);
        if (per_row.size() > 1 && per_row.size() != added.size()) {
            problems.push_back(key + "=" + value + ": " + std::to_string(per_row.size()) +
                               " values for " + std::to_string(added.size()) + " rows");
            continue;
        }
        for (std::size_t i = 0; i < added.size(); ++i) {
            const OGRFeature& f = *added[i];
            const std::string want = per_row.size() > 1 ? per_row[i] : value;
            const std::string row = layer_name + " fid " + std::to_string(f.GetFID()) + ": ";
            const OGRGeometry* g = f.GetGeometryRef();
            auto number = [&](double got, double tolerance = 1e-9) {
                const double w = std::atof(want.c_str());
                const bool ok = key.size() > 2 && key.compare(key.size() - 2, 2, ">=") == 0
                                    ? got >= w - tolerance
                                    : std::fabs(got - w) <= tolerance;
                if (!ok) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.12g", got);
                    problems.push_back(row + key + " is " + buf + ", expected " +
                                       (key.find(">=") != std::string::npos ? "" : "=") + want);
                }
            };
            const bool geometric = key == "x" || key == "y" || key == "dim" || key == "valid" ||
                                   key == "area" || key == "area>=" || key == "parts" ||
                                   key == "holes" || key == "closed" || key == "covers";
            if (geometric && !g) {
                problems.push_back(row + key + ": the row has no geometry");
                continue;
            }
            if (key == "x" || key == "y") {
                if (wkbFlatten(g->getGeometryType()) != wkbPoint) {
                    problems.push_back(row + "a " + g->getGeometryName() + ", not a point");
                    continue;
                }
                number(key == "x" ? g->toPoint()->getX() : g->toPoint()->getY());
            } else if (key == "dim") {
                number(g->CoordinateDimension(), 0);
            } else if (key == "valid") {
                number(g->IsValid() ? 1 : 0, 0);
            } else if (key == "area" || key == "area>=") {
                number(planar_area(*g));
            } else if (key == "parts") {
                number(shape_of(*g).parts, 0);
            } else if (key == "holes") {
                number(shape_of(*g).holes, 0);
            } else if (key == "closed") {
                number(shape_of(*g).closed ? 1 : 0, 0);
            } else if (key == "covers") {
                double w = 0, s = 0, e = 0, n = 0;
                if (std::sscanf(want.c_str(), "%lf,%lf,%lf,%lf", &w, &s, &e, &n) != 4) {
                    problems.push_back("bad covers= in cases.tsv: " + want);
                    continue;
                }
                OGRLinearRing ring;
                ring.addPoint(w, s);
                ring.addPoint(e, s);
                ring.addPoint(e, n);
                ring.addPoint(w, n);
                ring.addPoint(w, s);
                OGRPolygon box;
                box.addRing(&ring);
                if (!g->Contains(&box)) problems.push_back(row + "does not cover the box " + want);
            } else {
                const int k = f.GetFieldIndex(key.c_str());
                if (k < 0) {
                    problems.push_back(row + "no column '" + key + "'");
                    continue;
                }
                const std::string got = field_text(f, k);
                if (got != want)
                    problems.push_back(row + key + " is '" + got + "', expected '" + want + "'");
            }
        }
    }
    return problems;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: run_case LIMES BAD_DIR GEN_DIR WORK_DIR CASE\n";
        return 2;
    }
    // Absolute paths: the command runs inside the case's own folder.
    auto absolute = [](const char* p) {
        char* r = realpath(p, nullptr);
        std::string out = r ? r : p;
        std::free(r);
        return out;
    };
    const std::string limes = absolute(argv[1]), bad = absolute(argv[2]), gen = absolute(argv[3]),
                      work_root = absolute(argv[4]), name = argv[5];
    Case c;
    if (!find_case(bad + "/cases.tsv", name, c)) {
        std::cerr << "no case '" << name << "' in " << bad << "/cases.tsv\n";
        return 1;
    }
    auto expand = [&](std::string s) {
        return replace_all(replace_all(s, "@BAD@", bad), "@GEN@", gen);
    };
    const std::string input = expand(c.input);
    const std::string work = work_root + "/" + name;
    remove_tree(work);
    for (std::size_t i = 1; i <= work.size(); ++i)
        if (i == work.size() || work[i] == '/') mkdir(work.substr(0, i).c_str(), 0777);
    const std::string ws = work + "/ws.gpkg";
    const std::string base = gen + "/base.gpkg";
    if (!copy_file(base, ws)) {
        std::cerr << "cannot copy the base workspace " << base << '\n';
        return 1;
    }
    const std::string before = read_all(ws);
    GDALAllRegister();
    std::set<GIntBig> fids_before;
    std::string readback_layer;
    if (!c.readback.empty()) {
        const auto at = c.readback.find("layer=");
        if (at != std::string::npos)
            readback_layer = trim(c.readback.substr(at + 6, c.readback.find(';', at) - at - 6));
        fids_before = fids_of(ws, readback_layer);
    }

    std::vector<std::string> cmd = {limes, "import", ws, input};
    std::istringstream extra(expand(c.args));
    for (std::string a; extra >> a;) cmd.push_back(a);
    const std::string out_path = work_root + "/" + name + ".stdout";
    const std::string err_path = work_root + "/" + name + ".stderr";
    const Run r = run(cmd, out_path, err_path, work);
    const std::string out = read_all(out_path), err = read_all(err_path);

    std::vector<std::string> problems;
    if (r.timed_out)
        problems.push_back("did not finish within " + std::to_string(kTimeLimitSeconds) + " s");
    else if (r.signalled)
        problems.push_back("killed by signal " + std::to_string(r.signal) + " (" +
                           strsignal(r.signal) + ")");
    else if (r.code != c.exit_code)
        problems.push_back("exit code " + std::to_string(r.code) + ", expected " +
                           std::to_string(c.exit_code));
    const std::string pattern = replace_all(c.regex, "@FILE@", regex_escape(input));
    try {
        // The first 64 KB: libstdc++'s regex recurses per character and the messages that
        // matter come first.
        if (!std::regex_search((err + out).substr(0, 64 * 1024), std::regex(pattern)))
            problems.push_back("messages do not match /" + pattern + "/");
    } catch (const std::regex_error& e) {
        problems.push_back("bad regular expression in cases.tsv: " + std::string(e.what()));
    }
    if (err.find("internal error") != std::string::npos)
        problems.push_back("an internal error was reported");
    if (c.exit_code != 0) {
        if (read_all(ws) != before) problems.push_back("the workspace changed");
        for (const auto& e : entries(work))
            if (e != "ws.gpkg") problems.push_back("left behind in the workspace folder: " + e);
    }
    if (!c.readback.empty() && r.code == 0)
        for (auto& p : check_stored_rows(ws, c.readback, fids_before))
            problems.push_back(std::move(p));

    std::cout << "case " << name << ": limes import " << ws << ' ' << input << ' ' << c.args
              << "\n--- stdout\n"
              << out << "--- stderr\n"
              << err.substr(0, 4000) << '\n';
    if (!problems.empty()) {
        for (const auto& p : problems) std::cerr << "FAIL " << name << ": " << p << '\n';
        return 1;
    }
    remove_tree(work);
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    return 0;
}
