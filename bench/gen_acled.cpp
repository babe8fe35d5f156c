// limes-gen-acled: writes a SYNTHETIC ACLED-style CSV for benchmarks. Nothing in it is a real
// event: ids are SYN-BENCH-nnnnnnn(n), every note starts with "Synthetic benchmark row" and every
// source_url points to example.invalid.
//
//   limes-gen-acled N OUT.csv [--seed S]
//
// Columns: ACLED's 2023 export (31 columns) plus limes' reported_by, status, source_url. Rows are
// ~420 bytes on average (issue 5 sizes ACLED-style rows at ~410). The same N and seed give a
// byte-identical file: the generator uses its own PRNG (xoshiro256**) and its own distributions
// instead of <random>'s, whose algorithms differ between standard libraries. (Only std::log and
// std::cos come from the platform; another libm could move a coordinate's last digit.)
//
// What the data looks like, so the benchmark exercises the real paths:
// - points: 90 % from four Gaussian clusters (sigma 0.2 deg) on the Armenia-Azerbaijan border,
//   10 % uniform over lon 43..51 E, lat 38..42.5 N; 4 decimals like ACLED;
// - country/admin1/admin2/location come from the nearest of ~60 real places (UTF-8: Armenian
//   script, Azerbaijani letters such as ə ş ğ); geo_precision 1/2/3 in 65/28/7 % of rows
//   (most ACLED rows name a town; the share matters: limes draws a translucent disc of 10 or
//   25 km radius under every row of precision 2 or 3);
// - dates 2018-01-01..2024-12-31, denser during the 2020 war and the 2022/2023 clashes;
// - all six event types with their valid sub-event types; fatalities 0..20, skewed to 0, ~3 %
//   empty; notes with commas and "quoted" words, ~2 % with an embedded newline.
//
// Exit codes: 0 ok, 2 usage, 4 I/O.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Deterministic random numbers
// ---------------------------------------------------------------------------------------------

