// Fuzz target: the bytes a server sends, through everything the client does with them.
//
// Input: byte 0 chooses the operation, byte 1 the client's options and how many bytes each read
// returns; the rest is what the server sends, one exchange after another, separated by
// "\n=====\n" (see `wire`). An exchange that starts with byte 1, 2 or 3 (not part of what is
// read) has its body re-encoded by the harness as valid gzip, valid deflate, or gzip cut in half,
// so that inflating reaches real streams and the decoders behind them, not only corrupt ones. One call runs through the call engine with no socket: each `send`
// step reads the next exchange's bytes from a Beast test stream with a Beast response_parser
// configured as beast_transport::exchange configures it (header limit, body limit, HEAD, interim
// 1xx answers, a body ended by EOF, read errors mapped by map_read_error), each `obtain_token` step
// reads the token endpoint's answer the same way (parse_token_response, oauth2_token_state). Every
// response also goes through parse_retry_after, decode_content and handle_response<Op> for every
// operation, through the download path (download_stream, in pieces) which must agree with
// decode_content byte for byte, and through the event-stream parser, which must find the same
// events whole and in pieces.
//
// Errors are values: any exception escaping, a failed result without an error, or a failed step
// without a failure is a finding (abort). ASan and UBSan watch the rest.

// The transport's declarations only (map_read_error, its default options): no coroutine of the
// transport runs here, and the definitions would only add compile time.
#define SPECBOUND_SEPARATE_COMPILATION
#include <specbound/detail/call_engine.hpp>
#include <specbound/detail/client_config.hpp>
#include <specbound/detail/content_coding.hpp>
#include <specbound/detail/download_stream.hpp>
#include <specbound/detail/sse_parser.hpp>
#include <specbound/detail/oauth2.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/detail/retry_after.hpp>
#include <specbound/http/beast_transport.hpp>

