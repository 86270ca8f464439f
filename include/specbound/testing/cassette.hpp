// Record and replay: a transport that records real exchanges to a cassette file and replays them
// in tests, so a test of code that calls an API runs without the API.
//
//   specbound::testing::cassette_options co;
//   co.file = "tests/cassettes/list_pets.json";
//   co.mode = specbound::testing::cassette_mode::replay;      // record, replay, record_new
//   co.secrets = specbound::testing::secrets_of(client_opts);  // and any value of your own
//   auto tape = std::make_shared<specbound::testing::cassette_transport>(co);
//   client_opts.transport = tape;                              // record modes: pass the real
//   ...                                                        // transport as the second argument
//   tape->save();                                              // record modes: write the file
//
// The file is JSON, indented, one entry per exchange (request: method, origin, target, headers,
// body; response: status, headers, body, decoded when it came compressed; a body that is not UTF-8
// as body_base64). Nothing secret
// is written: the values of the headers in redact_headers, of the query parameters in
// redact_query, of the JSON or form fields in redact_fields (access_token, client_secret, ...)
// and every occurrence of a value in `secrets` (raw or percent-encoded, anywhere: target, headers,
// bodies) become "[redacted]".
//
// Replay answers a request with the first unused recorded exchange of the same method, origin,
// path and query (and body, with match_body), compared after the same redaction, so a request
// carrying a real key matches the recording of it; an exchange is used once, so retries replay in
// order. A request with no match is a test bug: send() throws cassette_miss naming the request and
// the file (the call ends with it, as with mock_transport), and the text is kept in misses().
// record_new replays what it has and records the rest through the real transport.
#pragma once

#include <specbound/detail/client_config.hpp>
#include <specbound/detail/content_coding.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/options.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbound::testing {

enum class cassette_mode {
    record,     // every request goes to the real transport and is recorded (the file is rewritten)
    replay,     // every request is answered from the file; nothing reaches the network
    record_new, // answered from the file when it can be, else sent and recorded (appended)
};

struct cassette_options {
    std::filesystem::path file;
    cassette_mode mode = cassette_mode::replay;
    /// Also compare request bodies when replaying (off: method, origin, path and query).
    bool match_body = false;
    /// Values scrubbed wherever they appear (tokens, keys, passwords); see secrets_of().
    std::vector<std::string> secrets{};
    std::vector<std::string> redact_headers{"authorization", "proxy-authorization", "cookie", "set-cookie",
                                            "x-api-key", "api-key"};
    std::vector<std::string> redact_query{"api_key", "apikey", "access_token", "token", "key"};
    /// Fields of JSON bodies (at any depth) and of form bodies.
    std::vector<std::string> redact_fields{"access_token", "refresh_token", "id_token", "client_secret", "password"};
};

/// The secrets configured in `options` (bearer tokens, API keys, passwords, client secrets), as
/// the client's own log redaction knows them.
inline std::vector<std::string> secrets_of(const client_options& options)
{
    return detail::secret_values(options);
}

/// A request the cassette has no exchange for (replay), or a file it cannot use.
class cassette_miss : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

class cassette_transport final : public transport {
public:
    /// Loads `options.file` for the replay modes (a missing file is an empty cassette for
    /// record_new, an error for replay); `inner` is the real transport of the record modes.
    /// Throws cassette_miss for a file that is not a cassette.
    explicit cassette_transport(cassette_options options, std::shared_ptr<transport> inner = nullptr)
        : options_(std::move(options)), inner_(std::move(inner))
    {
        if (options_.mode != cassette_mode::replay && !inner_)
            throw std::invalid_argument("cassette_transport: the record modes need the real transport");
        if (options_.mode == cassette_mode::record)
            return;
        std::ifstream in(options_.file, std::ios::binary);
        if (!in) {
            if (options_.mode == cassette_mode::replay)
                throw cassette_miss("cassette " + options_.file.string() + " cannot be read");
            return;
        }
        std::stringstream text;
        text << in.rdbuf();
        load(text.str());
    }

    boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                  const attempt_limits& limits) override
    {
        const entry live = redacted(to, request);
        if (options_.mode != cassette_mode::record) {
            std::unique_lock lock(mutex_);
            for (std::size_t i = 0; i < entries_.size(); ++i) {
                if (used_[i] || !matches(entries_[i], live))
                    continue;
                used_[i] = true;
                ++replayed_;
                transport_result r;
                r.request_sent = true;
                r.response = to_response(entries_[i]);
                co_return r;
            }
            if (options_.mode == cassette_mode::replay) {
                std::string what = "cassette " + options_.file.string() + " has no unused exchange for " +
                                   live.method + " " + live.origin + live.target;
                misses_.push_back(what);
                throw cassette_miss(what);
            }
        }
        // A body to record must come back whole: a download's stream gets it from the engine after.
        attempt_limits buffered = limits;
        buffered.stream = nullptr;
        transport_result r = co_await inner_->send(to, request, buffered);
        if (!r.ec) {
            // Recorded decoded: secrets inside a compressed body must be seen to be scrubbed.
            http_response res = r.response;
            (void)detail::decode_content(res, limits.body_limit, "cassette"); // a corrupt body stays as sent
            entry e = live;
            e.status = res.result_int();
            for (const auto& f : res.base())
                e.response_headers.emplace_back(std::string(f.name_string()), redact_header(f.name_string(), f.value()));
            e.response_body = scrub_body(res.body(), res[boost::beast::http::field::content_type]);
            std::unique_lock lock(mutex_);
            entries_.push_back(std::move(e));
            used_.push_back(true);
            ++recorded_;
            dirty_ = true;
        }
        co_return r;
    }

    /// Writes the cassette (record modes; a no-op when nothing was recorded), whole or not at all.
    void save()
    {
        std::unique_lock lock(mutex_);
        if (options_.mode == cassette_mode::replay || !dirty_)
            return;
        const std::filesystem::path tmp = options_.file.string() + ".tmp";
        if (options_.file.has_parent_path())
            std::filesystem::create_directories(options_.file.parent_path());
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << to_text();
            out.close();
            if (!out)
                throw std::runtime_error("cassette: cannot write " + tmp.string());
        }
        std::filesystem::rename(tmp, options_.file);
        dirty_ = false;
    }

    [[nodiscard]] std::size_t recorded() const { std::unique_lock lock(mutex_); return recorded_; }
    [[nodiscard]] std::size_t replayed() const { std::unique_lock lock(mutex_); return replayed_; }
    [[nodiscard]] std::size_t size() const { std::unique_lock lock(mutex_); return entries_.size(); }
    /// Requests replay found no exchange for, as the text of their cassette_miss.
    [[nodiscard]] std::vector<std::string> misses() const { std::unique_lock lock(mutex_); return misses_; }

