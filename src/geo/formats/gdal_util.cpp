#include "geo/formats/gdal_util.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_http.h>
#include <cpl_string.h>
#include <cpl_vsi_virtual.h>
#include <ogr_srs_api.h>

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <map>
#include <mutex>

#include "core/error.hpp"
#include "geo/formats/sqlite_guard.hpp"

namespace limes::geo {
namespace {

// [SECTION] Network off: refusing handlers for the network file systems, a refusing HTTP
// fetch callback, and the database drivers taken out of the driver manager.

// Names of the network file systems after "/vsi": a prefix is a network one when its name
// starts with one of these (/vsis3/ and /vsis3_streaming/ alike).
constexpr const char* kNetworkFileSystems[] = {"curl", "s3",    "gs",      "az",  "adls",
                                               "oss",  "swift", "webhdfs", "hdfs"};

// Drivers that open a client connection to a server named in a connection string, which
// may stand inside a local file (an OGR VRT's SrcDataSource).
constexpr const char* kDatabaseDrivers[] = {"PostgreSQL", "PostGISRaster", "MySQL", "MSSQLSpatial",
                                            "ODBC",       "OCI",           "HANA",  "MongoDBv3"};

bool is_network_prefix(const std::string& prefix) {
    if (prefix.compare(0, 4, "/vsi") != 0) return false;
    const std::string name = prefix.substr(4);
    for (const char* fs : kNetworkFileSystems) {
        const std::size_t n = std::char_traits<char>::length(fs);
        // "/vsis3/", "/vsis3_streaming/", "/vsicurl?": the name, then a separator.
        if (name.compare(0, n, fs) == 0 && name.size() > n &&
            (name[n] == '/' || name[n] == '_' || name[n] == '?'))
            return true;
    }
    return false;
}

/** Stands in for a network file system while the network is off: nothing opens, nothing
 *  exists, and the reason is in GDAL's last error. */
class RefusingFileSystem final : public VSIFilesystemHandler {
  public:
    VSIVirtualHandle* Open(const char* name, const char*, bool, CSLConstList) override {
        CPLError(CE_Failure, CPLE_AppDefined,
                 "%s: network access is disabled (limes reads local files only unless "
                 "--allow-network is given)",
                 name);
        errno = EACCES;
        return nullptr;
    }
    int Stat(const char*, VSIStatBufL*, int) override {
        errno = EACCES;
        return -1;
    }
    char** ReadDirEx(const char*, int) override { return nullptr; }
    char** SiblingFiles(const char*) override {
        // An empty list (not null): GDAL must not probe for side files either.
        return static_cast<char**>(CPLCalloc(1, sizeof(char*)));
    }
    bool IsLocal(const char*) override { return false; }
};

CPLHTTPResult* refuse_http(const char* url, CSLConstList options, GDALProgressFunc, void*,
                           CPLHTTPFetchWriteFunc, void*, void*) {
    auto* result = static_cast<CPLHTTPResult*>(CPLCalloc(1, sizeof(CPLHTTPResult)));
    if (CSLFetchNameValue(options, "CLOSE_PERSISTENT")) return result;  // bookkeeping only
    const std::string message = std::string(url ? url : "?") +
                                ": network access is disabled (limes reads local files only "
                                "unless --allow-network is given)";
    result->nStatus = 1;
    result->pszErrBuf = CPLStrdup(message.c_str());
    CPLError(CE_Failure, CPLE_AppDefined, "%s", message.c_str());
    return result;
}

struct NetworkState {
    std::mutex mutex;
    bool allowed = true;  // GDAL's own default until ensure_gdal switches it off
    bool initialised = false;
    int proj_network = 0;
    // prefix -> (GDAL's handler, ours). Never freed: whichever of the two is installed is
    // owned (and deleted at exit) by VSIFileManager, the other stays reachable from here.
    std::map<std::string, std::pair<VSIFilesystemHandler*, VSIFilesystemHandler*>> handlers;
    std::vector<GDALDriver*> drivers;  // deregistered database drivers, kept to re-register
};

NetworkState& network_state() {
    static auto* state = new NetworkState;  // never destroyed: see handlers
    return *state;
}

void apply_network_access(NetworkState& s, bool allowed) {
    if (!s.initialised) {
        s.initialised = true;
        s.proj_network = OSRGetPROJEnableNetwork();
        char** prefixes = VSIGetFileSystemsPrefixes();
        for (int i = 0; prefixes && prefixes[i]; ++i) {
            const std::string prefix = prefixes[i];
            if (!is_network_prefix(prefix)) continue;
            s.handlers[prefix] = {VSIFileManager::GetHandler(prefix.c_str()),
                                  new RefusingFileSystem};  // one each: GDAL deletes each
        }
        CSLDestroy(prefixes);
    }
    if (allowed == s.allowed) return;
    for (auto& [prefix, pair] : s.handlers)
        VSIFileManager::InstallHandler(prefix, allowed ? pair.first : pair.second);
    GDALDriverManager* manager = GetGDALDriverManager();
    if (allowed) {
        CPLHTTPSetFetchCallback(nullptr, nullptr);
        for (GDALDriver* d : s.drivers) manager->RegisterDriver(d);
        s.drivers.clear();
        OSRSetPROJEnableNetwork(s.proj_network);
    } else {
        CPLHTTPSetFetchCallback(&refuse_http, nullptr);
        for (const char* name : kDatabaseDrivers)
            if (GDALDriver* d = manager->GetDriverByName(name)) {
                manager->DeregisterDriver(d);
                s.drivers.push_back(d);
            }
        OSRSetPROJEnableNetwork(FALSE);
    }
    // Belt and braces for /vsicurl/, should a handler be reached some other way: it then
    // opens no name that does not end in ".none-limes".
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", allowed ? nullptr : ".none-limes");
    CPLSetConfigOption("GDAL_HTTP_TIMEOUT", allowed ? nullptr : "1");
    s.allowed = allowed;
}

bool starts_with_ci(const std::string& s, const char* prefix) {
    for (std::size_t i = 0; prefix[i]; ++i)
        if (i >= s.size() || std::tolower(static_cast<unsigned char>(s[i])) !=
                                 std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

}  // namespace

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        // GDAL reports through exceptions we raise ourselves, with context; its own handler
        // would print to stderr as well.
        CPLSetErrorHandler(CPLQuietErrorHandler);
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
        GDALAllRegister();
        NetworkState& s = network_state();
        std::lock_guard<std::mutex> lock(s.mutex);
        apply_network_access(s, false);
    });
}

