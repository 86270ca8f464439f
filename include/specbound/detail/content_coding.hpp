// Content-Encoding of bodies (RFC 9110 8.4): gzip and deflate through zlib, both ways. Pure
// computation: the call engine decides when to use it (compression_options).
#pragma once

#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/transport.hpp>

#include <boost/beast/http/field.hpp>

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace specbound::detail {

enum class content_coding { gzip, deflate };

enum class inflate_status { ok, too_large, corrupt };

/// Inflates a body fed in pieces. gzip may hold several members one after another (RFC 1952);
/// deflate is zlib-wrapped as RFC 9110 says, or raw as some servers send it.
class inflater {
public:
    explicit inflater(content_coding coding) : coding_(coding)
    {
        ok_ = inflateInit2(&z_, coding == content_coding::gzip ? 16 + MAX_WBITS : MAX_WBITS) == Z_OK;
        if (!ok_)
            why_ = "zlib could not start";
    }
    inflater(const inflater&) = delete;
    inflater& operator=(const inflater&) = delete;
    ~inflater() { inflateEnd(&z_); }

    /// Inflates `in`, handing each decoded piece to `out(std::string_view)`, which returns false to
    /// stop (e.g. past a limit). False when the data is corrupt (why()) or `out` stopped.
    template <class Out>
    bool feed(std::string_view in, Out&& out)
    {
        if (!ok_)
            return false;
        if (coding_ == content_coding::deflate && !decided_) {
            // RFC 9110 says zlib-wrapped; some servers send raw deflate. The first two bytes tell.
            while (head_.size() < 2 && !in.empty()) {
                head_ += in.front();
                in.remove_prefix(1);
            }
            if (head_.size() < 2)
                return true;
            decided_ = true;
            const auto cmf = static_cast<unsigned char>(head_[0]), flg = static_cast<unsigned char>(head_[1]);
            const bool zlib_header = (cmf & 0x0f) == 8 && (cmf * 256u + flg) % 31u == 0;
            if (!zlib_header && inflateReset2(&z_, -MAX_WBITS) != Z_OK)
                return fail("zlib could not restart");
            if (!inflate_bytes(head_, out))
                return false;
        }
        return inflate_bytes(in, out);
    }

    /// The input is over: false when a stream was left unfinished (or there was none).
    bool finish()
    {
        if (ok_ && !ended_)
            return fail(total_in_ == 0 && head_.empty() ? "the compressed body is empty" : "the compressed body ends early");
        return ok_;
    }

    [[nodiscard]] const std::string& why() const noexcept { return why_; }

private:
    template <class Out>
    bool inflate_bytes(std::string_view in, Out& out)
    {
        std::size_t consumed = 0;
        char chunk[16 * 1024];
        while (consumed < in.size()) {
            if (ended_) {
                if (coding_ != content_coding::gzip)
                    return fail("bytes after the end of the deflate stream");
                if (inflateReset(&z_) != Z_OK) // another gzip member follows
                    return fail("zlib could not restart");
                ended_ = false;
            }
            const std::size_t remaining = in.size() - consumed;
            z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
            z_.avail_in = static_cast<uInt>(std::min<std::size_t>(remaining, UINT_MAX));
            const uInt fed = z_.avail_in;
            z_.next_out = reinterpret_cast<Bytef*>(chunk);
            z_.avail_out = sizeof chunk;
            const int rc = inflate(&z_, Z_NO_FLUSH);
            const std::size_t produced = sizeof chunk - z_.avail_out;
            consumed += fed - z_.avail_in;
            total_in_ += fed - z_.avail_in;
            if (produced > 0 && !out(std::string_view(chunk, produced)))
                return false;
            if (rc == Z_STREAM_END)
                ended_ = true;
            else if (rc != Z_OK && !(rc == Z_BUF_ERROR && consumed == in.size()))
                return fail(z_.msg ? z_.msg : "invalid compressed data");
        }
        return true;
    }

    bool fail(std::string why)
    {
        ok_ = false;
        why_ = std::move(why);
        return false;
    }

    content_coding coding_;
    z_stream z_{};
    bool ok_ = false;
    bool ended_ = false;   // the current stream (gzip member) reached its end
    bool decided_ = false; // deflate: zlib-wrapped or raw, from the first two bytes
    std::string head_;     // deflate: those two bytes
    std::size_t total_in_ = 0;
    std::string why_;
};

/// Inflates `in` into `out` (appended). Stops with too_large as soon as `out` would pass
/// `limit`, so a small body that expands without end costs at most `limit` bytes; `why` says what
/// was corrupt.
inline inflate_status inflate_body(std::string_view in, content_coding coding, std::size_t limit, std::string& out,
                                   std::string& why)
{
    inflater z(coding);
    const std::size_t start = out.size();
    bool too_large = false;
    const bool fed = z.feed(in, [&](std::string_view piece) {
        if (out.size() - start + piece.size() > limit) {
            too_large = true;
            return false;
        }
        out.append(piece);
        return true;
    });
    if (too_large)
        return inflate_status::too_large;
    if (!fed || !z.finish()) {
        why = z.why();
        return inflate_status::corrupt;
    }
    return inflate_status::ok;
}

/// `in` as one gzip member.
inline std::string gzip_body(std::string_view in, int level = Z_DEFAULT_COMPRESSION)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::bad_alloc();
    struct guard {
        z_stream* z;
        ~guard() { deflateEnd(z); }
    } end{&z};
    std::string out;
    char chunk[16 * 1024];
    std::size_t consumed = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        const std::size_t remaining = in.size() - consumed;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
        z.avail_in = static_cast<uInt>(std::min<std::size_t>(remaining, UINT_MAX));
        const uInt fed = z.avail_in;
        const bool last = remaining == fed;
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
        consumed += fed - z.avail_in;
        out.append(chunk, sizeof chunk - z.avail_out);
        if (rc == Z_STREAM_ERROR)
            throw std::bad_alloc(); // only on a broken stream state; cannot happen with our arguments
    }
    return out;
}

