#include <algorithm>
#include <cmath>
#include <optional>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

// Pads to a width in characters, not bytes: names like "Kəlbəcər" are UTF-8.
// Characters (UTF-8 code points) of s: what a terminal column counts.
std::size_t chars_of(const std::string& s) {
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    return chars;
}

std::string pad(const std::string& s, std::size_t width, bool right = false) {
    const std::size_t chars = chars_of(s);
    if (chars >= width) return s;
    const std::string fill(width - chars, ' ');
    return right ? fill + s : s + fill;
}

// A text column as wide as its widest value (and its heading): long holder names ("Armenian
// and Nagorno-Karabakh forces") keep the columns after them aligned.
template <typename Rows, typename Get>
std::size_t column(const Rows& rows, Get get, const std::string& heading) {
    std::size_t w = chars_of(heading);
    for (const auto& r : rows) w = std::max(w, chars_of(get(r)));
    return w;
}

// "Not stated" is not 0 (README, `limes stats`): fatalities is the sum over the incidents
// that state a figure, null where none does; the two counts say how many did and did not.
void put_fatalities(nlohmann::json& o, const geo::FatalityCount& f) {
    o["fatalities"] = f.any_stated() ? nlohmann::json(f.sum) : nlohmann::json(nullptr);
    o["incidents_stating_fatalities"] = f.stated;
    o["incidents_fatalities_not_stated"] = f.not_stated;
}

// The sum, or "not stated" where no incident of the group states a figure.
std::string fatalities_text(const geo::FatalityCount& f) {
    return f.any_stated() ? std::to_string(f.sum) : std::string("not stated");
}

nlohmann::json stats_json(const geo::Stats& s) {
    using nlohmann::json;
    auto counts = [](const std::vector<geo::AreaCount>& v) {
        json a = json::array();
        for (const auto& c : v) {
            json o = {{"name", c.name}, {"incidents", c.incidents}};
            put_fatalities(o, c.fatalities);
            if (!c.country.empty()) o["country"] = c.country;
            a.push_back(o);
        }
        return a;
    };
    json claims = json::array();
    for (const auto& [c, facts] : s.claims) {
        json o = {{"id", c.fid},
                  {"claim_id", c.claim_id},
                  {"name", c.name},
                  {"kind", c.kind},
                  {"claimant", c.claimant},
                  {"holder", c.holder},
                  {"sovereign", c.sovereign},
                  {"status", c.status},
                  {"area_km2", std::round(facts.area_km2 * 1000) / 1000}};
        o["valid_from"] = c.valid_from ? json(c.valid_from->iso()) : json(nullptr);
        o["valid_from_precision"] =
            c.valid_from_precision.empty() ? json(nullptr) : json(c.valid_from_precision);
        o["valid_to"] = c.valid_to ? json(c.valid_to->iso()) : json(nullptr);
        o["geometry_source"] = c.geometry_source;
        o["accuracy_m"] = c.accuracy_m ? json(*c.accuracy_m) : json(nullptr);
        o["approximate"] = core::is_approximate(c);
        o["encroachment_km2"] = facts.encroachment_km2
                                    ? json(std::round(*facts.encroachment_km2 * 1000) / 1000)
                                    : json(nullptr);
        claims.push_back(o);
    }
    json o = {{"incidents", s.incidents}};
    put_fatalities(o, s.fatalities);
    o["outside_countries"] = s.outside_countries;
    o["countries"] = counts(s.countries);
    o["provinces"] = counts(s.provinces);
    o["claims"] = claims;
    return o;
}

