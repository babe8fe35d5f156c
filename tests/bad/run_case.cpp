// Runs one case of tests/bad/cases.tsv (tests/bad/README.md) through the real binary:
//   run_case LIMES READBACK BAD_DIR GEN_DIR WORK_DIR CASE   (READBACK: bad_readback)
// 1. copies GEN_DIR/base.gpkg (the small workspace) to WORK_DIR/CASE/ws.gpkg;
// 2. runs `LIMES import WS INPUT ARGS...` with a time limit (a hang fails the case);
// 3. checks that the process exited (no signal) with exactly the expected code, and that its
//    messages (stderr, then stdout) match the case's regular expression, in which @FILE@
//    stands for the input path;
// 4. when the expected code is not 0: the workspace is byte-for-byte what it was, and
//    nothing else was left beside it (no -journal, -wal, staging files);
// 5. when the case has a sixth column (the repairs): the rows the import added, read back from
//    the workspace through GDAL/OGR by bad_readback (readback.cpp), hold the values that
//    column names.
// Exit status 0 when the case passes; otherwise 1 and what differed on stderr.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
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

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::cerr << "usage: run_case LIMES READBACK BAD_DIR GEN_DIR WORK_DIR CASE\n";
        return 2;
    }
    // Absolute paths: the command runs inside the case's own folder.
    auto absolute = [](const char* p) {
        char* r = realpath(p, nullptr);
        std::string out = r ? r : p;
        std::free(r);
        return out;
    };
    const std::string limes = absolute(argv[1]), readback = absolute(argv[2]),
                      bad = absolute(argv[3]), gen = absolute(argv[4]),
                      work_root = absolute(argv[5]), name = argv[6];
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
    // A repair case: the fids already there, so that the check reads only the rows added.
    const std::string fids_path = work_root + "/" + name + ".fids";
    const std::string readback_err = work_root + "/" + name + ".readback";
    std::vector<std::string> problems;
    auto read_back = [&](std::vector<std::string> args, const std::string& out_path) {
        args.insert(args.begin(), readback);
        const Run rb = run(args, out_path, readback_err, work_root);
        if (rb.timed_out || rb.signalled || rb.code != 0)
            problems.push_back("bad_readback " + args[1] + " failed: " + read_all(readback_err));
    };
    if (!c.readback.empty()) read_back({"fids", ws, c.readback}, fids_path);

    std::vector<std::string> cmd = {limes, "import", ws, input};
    std::istringstream extra(expand(c.args));
    for (std::string a; extra >> a;) cmd.push_back(a);
    const std::string out_path = work_root + "/" + name + ".stdout";
    const std::string err_path = work_root + "/" + name + ".stderr";
    const Run r = run(cmd, out_path, err_path, work);
    const std::string out = read_all(out_path), err = read_all(err_path);

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
    if (!c.readback.empty() && r.code == 0) {
        const std::string found_path = work_root + "/" + name + ".found";
        read_back({"check", ws, c.readback, fids_path}, found_path);
        std::istringstream found(read_all(found_path));
        for (std::string p; std::getline(found, p);)
            if (!p.empty()) problems.push_back(p);
        std::remove(found_path.c_str());
    }

    std::cout << "case " << name << ": limes import " << ws << ' ' << input << ' ' << c.args
              << "\n--- stdout\n"
              << out << "--- stderr\n"
              << err.substr(0, 4000) << '\n';
    if (!problems.empty()) {
        for (const auto& p : problems) std::cerr << "FAIL " << name << ": " << p << '\n';
        return 1;
    }
    remove_tree(work);
    for (const std::string& p : {out_path, err_path, fids_path, readback_err})
        std::remove(p.c_str());
    return 0;
}