void set_network_access(bool allowed) {
    ensure_gdal();
    NetworkState& s = network_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    apply_network_access(s, allowed);
}

bool network_access_allowed() {
    ensure_gdal();
    NetworkState& s = network_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.allowed;
}

NetworkAccessScope::NetworkAccessScope(bool allow)
    : previous_(network_access_allowed()), changed_(allow && !previous_) {
    if (changed_) set_network_access(true);
}

NetworkAccessScope::~NetworkAccessScope() {
    if (changed_) set_network_access(previous_);
}

bool is_network_path(const std::string& path) {
    // A URL or a "/vsi..." chain with a network file system anywhere in it.
    if (path.find("://") != std::string::npos) return true;
    for (std::size_t at = path.find("/vsi"); at != std::string::npos;
         at = path.find("/vsi", at + 1))
        if (is_network_prefix(path.substr(at, 32))) return true;
    // Connection strings of the database and web-service drivers.
    for (const char* prefix :
         {"PG:",   "PGB:",   "MySQL:", "MSSQL:", "ODBC:",  "OCI:",        "HANA:",  "MongoDBv3:",
          "WFS:",  "OAPIF:", "CSW:",   "ES:",    "Carto:", "AmigoCloud:", "NGW:",   "PLScenes:",
          "EEDA:", "WMS:",   "WCS:",   "WMTS:",  "DAAS:",  "STACIT:",     "STACTA:"})
        if (starts_with_ci(path, prefix)) return true;
    return false;
}

std::string gdal_error(const std::string& fallback) {
    const char* msg = CPLGetLastErrorMsg();
    std::string out = (msg && *msg) ? msg : fallback;
    CPLErrorReset();
    return out;
}

