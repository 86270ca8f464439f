// Decode and encode throughput of specbound::json against Boost.JSON's DOM route
// (parse + value_to, value_from + serialize) for the same struct, measured in the same run.
//
// Usage: bench_json_decode [rounds]   (default 200; each round times a batch of each, best round wins)

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace bench {

enum class order_state { placed, approved, delivered };

// Six fields: int64, string, bool, double, optional string, enum.
struct order {
    std::int64_t id;
    std::string customer;
    bool shipped;
    double total;
    std::optional<std::string> note;
    specbound::open_enum<order_state> state;
    friend bool operator==(const order&, const order&) = default;
};

// A discriminated union of two object models, for the union lines.
struct pickup {
    std::string kind;
    std::string store;
    std::int64_t slot;
    friend bool operator==(const pickup&, const pickup&) = default;
};
struct courier {
    std::string kind;
    std::string address;
    std::optional<std::string> instructions;
    friend bool operator==(const courier&, const courier&) = default;
};
struct delivery : std::variant<pickup, courier> {
    using variant::variant;
    friend bool operator==(const delivery&, const delivery&) = default;
};

} // namespace bench

template <>
struct specbound::json::object_traits<bench::pickup> {
    static constexpr std::string_view name = "Pickup";
    static constexpr std::tuple fields{specbound::json::field<&bench::pickup::kind>{"kind", true},
                                       specbound::json::field<&bench::pickup::store>{"store", true},
                                       specbound::json::field<&bench::pickup::slot>{"slot", true}};
};
template <>
struct specbound::json::object_traits<bench::courier> {
    static constexpr std::string_view name = "Courier";
    static constexpr std::tuple fields{specbound::json::field<&bench::courier::kind>{"kind", true},
                                       specbound::json::field<&bench::courier::address>{"address", true},
                                       specbound::json::field<&bench::courier::instructions>{"instructions", false}};
};
template <>
struct specbound::json::variant_traits<bench::delivery> {
    static constexpr std::string_view name = "Delivery";
    static constexpr std::string_view discriminator = "kind";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 2> mapping{{{"pickup", 0}, {"courier", 1}}};
};

template <>
struct specbound::json::enum_traits<bench::order_state> {
    static constexpr std::array<std::pair<bench::order_state, std::string_view>, 3> values{
        {{bench::order_state::placed, "placed"},
         {bench::order_state::approved, "approved"},
         {bench::order_state::delivered, "delivered"}}};
};

template <>
struct specbound::json::object_traits<bench::order> {
    static constexpr std::string_view name = "Order";
    static constexpr std::tuple fields{specbound::json::field<&bench::order::id>{"id", true},
                                       specbound::json::field<&bench::order::customer>{"customer", true},
                                       specbound::json::field<&bench::order::shipped>{"shipped", true},
                                       specbound::json::field<&bench::order::total>{"total", true},
                                       specbound::json::field<&bench::order::note>{"note", false},
                                       specbound::json::field<&bench::order::state>{"state", true}};
};

namespace bench {

// The hand-written Boost.JSON conversions of the baseline.
order tag_invoke(boost::json::value_to_tag<order>, const boost::json::value& jv)
{
    const auto& o = jv.as_object();
    order r;
    r.id = o.at("id").to_number<std::int64_t>();
    r.customer = boost::json::value_to<std::string>(o.at("customer"));
    r.shipped = o.at("shipped").as_bool();
    r.total = o.at("total").to_number<double>();
    if (const auto* n = o.if_contains("note"); n && !n->is_null())
        r.note = boost::json::value_to<std::string>(*n);
    auto s = o.at("state").as_string();
    if (s == "placed")
        r.state = order_state::placed;
    else if (s == "approved")
        r.state = order_state::approved;
    else if (s == "delivered")
        r.state = order_state::delivered;
    else
        r.state = specbound::open_enum<order_state>::unknown(std::string(s));
    return r;
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const order& v)
{
    auto& o = jv.emplace_object();
    o["id"] = v.id;
    o["customer"] = v.customer;
    o["shipped"] = v.shipped;
    o["total"] = v.total;
    if (v.note)
        o["note"] = *v.note;
    o["state"] = specbound::json::enum_to_wire(v.state);
}

} // namespace bench