void stats_table(const geo::Stats& s, std::ostream& out) {
    out << "incidents: " << s.incidents << "  fatalities: " << fatalities_text(s.fatalities)
        << " (stated by " << s.fatalities.stated << ", not stated by " << s.fatalities.not_stated
        << ")";
    if (s.outside_countries) out << "  outside every country: " << s.outside_countries;
    out << "\nfatalities: the sum of the figures reports state (\"not stated\" where none "
           "does); no figure: incidents whose report states none\n\n";
    auto table = [&](const char* title, const std::vector<geo::AreaCount>& v) {
        out << std::left << std::setw(34) << title << std::right << std::setw(10) << "incidents"
            << std::setw(12) << "fatalities" << std::setw(11) << "no figure" << '\n';
        for (const auto& c : v) {
            std::string name = c.name + (c.country.empty() ? "" : " (" + c.country + ")");
            out << "  " << pad(name, 32) << std::right << std::setw(10) << c.incidents
                << std::setw(12) << fatalities_text(c.fatalities) << std::setw(11)
                << c.fatalities.not_stated << '\n';
        }
        if (v.empty()) out << "  (none)\n";
        out << '\n';
    };
    table("country", s.countries);
    table("province", s.provinces);
    using M = core::MeasuredClaim;
    const std::size_t wn = column(s.claims, [](const M& m) { return m.claim.name; }, "claim"),
                      wk = column(s.claims, [](const M& m) { return m.claim.kind; }, "kind"),
                      wh = column(s.claims, [](const M& m) { return m.claim.holder; }, "holder"),
                      ws = column(s.claims, [](const M& m) { return m.claim.sovereign; },
                                  "sovereign");
    out << "  " << pad("claim", wn) << ' ' << pad("kind", wk) << ' ' << pad("holder", wh) << ' '
        << pad("sovereign", ws) << std::right << std::setw(11) << "area km2" << std::setw(18)
        << "encroachment km2" << '\n';
    for (const auto& [c, facts] : s.claims) {
        std::ostringstream area, enc;
        area << std::fixed << std::setprecision(1) << facts.area_km2;
        if (facts.encroachment_km2)
            enc << std::fixed << std::setprecision(1) << *facts.encroachment_km2;
        else
            enc << "n/a";
        out << "  " << pad(c.name, wn) << ' ' << pad(c.kind, wk) << ' ' << pad(c.holder, wh)
            << ' ' << pad(c.sovereign, ws) << std::right << std::setw(11) << area.str()
            << std::setw(18) << enc.str() << '\n';
    }
    if (s.claims.empty()) out << "  (none)\n";
}

class StatsCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("stats", "incidents per province and country; claim areas");
        c->add_option("WORKSPACE", workspace_, "workspace (default: the built-in workspace)");
        c->add_flag("--json", json_, "JSON instead of a table");
        c->add_option("--at", at_,
                      "the claims valid on this day (YYYY-MM-DD) and the ground each holder "
                      "held in each sovereign's territory that day, geodesic km2");
        c->add_option("--changes", changes_,
                      "FROM..TO: the ground each holder gained and lost between the two days, "
                      "as the claims valid on each say (geodesic km2)");
        filters_.add_to(*c);
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        const core::Filter filter = filters_.build();
        geo::Workspace ws = geo::Workspace::open(or_default(workspace_));
        if (!ws.foreign_logic().empty())
            err << geo::foreign_logic_note(ws.path(), ws.foreign_logic()) << '\n';
        geo::Stats s = geo::compute_stats(ws, filter);
        // --at: only the claims valid that day, and what they add up to per holder.
        std::optional<core::Date> at;
        std::vector<geo::Holding> held;
        if (!at_.empty()) {
            at = core::parse_date_option("--at", at_);
            s.claims.erase(std::remove_if(s.claims.begin(), s.claims.end(),
                                          [&](const core::MeasuredClaim& m) {
                                              return !core::valid_on(m.claim.valid_from,
                                                                     m.claim.valid_to, *at);
                                          }),
                           s.claims.end());
            std::vector<core::Claim> valid;
            for (const auto& m : s.claims) valid.push_back(m.claim);
            held = geo::holdings(valid);
        }
        // --changes FROM..TO: every claim counts (whatever the filters' dates), on each day
        // those valid that day.
        std::optional<std::pair<core::Date, core::Date>> between;
        std::vector<geo::HoldingChange> changes;
        std::vector<geo::HolderTransfer> transfers;
        if (!changes_.empty()) {
            if (at) throw core::UsageError("--at and --changes: give one of them");
            between = core::parse_date_range_option("--changes", changes_);
            const auto claims = ws.read_claims();
            changes = geo::holding_changes(claims, between->first, between->second);
            transfers = geo::holder_transfers(claims, between->first, between->second);
        }
        // Statements that are no located event (national casualty totals, announcements;
        // geodata/README.md) are a table of their own, never counted above: say they exist.
        long long statements = 0;
        if (OGRLayer* l = ws.layer("statements")) statements = l->GetFeatureCount();
        if (json_) {
            nlohmann::json j = stats_json(s);
            j["statements_not_located"] = statements;
            if (at) {
                j["as_of"] = at->iso();
                nlohmann::json h = nlohmann::json::array();
                for (const auto& x : held)
                    h.push_back({{"holder", x.holder},
                                 {"sovereign", x.sovereign},
                                 {"area_km2", std::round(x.area_km2 * 1000) / 1000},
                                 {"claims", x.claims}});
                j["held"] = h;
            }
            if (between) {
                auto km2 = [](double v) { return std::round(v * 1000) / 1000; };
                nlohmann::json h = nlohmann::json::array();
                for (const auto& x : changes)
                    h.push_back({{"holder", x.holder},
                                 {"sovereign", x.sovereign},
                                 {"from_km2", km2(x.from_km2)},
                                 {"to_km2", km2(x.to_km2)},
                                 {"gained_km2", km2(x.gained_km2)},
                                 {"lost_km2", km2(x.lost_km2)}});
                nlohmann::json t = nlohmann::json::array();
                auto who = [](const std::string& s) {
                    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
                };
                for (const auto& x : transfers)
                    t.push_back({{"from_holder", who(x.from_holder)},
                                 {"to_holder", who(x.to_holder)},
                                 {"area_km2", km2(x.area_km2)}});
                j["changes"] = {{"from", between->first.iso()},
                                {"to", between->second.iso()},
                                {"holders", h},
                                {"transfers", t}};
            }
            out << j.dump(2) << '\n';
        } else {
            stats_table(s, out);
            if (at) {
                out << "\nheld as of " << at->iso()
                    << " (the claims valid that day, each holder's ground counted once)\n";
                using H = geo::Holding;
                const std::size_t wh = column(held, [](const H& x) { return x.holder; }, "holder"),
                                  ws = column(held, [](const H& x) { return x.sovereign; },
                                              "sovereign");
                out << "  " << pad("holder", wh) << ' ' << pad("sovereign", ws) << std::right
                    << std::setw(12) << "area km2" << std::setw(8) << "claims" << '\n';
                for (const auto& x : held) {
                    std::ostringstream area;
                    area << std::fixed << std::setprecision(1) << x.area_km2;
                    out << "  " << pad(x.holder, wh) << ' ' << pad(x.sovereign, ws) << std::right
                        << std::setw(12) << area.str() << std::setw(8) << x.claims << '\n';
                }
                if (held.empty()) out << "  (none)\n";
            }
            if (between) {
                out << "\nchanges from " << between->first.iso() << " to "
                    << between->second.iso() << " (the claims valid on each day; km2)\n";
                using C = geo::HoldingChange;
                const std::size_t wh = column(changes, [](const C& x) { return x.holder; },
                                              "holder"),
                                  ws = column(changes, [](const C& x) { return x.sovereign; },
                                              "sovereign");
                out << "  " << pad("holder", wh) << ' ' << pad("sovereign", ws) << std::right
                    << std::setw(10) << "from" << std::setw(10) << "to" << std::setw(10)
                    << "gained" << std::setw(10) << "lost" << '\n';
                auto num = [](double v) {
                    std::ostringstream o;
                    o << std::fixed << std::setprecision(1) << v;
                    return o.str();
                };
                for (const auto& x : changes)
                    out << "  " << pad(x.holder, wh) << ' ' << pad(x.sovereign, ws) << std::right
                        << std::setw(10) << num(x.from_km2) << std::setw(10) << num(x.to_km2)
                        << std::setw(10) << num(x.gained_km2) << std::setw(10)
                        << num(x.lost_km2) << '\n';
                if (changes.empty()) out << "  (none)\n";
                // Who it went to: the ground that changed hands, pair by pair.
                out << "\nground that changed hands (km2; \"nobody\": no claim that day)\n";
                using T = geo::HolderTransfer;
                auto who = [](const std::string& h) { return h.empty() ? std::string("nobody") : h; };
                const std::size_t wf = column(transfers, [&](const T& x) { return who(x.from_holder); },
                                              "from"),
                                  wt = column(transfers, [&](const T& x) { return who(x.to_holder); },
                                              "to");
                out << "  " << pad("from", wf) << ' ' << pad("to", wt) << std::right
                    << std::setw(10) << "km2" << '\n';
                for (const auto& x : transfers)
                    out << "  " << pad(who(x.from_holder), wf) << ' ' << pad(who(x.to_holder), wt)
                        << std::right << std::setw(10) << num(x.area_km2) << '\n';
                if (transfers.empty()) out << "  (none)\n";
            }
            if (statements)
                out << "\nnot located, not counted above: " << statements
                    << " statement(s) (national casualty totals, announcements) in the table "
                       "statements of "
                    << ws.path() << '\n';
        }
        return kOk;
    }

  private:
    std::string workspace_, at_, changes_;
    bool json_ = false;
    FilterArgs filters_;
};

}  // namespace

std::unique_ptr<Command> make_stats_command() {
    return std::make_unique<StatsCommand>();
}

}  // namespace limes::app