void require_regular_file(const std::string& path) {
    if (path.compare(0, 4, "/vsi") == 0 || is_network_path(path)) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return;
    const char* kind = S_ISFIFO(st.st_mode)  ? "a FIFO"
                       : S_ISCHR(st.st_mode) ? "a character device"
                       : S_ISBLK(st.st_mode) ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a file";
    throw core::IoError(path, std::string("not a regular file (") + kind +
                                  "): limes reads files it can read to their end");
}

GDALDatasetUniquePtr open_vector(const std::string& path, bool update) {
    ensure_gdal();
    require_regular_file(path);
    if (!network_access_allowed() && is_network_path(path))
        throw core::UsageError(path +
                               ": a network source; limes reads local files only unless "
                               "--allow-network is given");
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), flags, nullptr, nullptr, nullptr));
    if (!ds) {
        VSIStatBufL st;
        if (VSIStatL(path.c_str(), &st) != 0) throw core::IoError(path, "no such file");
        throw core::IoError(path, gdal_error("GDAL cannot open this file as vector data"));
    }
    // GDAL's own SQLite connection (GPKG, SQLite) gets the defences limes' connections have:
    // a workspace from someone else must not run its triggers or views through GDAL either.
    if (auto* db = static_cast<sqlite3*>(ds->GetInternalHandle("SQLITE_HANDLE")))
        guard_sqlite_connection(db);
    return ds;
}

GDALDatasetUniquePtr open_database_workspace(const std::string& connection,
                                             const std::string& display,
                                             const std::vector<std::string>& open_options,
                                             bool update) {
    ensure_gdal();
    NetworkState& s = network_state();
    std::lock_guard<std::mutex> lock(s.mutex);
    GDALDriverManager* manager = GetGDALDriverManager();
    GDALDriver* driver = manager->GetDriverByName("PostgreSQL");
    bool registered_here = false;
    if (!driver) {
        for (GDALDriver* d : s.drivers)
            if (std::string(d->GetDescription()) == "PostgreSQL") driver = d;
        if (!driver) throw core::IoError(display, "this GDAL has no PostgreSQL driver");
        manager->RegisterDriver(driver);
        registered_here = true;
    }
    std::vector<const char*> options;
    for (const auto& o : open_options) options.push_back(o.c_str());
    options.push_back(nullptr);
    const char* const allowed[] = {"PostgreSQL", nullptr};
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY);
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(connection.c_str(), flags, allowed, options.data(), nullptr));
    // Out again: the dataset keeps its driver, the manager does not offer it to other opens.
    if (registered_here) manager->DeregisterDriver(driver);
    if (!ds) throw core::IoError(display, gdal_error("GDAL cannot open the database"));
    return ds;
}

GdalErrorCollector::GdalErrorCollector() {
    CPLPushErrorHandlerEx(&handler, this);
}

GdalErrorCollector::~GdalErrorCollector() {
    CPLPopErrorHandler();
}

void CPL_STDCALL GdalErrorCollector::handler(CPLErr level, CPLErrorNum, const char* message) {
    if (level < CE_Failure) return;
    auto* self = static_cast<GdalErrorCollector*>(CPLGetErrorHandlerUserData());
    // A corrupt file can repeat the same complaint for every feature: keep a few distinct.
    if (self && self->failures_.size() < 16) {
        std::string m = message ? message : "GDAL error";
        for (const auto& f : self->failures_)
            if (f == m) return;
        self->failures_.push_back(std::move(m));
    }
}

std::string GdalErrorCollector::summary() const {
    std::string out;
    for (std::size_t i = 0; i < failures_.size() && i < 3; ++i)
        out += (i ? "; " : "") + failures_[i];
    if (failures_.size() > 3) out += "; ...";
    return out;
}

OGRSpatialReference wgs84() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string describe_crs(const OGRSpatialReference* srs) {
    if (!srs) return "none";
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    const char* name = srs->GetName();
    std::string out;
    if (auth && code) out = std::string(auth) + ":" + code;
    if (name) out += out.empty() ? std::string(name) : " (" + std::string(name) + ")";
    return out.empty() ? "unknown" : out;
}

void exec_sql(GDALDataset& ds, const std::string& sql, const std::string& path) {
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) ds.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure)
        throw core::IoError(path, "SQL '" + sql + "': " + gdal_error("failed"));
}

}  // namespace limes::geo