namespace {

using clock_type = std::chrono::steady_clock;

std::string make_document()
{
    static constexpr std::array<std::string_view, 3> states{"placed", "approved", "delivered"};
    std::string s = "[";
    for (int i = 0; i < 20; ++i) {
        if (i != 0)
            s += ',';
        s += "{\"id\":" + std::to_string(9000000000LL + i * 7919LL);
        s += ",\"customer\":\"Customer number " + std::to_string(i) + " of the Northwind wholesale directory\"";
        s += ",\"shipped\":";
        s += (i % 3 == 0) ? "true" : "false";
        s += ",\"total\":" + std::to_string(i * 13.25 + 0.5);
        if (i % 2 == 0)
            s += ",\"note\":\"Leave the parcel at the back door; ring twice, and call if nobody answers\"";
        s += ",\"state\":\"" + std::string(states[static_cast<std::size_t>(i) % 3]) + "\"}";
    }
    s += ']';
    return s;
}

// Times each function `batch` times per round, interleaving the functions within a round so
// that load from other processes hits them alike; the best round of each wins. Seconds per call.
template <class... F>
std::array<double, sizeof...(F)> best_of(int rounds, int batch, F&&... f)
{
    std::array<double, sizeof...(F)> best;
    best.fill(1e300);
    for (int r = 0; r < rounds; ++r) {
        std::size_t k = 0;
        auto one = [&](auto& fn) {
            auto t0 = clock_type::now();
            for (int i = 0; i < batch; ++i)
                fn();
            std::chrono::duration<double> d = clock_type::now() - t0;
            best[k] = std::min(best[k], d.count() / batch);
            ++k;
        };
        (one(f), ...);
    }
    return best;
}

// The Boost.JSON parser with a handler that keeps nothing: the floor under both decoders.
struct null_handler {
    static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
    using ec_t = boost::json::error_code;
    using sv = boost::json::string_view;
    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&) { return true; }
    bool on_object_end(std::size_t, ec_t&) { return true; }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(std::size_t, ec_t&) { return true; }
    bool on_key_part(sv, std::size_t, ec_t&) { return true; }
    bool on_key(sv, std::size_t, ec_t&) { return true; }
    bool on_string_part(sv, std::size_t, ec_t&) { return true; }
    bool on_string(sv, std::size_t, ec_t&) { return true; }
    bool on_number_part(sv, ec_t&) { return true; }
    bool on_int64(std::int64_t, sv, ec_t&) { return true; }
    bool on_uint64(std::uint64_t, sv, ec_t&) { return true; }
    bool on_double(double, sv, ec_t&) { return true; }
    bool on_bool(bool, ec_t&) { return true; }
    bool on_null(ec_t&) { return true; }
    bool on_comment_part(sv, ec_t&) { return true; }
    bool on_comment(sv, ec_t&) { return true; }
};

// 20 union objects; the discriminator first (streamed) or last (the object is captured first).
std::string make_union_document(bool discriminator_first)
{
    std::string s = "[";
    for (int i = 0; i < 20; ++i) {
        if (i != 0)
            s += ',';
        bool pick = i % 2 == 0;
        std::string kind = std::string("\"kind\":\"") + (pick ? "pickup" : "courier") + "\"";
        std::string rest = pick ? "\"store\":\"Downtown store number " + std::to_string(i) + "\",\"slot\":" +
                                      std::to_string(1000 + i)
                                : "\"address\":\"" + std::to_string(i) +
                                      " Long Street, Springfield\",\"instructions\":\"Ring the bell twice\"";
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&& at -O3.
        s += '{';
        s += discriminator_first ? kind : rest;
        s += ',';
        s += discriminator_first ? rest : kind;
        s += '}';
    }
    s += ']';
    return s;
}

volatile std::size_t sink; // keeps the optimizer from dropping the work

} // namespace