/** xoshiro256** seeded through splitmix64: fast, and the same sequence everywhere. */
class Rng {
  public:
    explicit Rng(std::uint64_t seed) {
        for (auto& s : s_) {
            seed += 0x9E3779B97F4A7C15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            s = z ^ (z >> 31);
        }
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /** Uniform in [0, 1), 53 bits. */
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    /** Uniform integer in [0, n); n > 0. The modulo bias (n << 2^64) does not matter here. */
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
    /** Standard normal (Box-Muller; one of the pair is discarded to keep the state simple). */
    double normal() {
        const double u1 = 1.0 - uniform();  // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

template <class T, std::size_t N>
const T& pick(Rng& rng, const std::array<T, N>& items) {
    return items[rng.below(static_cast<std::uint32_t>(N))];
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Places, actors, taxonomy
// ---------------------------------------------------------------------------------------------

struct Country {
    const char* name;
    int iso;             ///< ISO 3166-1 numeric, as ACLED's iso column
    const char* region;  ///< ACLED region
};

constexpr std::array<Country, 6> kCountries = {{
    {"Armenia", 51, "Caucasus and Central Asia"},
    {"Azerbaijan", 31, "Caucasus and Central Asia"},
    {"Georgia", 268, "Caucasus and Central Asia"},
    {"Iran", 364, "Middle East"},
    {"Turkey", 792, "Middle East"},
    {"Russia", 643, "Europe"},
}};
enum CountryId { kArm, kAze, kGeo, kIrn, kTur, kRus };

/** A settlement (coordinates approximate, WGS84 degrees) that rows are attached to. */
struct Place {
    double lon, lat;
    CountryId country;
    const char* admin1;
    const char* admin2;
    const char* location;  ///< as written in the location column (UTF-8)
};

constexpr std::array<Place, 60> kPlaces = {{
    {44.515, 40.183, kArm, "Yerevan", "", "Yerevan (Երևան)"},
    {45.672, 39.841, kArm, "Vayots Dzor", "Jermuk", "Jermuk (Ջերմուկ)"},
    {45.328, 39.766, kArm, "Vayots Dzor", "Yeghegnadzor", "Yeghegnadzor (Եղեգնաձոր)"},
    {45.733, 40.183, kArm, "Gegharkunik", "Vardenis", "Vardenis (Վարդենիս)"},
    {45.938, 40.201, kArm, "Gegharkunik", "Vardenis", "Sotk (Սոթք)"},
    {45.307, 40.140, kArm, "Gegharkunik", "Martuni", "Martuni (Մարտունի)"},
    {45.352, 40.594, kArm, "Gegharkunik", "Chambarak", "Chambarak (Ճամբարակ)"},
    {45.056, 40.368, kArm, "Gegharkunik", "Gavar", "Gavar (Գավառ)"},
    {46.341, 39.508, kArm, "Syunik", "Goris", "Goris (Գորիս)"},
    {46.483, 39.560, kArm, "Syunik", "Goris", "Tegh (Տեղ)"},
    {46.405, 39.208, kArm, "Syunik", "Kapan", "Kapan (Կապան)"},
    {46.248, 38.903, kArm, "Syunik", "Meghri", "Meghri (Մեղրի)"},
    {46.029, 39.521, kArm, "Syunik", "Sisian", "Sisian (Սիսիան)"},
    {46.276, 39.469, kArm, "Syunik", "Goris", "Kornidzor (Կոռնիձոր)"},
    {45.147, 40.876, kArm, "Tavush", "Ijevan", "Ijevan (Իջևան)"},
    {45.392, 40.881, kArm, "Tavush", "Tavush", "Berd (Բերդ)"},
    {45.046, 41.095, kArm, "Tavush", "Noyemberyan", "Noyemberyan (Նոյեմբերյան)"},
    {44.768, 39.821, kArm, "Ararat", "Ararat", "Yeraskh (Երասխ)"},
    {43.847, 40.789, kArm, "Shirak", "Gyumri", "Gyumri (Գյումրի)"},
    {44.489, 40.809, kArm, "Lori", "Vanadzor", "Vanadzor (Վանաձոր)"},
    {46.752, 39.758, kAze, "Şuşa", "", "Şuşa"},
    {46.752, 39.816, kAze, "Xankəndi", "", "Xankəndi (Ստեփանակերտ)"},
    {46.826, 39.913, kAze, "Xocalı", "", "Xocalı"},
    {46.790, 39.636, kAze, "Xocavənd", "", "Hadrut (Հադրութ)"},
    {46.928, 39.993, kAze, "Ağdam", "", "Ağdam"},
    {47.145, 39.601, kAze, "Füzuli", "", "Füzuli"},
    {47.031, 39.399, kAze, "Cəbrayıl", "", "Cəbrayıl"},
    {46.653, 39.086, kAze, "Zəngilan", "", "Zəngilan"},
    {46.581, 39.345, kAze, "Qubadlı", "", "Qubadlı"},
    {46.551, 39.637, kAze, "Laçın", "", "Laçın"},
    {46.038, 40.104, kAze, "Kəlbəcər", "", "Kəlbəcər"},
    {45.787, 40.085, kAze, "Kəlbəcər", "", "Qaragöl"},
    {45.628, 40.993, kAze, "Tovuz", "", "Tovuz"},
    {45.366, 41.092, kAze, "Qazax", "", "Qazax"},
    {45.812, 40.566, kAze, "Gədəbəy", "", "Gədəbəy"},
    {46.928, 40.342, kAze, "Tərtər", "", "Tərtər"},
    {46.361, 40.683, kAze, "Gəncə", "", "Gəncə"},
    {47.060, 40.770, kAze, "Mingəçevir", "", "Mingəçevir"},
    {49.867, 40.409, kAze, "Bakı", "", "Bakı"},
    {48.931, 39.938, kAze, "Şirvan", "", "Şirvan"},
    {48.851, 38.753, kAze, "Lənkəran", "", "Lənkəran"},
    {47.170, 41.192, kAze, "Şəki", "", "Şəki"},
    {48.512, 41.361, kAze, "Quba", "", "Quba"},
    {45.413, 39.209, kAze, "Naxçıvan", "Naxçıvan", "Naxçıvan"},
    {45.049, 39.553, kAze, "Naxçıvan", "Şərur", "Şərur"},
    {46.024, 38.909, kAze, "Naxçıvan", "Ordubad", "Ordubad"},
    {45.653, 38.958, kAze, "Naxçıvan", "Culfa", "Culfa"},
    {44.793, 41.715, kGeo, "Tbilisi", "", "Tbilisi"},
    {44.814, 41.462, kGeo, "Kvemo Kartli", "Marneuli", "Marneuli"},
    {45.000, 41.549, kGeo, "Kvemo Kartli", "Rustavi", "Rustavi"},
    {46.277, 41.823, kGeo, "Kakheti", "Lagodekhi", "Lagodekhi"},
    {46.292, 38.080, kIrn, "East Azerbaijan", "Tabriz", "Tabriz"},
    {45.639, 38.942, kIrn, "East Azerbaijan", "Jolfa", "Jolfa"},
    {48.293, 38.249, kIrn, "Ardabil", "Ardabil", "Ardabil"},
    {47.410, 39.440, kIrn, "Ardabil", "Aslan Duz", "Aslan Duz"},
    {44.044, 39.920, kTur, "Iğdır", "Merkez", "Iğdır"},
    {43.095, 40.601, kTur, "Kars", "Merkez", "Kars"},
    {44.082, 39.547, kTur, "Ağrı", "Doğubayazıt", "Doğubayazıt"},
    {48.290, 42.057, kRus, "Dagestan", "Derbent", "Derbent"},
    {47.504, 42.983, kRus, "Dagestan", "Makhachkala", "Makhachkala"},
}};

/** An actor and its ACLED inter code (1 state forces .. 8 external/other forces). */
struct Actor {
    const char* name;
    int inter;
};

// Per country: state forces, police, protesters, rioters, civilians, unidentified armed group.
struct CountryActors {
    Actor military, police, protesters, rioters, civilians, unidentified;
};

constexpr std::array<CountryActors, 6> kActors = {{
    {{"Military Forces of Armenia (2018-)", 1},
     {"Police Forces of Armenia (2018-)", 1},
     {"Protesters (Armenia)", 6},
     {"Rioters (Armenia)", 5},
     {"Civilians (Armenia)", 7},
     {"Unidentified Armed Group (Armenia)", 3}},
    {{"Military Forces of Azerbaijan (2003-)", 1},
     {"Police Forces of Azerbaijan (2003-)", 1},
     {"Protesters (Azerbaijan)", 6},
     {"Rioters (Azerbaijan)", 5},
     {"Civilians (Azerbaijan)", 7},
     {"Unidentified Armed Group (Azerbaijan)", 3}},
    {{"Military Forces of Georgia (2013-)", 1},
     {"Police Forces of Georgia (2013-)", 1},
     {"Protesters (Georgia)", 6},
     {"Rioters (Georgia)", 5},
     {"Civilians (Georgia)", 7},
     {"Unidentified Armed Group (Georgia)", 3}},
    {{"Military Forces of Iran (1989-)", 1},
     {"Police Forces of Iran (1989-)", 1},
     {"Protesters (Iran)", 6},
     {"Rioters (Iran)", 5},
     {"Civilians (Iran)", 7},
     {"Unidentified Armed Group (Iran)", 3}},
    {{"Military Forces of Turkey (2016-)", 1},
     {"Police Forces of Turkey (2016-)", 1},
     {"Protesters (Turkey)", 6},
     {"Rioters (Turkey)", 5},
     {"Civilians (Turkey)", 7},
     {"Unidentified Armed Group (Turkey)", 3}},
    {{"Military Forces of Russia (2000-)", 1},
     {"Police Forces of Russia (2000-)", 1},
     {"Protesters (Russia)", 6},
     {"Rioters (Russia)", 5},
     {"Civilians (Russia)", 7},
     {"Unidentified Armed Group (Russia)", 3}},
}};

constexpr Actor kArtsakhArmy{"Military Forces of Artsakh (1992-2023)", 2};
constexpr Actor kPeacekeepers{"Military Forces of Russia (2000-) Peacekeepers", 8};

/** An ACLED event type with its sub-event types (codebook 2023) and a share of the rows. */
struct EventType {
    const char* name;
    const char* disorder;
    std::array<const char*, 8> subs;
    int n_subs;
    int weight;  ///< percent of the rows
};

constexpr std::array<EventType, 6> kEventTypes = {{
    {"Battles",
     "Political violence",
     {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
     3,
     24},
    {"Explosions/Remote violence",
     "Political violence",
     {"Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED",
      "Grenade", "Suicide bomb", "Chemical weapon"},
     6,
     32},
    {"Violence against civilians",
     "Political violence",
     {"Attack", "Abduction/forced disappearance", "Sexual violence"},
     3,
     8},
    {"Protests",
     "Demonstrations",
     {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
     3,
     20},
    {"Riots", "Demonstrations", {"Violent demonstration", "Mob violence"}, 2, 5},
    {"Strategic developments",
     "Strategic developments",
     {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
      "Headquarters or base established", "Looting/property destruction",
      "Non-violent transfer of territory", "Other"},
     8,
     11},
}};

constexpr std::array<const char*, 12> kSources = {"Ministry of Defence of Armenia",
                                                  "Ministry of Defense of Azerbaijan",
                                                  "Armenpress",
                                                  "APA",
                                                  "Caucasian Knot",
                                                  "Radio Free Europe/Radio Liberty",
                                                  "JAMnews",
                                                  "OC Media",
                                                  "Hetq",
                                                  "Report.az",
                                                  "Trend",
                                                  "European Union Mission in Armenia"};
constexpr std::array<const char*, 6> kSourceScales = {"National",    "International",
                                                      "Subnational", "Local partner-National",
                                                      "New media",   "Other-National"};
constexpr std::array<const char*, 6> kReporters = {
    "Armenia MoD", "Azerbaijan MoD", "ACLED", "Caucasian Knot", "EUMA", "Human Rights Defender"};
constexpr std::array<const char*, 8> kNoteVerbs = {
    "fire near",  "shelling of", "drones over",        "clash at",
    "arrests in", "crowd in",    "road blocked, near", "mine found near"};
constexpr std::array<const char*, 5> kSizes = {"no report", "around 50", "dozens", "hundreds",
                                               "several"};

// ---------------------------------------------------------------------------------------------
// [SECTION] Dates
// ---------------------------------------------------------------------------------------------

// Calendar arithmetic is limes' own (core::Date): days since 1970-01-01.
long days_from_civil(int y, int m, int d) {
    return limes::core::Date::from_ymd(y, m, d).days;
}

struct Ymd {
    int y, m, d;
};

Ymd civil_from_days(long z) {
    Ymd out{};
    limes::core::Date{static_cast<std::int32_t>(z)}.to_ymd(out.y, out.m, out.d);
    return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] CSV output
// ---------------------------------------------------------------------------------------------

/** Appends one CSV field, quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
void put_field(std::string& out, std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += v;
        return;
    }
    out += '"';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void put_int(std::string& out, long v) {
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "%ld", v);
    out.append(buf, static_cast<std::size_t>(n));
}

/** Degrees with 4 decimals, as ACLED writes them; rounding is done here so it is exact. */
void put_degrees(std::string& out, double v) {
    long scaled = std::lround(v * 10000.0);
    if (scaled < 0) {
        out += '-';
        scaled = -scaled;
    }
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%ld.%04ld", scaled / 10000, scaled % 10000);
    out.append(buf, static_cast<std::size_t>(n));
}

constexpr const char* kHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp,reported_by,status,source_url\n";

// ---------------------------------------------------------------------------------------------
// [SECTION] One row
// ---------------------------------------------------------------------------------------------

struct Cluster {
    double lon, lat;
};
// Border hot spots: Sotk/Kəlbəcər, Goris/Laçın corridor, Jermuk, Şuşa/Xankəndi.
constexpr std::array<Cluster, 4> kClusters = {
    {{45.5, 40.2}, {46.4, 39.5}, {45.7, 39.8}, {46.7, 39.8}}};
constexpr double kSigmaDeg = 0.2;

// Date range: 2018-01-01 .. 2024-12-31.
const long kFirstDay = days_from_civil(2018, 1, 1);
const long kLastDay = days_from_civil(2024, 12, 31);

long draw_day(Rng& rng) {
    const double u = rng.uniform();
    auto span = [&](long a, long b) {
        return a + static_cast<long>(rng.below(static_cast<std::uint32_t>(b - a + 1)));
    };
    if (u < 0.15) return span(days_from_civil(2020, 9, 27), days_from_civil(2020, 11, 10));
    if (u < 0.22) return span(days_from_civil(2022, 9, 12), days_from_civil(2022, 9, 30));
    if (u < 0.25) return span(days_from_civil(2023, 9, 19), days_from_civil(2023, 9, 30));
    return span(kFirstDay, kLastDay);
}

int draw_fatalities(Rng& rng, const EventType& type) {
    if (std::strcmp(type.name, "Protests") == 0 ||
        std::strcmp(type.name, "Strategic developments") == 0)
        return rng.below(50) == 0 ? 1 : 0;
    if (rng.below(100) < 55) return 0;
    // Geometric tail, 1..20.
    int f = 1;
    while (f < 20 && rng.below(100) < 72) ++f;
    return f;
}

const Place& nearest_place(double lon, double lat) {
    const double coslat = std::cos(lat * 3.141592653589793 / 180.0);
    std::size_t best = 0;
    double best_d2 = 1e300;
    for (std::size_t i = 0; i < kPlaces.size(); ++i) {
        const double dx = (kPlaces[i].lon - lon) * coslat, dy = kPlaces[i].lat - lat;
        const double d2 = dx * dx + dy * dy;
        if (d2 < best_d2) best_d2 = d2, best = i;
    }
    return kPlaces[best];
}

void write_row(std::string& out, Rng& rng, long index, int id_digits) {
    // Location.
    double lon, lat;
    if (rng.below(10) == 0) {
        lon = 43.0 + 8.0 * rng.uniform();
        lat = 38.0 + 4.5 * rng.uniform();
    } else {
        const Cluster& c = pick(rng, kClusters);
        lon = c.lon + kSigmaDeg * rng.normal();
        lat = c.lat + kSigmaDeg * rng.normal();
    }
    const Place& place = nearest_place(lon, lat);
    const int precision_roll = static_cast<int>(rng.below(100));
    const int geo_precision = precision_roll < 65 ? 1 : precision_roll < 93 ? 2 : 3;
    const Country& country = kCountries[place.country];
    const CountryActors& own = kActors[place.country];
    // Across the Armenia-Azerbaijan line the other side is the opposing army.
    const CountryActors& other = place.country == kArm   ? kActors[kAze]
                                 : place.country == kAze ? kActors[kArm]
                                                         : own;

    // Type and actors.
    int roll = static_cast<int>(rng.below(100)), ti = 0;
    while (roll >= kEventTypes[ti].weight) roll -= kEventTypes[ti++].weight;
    const EventType& type = kEventTypes[ti];
    const char* sub = type.subs[rng.below(static_cast<std::uint32_t>(type.n_subs))];
    Actor a1{"", 0}, a2{"", 0};
    switch (ti) {
        case 0:
            a1 = other.military;
            a2 = rng.below(8) == 0 ? kArtsakhArmy : own.military;
            break;
        case 1:
            a1 = other.military;
            a2 = rng.below(3) == 0 ? own.civilians : Actor{"", 0};
            break;
        case 2:
            a1 = rng.below(2) ? other.military : own.unidentified;
            a2 = own.civilians;
            break;
        case 3:
            a1 = own.protesters;
            if (std::strcmp(sub, "Peaceful protest") != 0) a2 = own.police;
            break;
        case 4:
            a1 = own.rioters;
            a2 = rng.below(2) ? own.police : own.civilians;
            break;
        default: a1 = rng.below(6) == 0 ? kPeacekeepers : own.military; break;
    }
    int interaction = a1.inter * 10 + a2.inter;
    if (a2.inter && a2.inter < a1.inter) interaction = a2.inter * 10 + a1.inter;

    const long day = draw_day(rng);
    const Ymd ymd = civil_from_days(day);
    const int fatalities = draw_fatalities(rng, type);
    const bool fatalities_empty = rng.below(33) == 0;
    const char* source = pick(rng, kSources);
    const char* reporter = pick(rng, kReporters);
    const int status_roll = static_cast<int>(rng.below(100));
    const char* status = status_roll < 60   ? "reported"
                         : status_roll < 75 ? "confirmed"
                         : status_roll < 90 ? "disputed"
                                            : "denied";

    char id[32];
    std::snprintf(id, sizeof id, "SYN-BENCH-%0*ld", id_digits, index);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", ymd.y, ymd.m, ymd.d);

    // Notes: commas and "quoted" words always; an embedded newline in ~2 % of rows; a crowd
    // size for demonstrations, as ACLED writes it.
    std::string notes = "Synthetic benchmark row ";
    put_int(notes, index);
    notes += ": ";
    notes += pick(rng, kNoteVerbs);
    notes += " \"";
    notes += place.admin2[0] ? place.admin2 : place.admin1;
    notes += "\", ";
    notes += status;
    notes += '.';
    if (rng.below(50) == 0) notes += "\nOther side: \"false\".";
    if (ti == 3 || ti == 4) {
        notes += " [size=";
        notes += pick(rng, kSizes);
        notes += ']';
    }

    // Columns in header order.
    put_field(out, id);
    out += ',';
    out += date;
    out += ',';
    put_int(out, ymd.y);
    out += ',';
    put_int(out, rng.below(10) < 8 ? 1 : 2 + static_cast<int>(rng.below(2)));  // time_precision
    out += ',';
    put_field(out, type.disorder);
    out += ',';
    put_field(out, type.name);
    out += ',';
    put_field(out, sub);
    out += ',';
    put_field(out, a1.name);
    out += ',';
    out += ',';  // assoc_actor_1
    put_int(out, a1.inter);
    out += ',';
    put_field(out, a2.name);
    out += ',';
    out += ',';  // assoc_actor_2
    if (a2.inter) put_int(out, a2.inter);
    out += ',';
    put_int(out, interaction);
    out += ',';
    if (ti == 2) out += "Civilian targeting";
    out += ',';
    put_int(out, country.iso);
    out += ',';
    put_field(out, country.region);
    out += ',';
    put_field(out, country.name);
    out += ',';
    put_field(out, place.admin1);
    out += ',';
    put_field(out, place.admin2);
    out += ',';
    out += ',';  // admin3
    put_field(out, place.location);
    out += ',';
    put_degrees(out, lat);
    out += ',';
    put_degrees(out, lon);
    out += ',';
    put_int(out, geo_precision);
    out += ',';
    put_field(out, source);
    out += ',';
    put_field(out, pick(rng, kSourceScales));
    out += ',';
    put_field(out, notes);
    out += ',';
    if (!fatalities_empty) put_int(out, fatalities);
    out += ',';
    if (rng.below(5) == 0) out += "local administrators";
    out += ',';
    // timestamp: when the row was "published", 1..30 days after the event, in Unix seconds.
    const long lag_days = 1 + static_cast<long>(rng.below(30));  // sequenced: determinism
    const long second = static_cast<long>(rng.below(86400));
    put_int(out, (day + lag_days) * 86400L + second);
    out += ',';
    put_field(out, reporter);
    out += ',';
    out += status;
    out += ",https://example.invalid/s/";
    put_int(out, index);
    out += '\n';
}

int usage() {
    std::fputs(
        "usage: limes-gen-acled N OUT.csv [--seed S]\n"
        "  writes N (at most 99,999,999) rows of SYNTHETIC ACLED-style incidents\n"
        "  (deterministic per seed)\n",
        stderr);
    return 2;
}

bool parse_u64(const char* s, std::uint64_t& v) {
    char* end = nullptr;
    if (!*s || *s == '-') return false;
    v = std::strtoull(s, &end, 10);
    return *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 0, seed = 1;
    const char* path = nullptr;
    bool have_n = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--seed") {
            if (i + 1 >= argc || !parse_u64(argv[++i], seed)) return usage();
        } else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else if (!have_n) {
            if (!parse_u64(argv[i], n) || n > 99999999) return usage();
            have_n = true;
        } else if (!path) {
            path = argv[i];
        } else {
            return usage();
        }
    }
    if (!have_n || !path) return usage();

    std::FILE* f = std::fopen(path, "wb");
    if (!f) {
        std::fprintf(stderr, "limes-gen-acled: %s: cannot open for writing\n", path);
        return 4;
    }
    // Ids have 7 digits up to 9,999,999 rows (the files of earlier runs, byte for byte), 8 above.
    const int id_digits = n > 9999999 ? 8 : 7;
    Rng rng(seed);
    std::string buf = kHeader;
    buf.reserve(1 << 20);
    bool ok = true;
    for (std::uint64_t i = 1; i <= n && ok; ++i) {
        write_row(buf, rng, static_cast<long>(i), id_digits);
        if (buf.size() >= (1u << 20) - 4096 || i == n) {
            ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
            buf.clear();
        }
    }
    if (n == 0) ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
    if (std::fclose(f) != 0) ok = false;
    if (!ok) {
        std::fprintf(stderr, "limes-gen-acled: %s: write failed\n", path);
        return 4;
    }
    return 0;
}