#include "test_api.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <zlib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// A HEAD operation, for the parser's skip(true) and bodiless answers. Outside the anonymous
// namespace: clang warns about its unused static members there.
namespace fuzz_head {
using namespace specbound;
struct check_pet_request {
    std::string pet_id;
};
namespace ops {
struct check_pet {
    static constexpr std::string_view operation_id = "checkPet";
    static constexpr std::string_view name = "check_pet";
    static constexpr http_method method = http_method::head;
    static constexpr std::string_view path = "/pets/{petId}";
    using request_type = check_pet_request;
    using response_type = no_content;
    static constexpr std::tuple parameters{
        param<&check_pet_request::pet_id>{"petId", param_in::path, param_style::simple, false, true}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{response<200, no_content>{},
                                          response<status_default, testapi::api_problem>{"application/json"}};
    static constexpr std::array<security_requirement, 0> security{};
    static constexpr std::array<std::string_view, 1> tags{"pets"};
    static constexpr bool deprecated = false;
};
} // namespace ops
} // namespace fuzz_head

namespace {

namespace bhttp = boost::beast::http;
using namespace specbound;
using namespace specbound::detail;
using clock_type = std::chrono::steady_clock;

[[noreturn]] void finding(std::string_view what)
{
    std::fprintf(stderr, "http_response: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

// ---- the wire -------------------------------------------------------------------------------

boost::asio::io_context& io()
{
    static boost::asio::io_context ioc;
    return ioc;
}

/// What the server sends, one exchange after another: the bytes up to each "\n=====\n" are what
/// one attempt (or token request) reads. An attempt reads them on a new connection, or on the
/// connection of the previous exchange when the transport would have pooled it (keep-alive, nothing
/// read past the response); a connection that ran out of bytes was closed by the server.
struct wire {
    static constexpr std::string_view separator = "\n=====\n";
    enum class coding : std::uint8_t { as_sent, gzip, deflate, gzip_cut };

    std::string_view rest;
    std::size_t read_size;
    bool reused = false;
    coding encode = coding::as_sent; // of the exchange next_bytes() returned last

    std::string_view next_bytes()
    {
        const std::size_t at = rest.find(separator);
        std::string_view bytes = rest.substr(0, at);
        rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + separator.size());
        encode = coding::as_sent;
        if (!bytes.empty() && bytes[0] >= 1 && bytes[0] <= 3) {
            encode = static_cast<coding>(bytes[0]);
            bytes.remove_prefix(1);
        }
        return bytes;
    }
};

/// The body as a server that compresses would send it (the parser has read it already: the framing
/// of the bytes stays the fuzzer's, the content becomes a real compressed stream).
void encode_body(http_response& res, wire::coding c)
{
    if (c == wire::coding::as_sent || res.body().empty())
        return;
    std::string& body = res.body();
    if (c == wire::coding::deflate) {
        uLongf size = compressBound(static_cast<uLong>(body.size()));
        std::string out(size, '\0');
        if (compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(body.data()),
                     static_cast<uLong>(body.size())) != Z_OK)
            finding("zlib compress failed");
        out.resize(size);
        body = std::move(out);
        res.set(bhttp::field::content_encoding, "deflate");
    } else {
        body = gzip_body(body);
        if (c == wire::coding::gzip_cut)
            body.resize(body.size() / 2);
        res.set(bhttp::field::content_encoding, "gzip");
    }
    res.content_length(body.size());
}

/// One exchange as beast_transport::exchange reads it (the request is taken as written).
transport_result exchange(wire& w, bool head, std::size_t header_limit, std::size_t body_limit)
{
    boost::beast::test::stream stream(io(), w.next_bytes());
    stream.read_size(w.read_size);
    stream.close_remote();
    boost::beast::flat_buffer buffer;
    transport_result out;
    out.request_sent = true;
    out.connection_reused = std::exchange(w.reused, false);
    for (int interim = 0;; ++interim) {
        bhttp::response_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(header_limit, 0xffffffffu)));
        parser.body_limit(body_limit);
        if (head)
            parser.skip(true);
        boost::system::error_code rec;
        bhttp::read(stream, buffer, parser, rec);
        out.response_started = out.response_started || parser.got_some() || buffer.size() != 0;
        bool ended_by_eof = false;
        if (rec == boost::asio::error::eof && parser.is_header_done() && parser.need_eof()) {
            boost::system::error_code eof_ec;
            parser.put_eof(eof_ec);
            if (!eof_ec) {
                rec = {};
                ended_by_eof = true;
            }
        }
        if (rec) {
            out.ec = http::detail::map_read_error(rec, out.response_started, false);
            return out;
        }
        const unsigned status = parser.get().result_int();
        if (status >= 100 && status < 200 && status != 101) {
            if (interim >= 8) {
                out.ec = transport_errc::malformed_response;
                return out;
            }
            continue;
        }
        const bool keep_alive = !ended_by_eof && !parser.need_eof() && parser.get().keep_alive() && status != 101;
        w.reused = keep_alive && buffer.size() == 0;
        out.response = parser.release();
        encode_body(out.response, w.encode);
        return out;
    }
}

// ---- what the client does with a response -----------------------------------------------------

template <class Op>
void handle_as(const http_response& res)
{
    result<typename Op::response_type> r = handle_response<Op>(res, operation_context<Op>());
    if (!r && !r.error_ptr())
        finding("handle_response returned neither a value nor an error");
}

/// A download's sink that keeps what it is given.
struct collecting_sink final : body_sink {
    std::string bytes;
    bool restart() override
    {
        bytes.clear();
        return true;
    }
    boost::system::error_code write(std::span<const char> b) override
    {
        bytes.append(b.data(), b.size());
        return {};
    }
};

/// The body as a download receives it: in pieces of `piece` bytes through download_stream.
/// nullopt when the stream does not take it (not a 2xx) or refuses it (encoding, limit).
std::optional<std::string> streamed_body(const http_response& res, std::size_t body_limit, std::size_t piece)
{
    collecting_sink sink;
    static const std::string context = "inspect";
    download_stream stream(sink, body_limit, context);
    stream.reset();
    if (!stream.accept(res.base()))
        return std::nullopt;
    const std::string& raw = res.body();
    for (std::size_t at = 0; at < raw.size() && !stream.failure(); at += piece)
        (void)stream.write(std::span<const char>(raw.data() + at, std::min(piece, raw.size() - at)));
    if (!stream.failure())
        (void)stream.finish();
    if (sink.bytes.size() > body_limit)
        finding("download_stream gave the sink more than the limit");
    if (stream.failure())
        return std::nullopt;
    return std::move(sink.bytes);
}