private:
    using fields = std::vector<std::pair<std::string, std::string>>;
    static constexpr std::string_view redacted_text = "[redacted]";

    struct entry {
        std::string method, origin, target, request_body;
        fields request_headers;
        unsigned status = 0;
        fields response_headers;
        std::string response_body;
    };

    // ---- redaction ------------------------------------------------------------------------

    [[nodiscard]] bool listed(const std::vector<std::string>& names, std::string_view name) const
    {
        for (const auto& n : names)
            if (detail::iequals(n, name))
                return true;
        return false;
    }

    /// Every configured secret, raw and percent-encoded, replaced in `text`.
    [[nodiscard]] std::string scrub(std::string text) const
    {
        for (const auto& secret : options_.secrets) {
            if (secret.empty())
                continue;
            for (const std::string& form : {secret, detail::pct(secret)})
                for (std::size_t at = text.find(form); at != std::string::npos;
                     at = text.find(form, at + redacted_text.size()))
                    text.replace(at, form.size(), redacted_text);
        }
        return text;
    }

    [[nodiscard]] std::string redact_header(std::string_view name, std::string_view value) const
    {
        return listed(options_.redact_headers, name) ? std::string(redacted_text) : scrub(std::string(value));
    }

    [[nodiscard]] std::string redact_target(std::string_view target) const
    {
        auto parsed = boost::urls::parse_origin_form(target);
        if (!parsed)
            return scrub(std::string(target));
        boost::urls::url u = *parsed;
        for (auto it = u.params().begin(); it != u.params().end(); ++it)
            if (listed(options_.redact_query, (*it).key) && (*it).has_value)
                it = u.params().replace(it, {(*it).key, redacted_text});
        return scrub(std::string(u.encoded_target()));
    }

    /// Whether it replaced anything.
    bool redact_json(boost::json::value& v) const
    {
        bool changed = false;
        if (auto* o = v.if_object()) {
            for (auto& [key, member] : *o) {
                if (listed(options_.redact_fields, key) && !member.is_null()) {
                    member = redacted_text;
                    changed = true;
                } else {
                    changed = redact_json(member) || changed;
                }
            }
        } else if (auto* a = v.if_array()) {
            for (auto& item : *a)
                changed = redact_json(item) || changed;
        }
        return changed;
    }

    /// A body with its secret fields redacted (JSON at any depth, form pairs), then scrubbed.
    [[nodiscard]] std::string scrub_body(const std::string& body, std::string_view content_type) const
    {
        if (body.empty())
            return body;
        const std::string_view essence = detail::trim_ows(content_type.substr(0, content_type.find(';')));
        if (detail::iequals(essence, "application/x-www-form-urlencoded") && boost::urls::parse_query(body)) {
            boost::urls::url u;
            u.set_encoded_query(body);
            for (auto it = u.params().begin(); it != u.params().end(); ++it)
                if (listed(options_.redact_fields, (*it).key) && (*it).has_value)
                    it = u.params().replace(it, {(*it).key, redacted_text});
            return scrub(std::string(u.encoded_query()));
        }
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(body, ec);
        if (!ec && redact_json(v))
            return scrub(boost::json::serialize(v)); // otherwise kept as written
        return scrub(body);
    }

    [[nodiscard]] entry redacted(const origin& to, const http_request& request) const
    {
        entry e;
        e.method = std::string(request.method_string());
        e.origin = to.scheme + "://" + detail::host_port(to.host, to.port);
        e.target = redact_target(request.target());
        for (const auto& f : request.base())
            e.request_headers.emplace_back(std::string(f.name_string()), redact_header(f.name_string(), f.value()));
        e.request_body = scrub_body(request.body(), request[boost::beast::http::field::content_type]);
        return e;
    }

    [[nodiscard]] bool matches(const entry& recorded, const entry& live) const
    {
        return recorded.method == live.method && recorded.origin == live.origin && recorded.target == live.target &&
               (!options_.match_body || recorded.request_body == live.request_body);
    }

    static http_response to_response(const entry& e)
    {
        http_response res{static_cast<boost::beast::http::status>(e.status), 11};
        for (const auto& [name, value] : e.response_headers)
            res.insert(name, value);
        res.body() = e.response_body;
        res.content_length(res.body().size()); // the recorded framing (chunked) is gone
        res.erase(boost::beast::http::field::transfer_encoding);
        return res;
    }

    // ---- the file -------------------------------------------------------------------------

    static bool valid_utf8(std::string_view s)
    {
        for (std::size_t i = 0; i < s.size();) {
            const auto c = static_cast<unsigned char>(s[i]);
            const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
            if (n == 0 || i + n > s.size())
                return false;
            for (std::size_t k = 1; k < n; ++k)
                if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                    return false;
            i += n;
        }
        return true;
    }

    static void put_body(boost::json::object& o, const std::string& body)
    {
        if (valid_utf8(body)) {
            o["body"] = body;
            return;
        }
        std::string b64(boost::beast::detail::base64::encoded_size(body.size()), '\0');
        b64.resize(boost::beast::detail::base64::encode(b64.data(), body.data(), body.size()));
        o["body_base64"] = b64;
    }

    static std::string get_body(const boost::json::object& o)
    {
        if (const auto* b = o.if_contains("body"))
            return std::string(b->as_string());
        if (const auto* b = o.if_contains("body_base64")) {
            const boost::json::string& s = b->as_string();
            std::string out(boost::beast::detail::base64::decoded_size(s.size()), '\0');
            out.resize(boost::beast::detail::base64::decode(out.data(), s.data(), s.size()).first);
            return out;
        }
        return {};
    }

    static boost::json::array to_json(const fields& f)
    {
        boost::json::array out;
        for (const auto& [name, value] : f)
            out.push_back(boost::json::array{boost::json::string_view(name), boost::json::string_view(value)});
        return out;
    }

    static fields from_json(const boost::json::value& v)
    {
        fields out;
        for (const auto& pair : v.as_array()) {
            const auto& p = pair.as_array();
            out.emplace_back(std::string(p.at(0).as_string()), std::string(p.at(1).as_string()));
        }
        return out;
    }

    /// Indented JSON: a cassette is read and reviewed by people.
    static void pretty(const boost::json::value& v, std::string& out, int indent)
    {
        const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
        if (const auto* o = v.if_object(); o && !o->empty()) {
            out += "{\n";
            std::size_t i = 0;
            for (const auto& [key, member] : *o) {
                out += pad + boost::json::serialize(boost::json::string_view(key)) + ": ";
                pretty(member, out, indent + 2);
                out += ++i < o->size() ? ",\n" : "\n";
            }
            out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
        } else if (const auto* a = v.if_array(); a && !a->empty() && !a->at(0).is_string()) {
            out += "[\n";
            for (std::size_t i = 0; i < a->size(); ++i) {
                out += pad;
                pretty((*a)[i], out, indent + 2);
                out += i + 1 < a->size() ? ",\n" : "\n";
            }
            out += std::string(static_cast<std::size_t>(indent), ' ') + "]";
        } else {
            out += boost::json::serialize(v); // scalars, and [name, value] pairs on one line
        }
    }

    [[nodiscard]] std::string to_text() const
    {
        boost::json::array exchanges;
        for (const entry& e : entries_) {
            boost::json::object req{{"method", e.method}, {"origin", e.origin}, {"target", e.target},
                                    {"headers", to_json(e.request_headers)}};
            put_body(req, e.request_body);
            boost::json::object res{{"status", e.status}, {"headers", to_json(e.response_headers)}};
            put_body(res, e.response_body);
            exchanges.push_back(boost::json::object{{"request", std::move(req)}, {"response", std::move(res)}});
        }
        std::string out;
        pretty(boost::json::object{{"specbound_cassette", 1}, {"exchanges", std::move(exchanges)}}, out, 0);
        return out + "\n";
    }

    void load(const std::string& text)
    {
        try {
            const boost::json::value root = boost::json::parse(text);
            if (root.at("specbound_cassette").to_number<int>() != 1)
                throw cassette_miss("version");
            for (const auto& x : root.at("exchanges").as_array()) {
                const auto& req = x.at("request").as_object();
                const auto& res = x.at("response").as_object();
                entry e;
                e.method = std::string(req.at("method").as_string());
                e.origin = std::string(req.at("origin").as_string());
                e.target = std::string(req.at("target").as_string());
                e.request_headers = from_json(req.at("headers"));
                e.request_body = get_body(req);
                e.status = res.at("status").to_number<unsigned>();
                if (e.status < 100 || e.status > 999)
                    throw cassette_miss("status");
                e.response_headers = from_json(res.at("headers"));
                e.response_body = get_body(res);
                entries_.push_back(std::move(e));
            }
        } catch (const std::exception& e) {
            throw cassette_miss("cassette " + options_.file.string() + " is not a specbound cassette (" + e.what() + ")");
        }
        used_.assign(entries_.size(), false);
    }

    cassette_options options_;
    std::shared_ptr<transport> inner_;
    mutable std::mutex mutex_;
    std::vector<entry> entries_;
    std::vector<bool> used_;
    std::vector<std::string> misses_;
    std::size_t recorded_ = 0, replayed_ = 0;
    bool dirty_ = false;
};

} // namespace specbound::testing