/// The codings of a Content-Encoding value in the order they were applied; `unknown` gets the
/// first one that is neither gzip nor deflate (identity is skipped).
inline std::vector<content_coding> parse_content_encoding(std::string_view value, std::string& unknown)
{
    std::vector<content_coding> out;
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        std::string_view token = trim_ows(value.substr(0, comma));
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        if (token.empty() || iequals(token, "identity"))
            continue;
        if (iequals(token, "gzip") || iequals(token, "x-gzip"))
            out.push_back(content_coding::gzip);
        else if (iequals(token, "deflate"))
            out.push_back(content_coding::deflate);
        else if (unknown.empty())
            unknown = std::string(token.substr(0, 64));
    }
    return out;
}

/// Replaces the body of `res` by its decoded form and drops Content-Encoding; the error that ends
/// the call otherwise: a body past `limit` once decoded (transport_error body_too_large, as for a
/// plain body), a coding we cannot decode or a corrupt body (decode_error content_encoding).
inline std::shared_ptr<const error> decode_content(http_response& res, std::size_t limit, const std::string& context)
{
    using boost::beast::http::field;
    const auto it = res.find(field::content_encoding);
    if (it == res.end())
        return nullptr;
    const int status = static_cast<int>(res.result_int());
    auto refuse = [&](const std::string& why) {
        return std::make_shared<decode_error>(client_errc::content_encoding,
                                              context + ": HTTP " + std::to_string(status) + ": " + why, status, "",
                                              why, res.body());
    };
    std::string unknown;
    std::vector<content_coding> codings = parse_content_encoding(it->value(), unknown);
    if (!unknown.empty())
        return refuse("the body is encoded with '" + unknown + "', which this client does not decode");
    if (codings.size() > 2)
        return refuse("more than two content codings");
    if (res.body().empty()) { // HEAD, 204, 304: nothing to decode
        res.erase(field::content_encoding);
        return nullptr;
    }
    for (auto c = codings.rbegin(); c != codings.rend(); ++c) {
        std::string decoded, why;
        switch (inflate_body(res.body(), *c, limit, decoded, why)) {
        case inflate_status::ok: res.body() = std::move(decoded); break;
        case inflate_status::too_large: return std::make_shared<transport_error>(transport_errc::body_too_large, context, true);
        case inflate_status::corrupt:
            return refuse(std::string("the ") + (*c == content_coding::gzip ? "gzip" : "deflate") + " body is corrupt: " + why);
        }
    }
    res.erase(field::content_encoding);
    res.content_length(res.body().size());
    return nullptr;
}

} // namespace specbound::detail