/// Server-sent events from `text`, fed in pieces of `piece` bytes.
std::vector<sse_fields> events_of(std::string_view text, std::size_t piece)
{
    sse_parser parser(64 * 1024);
    std::vector<sse_fields> out;
    for (std::size_t at = 0; at < text.size(); at += piece)
        if (!parser.feed(text.substr(at, piece), [&](sse_fields&& f) { out.push_back(std::move(f)); }))
            break;
    return out;
}

void inspect(http_response res, std::size_t body_limit)
{
    // A fixed "now": the same input gives the same run.
    const std::chrono::system_clock::time_point now{std::chrono::seconds{1'700'000'000}};
    (void)parse_retry_after(res.base(), now);
    // The same body as a download would stream it, in pieces of 1 to 97 bytes.
    const std::size_t piece = 1 + res.body().size() % 97;
    const std::optional<std::string> streamed = streamed_body(res, body_limit, piece);
    // As the engine does with the final response; what follows reads the decoded body.
    if (decode_content(res, body_limit, "inspect")) {
        if (res.body().size() > body_limit)
            finding("decode_content failed after growing the body past the limit");
        if (streamed)
            finding("a body decode_content refuses was streamed");
        return;
    }
    if (res.body().size() > body_limit)
        finding("decode_content produced a body past the limit");
    const unsigned status = res.result_int();
    if (status >= 200 && status < 300 && (!streamed || *streamed != res.body()))
        finding("streamed and buffered decoding disagree");
    // Server-sent events: the same events however the text is cut.
    if (res.body().size() <= 64 * 1024) {
        const auto whole = events_of(res.body(), res.body().size() + 1);
        const auto cut = events_of(res.body(), piece);
        if (whole.size() != cut.size())
            finding("event stream parsed differently in pieces");
        for (std::size_t i = 0; i < whole.size() && i < cut.size(); ++i)
            if (whole[i].data != cut[i].data || whole[i].type != cut[i].type || whole[i].id != cut[i].id)
                finding("an event parsed differently in pieces");
    }
    handle_as<testapi::ops::list_pets>(res);
    handle_as<testapi::ops::show_pet>(res);
    handle_as<testapi::ops::create_pet>(res);
    handle_as<testapi::ops::delete_pet>(res);
    handle_as<testapi::ops::login>(res);
    handle_as<testapi::ops::upload>(res);
    handle_as<fuzz_head::ops::check_pet>(res);
}

// ---- the client -------------------------------------------------------------------------------

enum option_bits : std::uint8_t {
    no_redirects = 1,
    debug_logs = 2,
    small_body_limit = 4,
    idempotency_keys = 8,
    overall_deadline = 16,
    https_to_http = 32,
};

/// One client configuration per combination of option bits, made on first use.
const client_config& config_for(std::uint8_t bits)
{
    static std::array<std::unique_ptr<client_config>, 64> configs;
    std::unique_ptr<client_config>& c = configs[bits & 63];
    if (!c) {
        client_options o;
        o.credentials = {bearer_token{"bearer-secret", "bearerAuth"}, api_key{"key-secret"},
                         basic_auth{"user", "basic-secret"}, oauth2_client_credentials{"client", "client-secret"}};
        o.redirects.follow = (bits & no_redirects) == 0;
        o.redirects.allow_https_to_http = (bits & https_to_http) != 0;
        if (bits & debug_logs) {
            // SPECBOUND_FUZZ_TRACE=1 prints the log of calls with this bit, to see what an input does.
            static const bool trace = std::getenv("SPECBOUND_FUZZ_TRACE") != nullptr;
            o.logging.sink = [](log_level, std::string_view line) {
                if (trace)
                    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
            };
            o.logging.level = log_level::trace;
            o.logging.headers = true;
        }
        if (bits & small_body_limit)
            o.body_limit = 256;
        o.retry.idempotency_keys = (bits & idempotency_keys) != 0;
        if (bits & overall_deadline)
            o.timeouts.overall = std::chrono::seconds{10};
        c = std::make_unique<client_config>(testapi::api, std::move(o));
    }
    return *c;
}

/// One call of `Op` against the server's bytes, driven as impl/client.ipp's run_call drives it.
template <class Op>
void call(const client_config& config, typename Op::request_type request, wire& w)
{
    using step = call_engine::step;
    const std::string& context = operation_context<Op>();
    std::optional<typename Op::response_type> value;
    const call_plan plan{{Op::operation_id, Op::method, Op::path},
                         std::span<const security_requirement>(Op::security),
                         context,
                         [&](const base_url& b) { return build_request<Op>(b, request); },
                         &declares_status<Op>,
                         [&](const http_response& r, const std::string& ctx, const std::string&) -> std::shared_ptr<const error> {
                             result<typename Op::response_type> out = handle_response<Op>(r, ctx);
                             if (!out)
                                 return out.error_ptr();
                             value.emplace(std::move(*out));
                             return nullptr;
                         }};
    oauth2_token_state tokens;
    const std::chrono::system_clock::time_point wall{std::chrono::seconds{1'700'000'000}};
    clock_type::time_point now = clock_type::time_point{} + std::chrono::hours{1000};
    const std::size_t header_limit = config.options.http_transport.header_limit;

    call_engine engine(config, plan, 42);
    step next = engine.start(now);
    for (int steps = 0; steps < 64; ++steps) {
        switch (next) {
        case step::send: {
            const bool head = engine.request().method() == bhttp::verb::head;
            transport_result r = exchange(w, head, header_limit, engine.limits().body_limit);
            if (!r.ec)
                inspect(r.response, engine.limits().body_limit);
            now += std::chrono::milliseconds{1};
            next = engine.on_transport(std::move(r), now);
            break;
        }
        case step::obtain_token: {
            const auto& cred = std::get<oauth2_client_credentials>(
                config.options.credentials[engine.token_credential()]);
            result<oauth2_token> token = std::make_shared<auth_error>("no token");
            if (tokens.acquire(cred, wall, engine.stale_token()) == oauth2_token_state::next::use) {
                token = tokens.token();
            } else {
                transport_result r = exchange(w, false, header_limit, config.options.body_limit);
                token = r.ec ? result<oauth2_token>(std::make_shared<auth_error>("OAuth2 token request failed"))
                             : parse_token_response(r.response, wall);
                if (!token && !token.error_ptr())
                    finding("parse_token_response returned neither a token nor an error");
                tokens.fetched(token, cred, wall);
            }
            next = engine.on_token(std::move(token), now);
            break;
        }
        case step::wait:
            now += engine.delay();
            next = engine.on_wait_done(now);
            break;
        case step::done: {
            std::shared_ptr<const error> failure = plan.decode(engine.response(), plan.context, engine.answered_url());
            if (!failure && !value)
                finding("a call decoded without a value or a failure");
            engine.finish(failure, now);
            return;
        }
        case step::fail:
            if (!engine.failure())
                finding("the engine failed the call without a failure");
            engine.finish(engine.failure(), now);
            return;
        }
    }
    finding("the call did not end within 64 steps");
}

testapi::create_pet_request new_pet()
{
    testapi::create_pet_request r;
    r.body = testapi::new_pet{"Rex", std::nullopt};
    return r;
}

testapi::upload_request upload()
{
    testapi::upload_request r;
    r.body.title = "scan";
    r.body.file = {std::byte{1}, std::byte{2}};
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    static constexpr std::array<std::size_t, 4> read_sizes{65536, 1, 7, 100};
    const std::uint8_t op = data[0];
    const std::uint8_t bits = data[1];
    const client_config& config = config_for(bits);
    wire w{std::string_view(reinterpret_cast<const char*>(data + 2), size - 2), read_sizes[bits >> 6]};
    try {
        switch (op % 7) {
        case 0: call<testapi::ops::show_pet>(config, {"7"}, w); break;
        case 1: call<testapi::ops::list_pets>(config, {}, w); break;
        case 2: call<testapi::ops::create_pet>(config, new_pet(), w); break;
        case 3: call<testapi::ops::delete_pet>(config, {7}, w); break;
        case 4: call<testapi::ops::login>(config, {testapi::login_form{"u", "p", std::nullopt}}, w); break;
        case 5: call<testapi::ops::upload>(config, upload(), w); break;
        default: call<fuzz_head::ops::check_pet>(config, {"7"}, w); break;
        }
    } catch (const std::exception& e) {
        finding(std::string("exception: ") + e.what());
    }
    return 0;
}