int main(int argc, char** argv)
{
    int rounds = argc > 1 ? std::atoi(argv[1]) : 200;
    if (rounds <= 0)
        rounds = 200;
    constexpr int batch = 200;

    const std::string doc = make_document();
    const double mb = static_cast<double>(doc.size()) / 1e6;

    // Both routes must agree before anything is timed.
    std::vector<bench::order> a;
    if (auto f = specbound::json::decode(doc, a)) {
        std::fprintf(stderr, "decode failed at %s: %s\n", f->pointer.c_str(), f->message.c_str());
        return 1;
    }
    auto b = boost::json::value_to<std::vector<bench::order>>(boost::json::parse(doc));
    if (a != b || a.size() != 20) {
        std::fprintf(stderr, "the two decoders disagree\n");
        return 1;
    }

    auto [t_ours, t_boost, t_floor] = best_of(
        rounds, batch,
        [&] {
            std::vector<bench::order> v;
            if (specbound::json::decode(doc, v))
                throw std::runtime_error("decode failed");
            sink = v.size();
        },
        [&] {
            auto v = boost::json::value_to<std::vector<bench::order>>(boost::json::parse(doc));
            sink = v.size();
        },
        [&] {
            boost::json::basic_parser<null_handler> p(boost::json::parse_options{});
            boost::json::error_code ec;
            sink = p.write_some(false, doc.data(), doc.size(), ec);
        });

    std::string encoded = specbound::json::encode(a);
    // Same documents up to number spelling (27 vs 2.7E1): compare what they decode to.
    std::vector<bench::order> c;
    if (specbound::json::decode(encoded, c) || c != a ||
        boost::json::value_to<std::vector<bench::order>>(boost::json::parse(encoded)) != a) {
        std::fprintf(stderr, "encoding does not round-trip\n");
        return 1;
    }
    auto [t_enc, t_enc_boost] = best_of(
        rounds, batch,
        [&] {
            std::string s;
            specbound::json::encode(a, s);
            sink = s.size();
        },
        [&] {
            std::string s = boost::json::serialize(boost::json::value_from(a));
            sink = s.size();
        });
    const double emb = static_cast<double>(encoded.size()) / 1e6;

    std::printf("document: %zu bytes, 20 objects of 6 fields; best of %d rounds x %d\n", doc.size(), rounds, batch);
    std::printf("decode  specbound::json::decode          %8.1f MB/s  (%.2f us/doc)\n", mb / t_ours, t_ours * 1e6);
    std::printf("decode  boost::json::parse + value_to     %8.1f MB/s  (%.2f us/doc)\n", mb / t_boost, t_boost * 1e6);
    std::printf("decode  ratio specbound / boost           %8.2fx\n", t_boost / t_ours);
    std::printf("parse   boost::json::basic_parser, no output %5.1f MB/s  (%.2f us/doc: the floor of both)\n",
                mb / t_floor, t_floor * 1e6);
    std::printf("encode  specbound::json::encode          %8.1f MB/s  (%.2f us/doc)\n", emb / t_enc, t_enc * 1e6);
    std::printf("encode  boost::json::value_from+serialize %8.1f MB/s  (%.2f us/doc)\n", emb / t_enc_boost,
                t_enc_boost * 1e6);
    std::printf("encode  ratio specbound / boost           %8.2fx\n", t_enc_boost / t_enc);

    const std::string first = make_union_document(true), last = make_union_document(false);
    std::vector<bench::delivery> u1, u2;
    if (specbound::json::decode(first, u1) || specbound::json::decode(last, u2) || u1 != u2 || u1.size() != 20) {
        std::fprintf(stderr, "union documents do not decode alike\n");
        return 1;
    }
    auto [t_first, t_last] = best_of(
        rounds, batch,
        [&] {
            std::vector<bench::delivery> v;
            if (specbound::json::decode(first, v))
                throw std::runtime_error("decode failed");
            sink = v.size();
        },
        [&] {
            std::vector<bench::delivery> v;
            if (specbound::json::decode(last, v))
                throw std::runtime_error("decode failed");
            sink = v.size();
        });
    const double umb = static_cast<double>(first.size()) / 1e6;
    std::printf("union   discriminator first (streamed)    %8.1f MB/s  (%.2f us/doc, %zu bytes)\n", umb / t_first,
                t_first * 1e6, first.size());
    std::printf("union   discriminator last (captured)     %8.1f MB/s  (%.2f us/doc)\n", umb / t_last, t_last * 1e6);
    std::printf("union   ratio first / last                %8.2fx\n", t_last / t_first);
    return 0;
}
