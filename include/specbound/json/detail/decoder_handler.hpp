// The decoder's boost::json::basic_parser handler: a stack of frames, one per open JSON object or
// array being decoded into a C++ object, map or vector, each frame's `frame_ops` and the slots
// (type_ops + address) that receive values; failures with their JSON pointer.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/type_traits.hpp>

#include <boost/json/basic_parser.hpp>
#include <boost/json/error.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbound::json {

/// Why decoding failed.
struct decode_failure {
    std::string pointer;    // RFC 6901 JSON pointer of the offending value ("" = root)
    std::string message;    // e.g. "expected string, got number"
    std::size_t offset = 0; // byte offset in the input where it was detected (0 if from a DOM)
};

/// Deepest nesting of arrays and objects accepted, in text and in DOMs.
inline constexpr std::size_t max_depth = 256;

namespace detail {

class decode_handler;
class typed_reader;
struct type_ops;

// Where the next value goes: the functions for its C++ type and its address.
struct slot {
    const type_ops* ops = nullptr;
    void* p = nullptr;
};

struct type_ops {
    // Wrappers (optional, nullable, boxed) only: prepares the wrapped value for a value about to
    // arrive and returns the slot that receives it, or an empty slot when a null was fully
    // consumed (an optional set absent, a nullable set null). nullptr for every other type.
    slot (*resolve)(void* p, bool is_null);
    bool (*on_null)(decode_handler&, void*);
    bool (*on_bool)(decode_handler&, void*, bool);
    bool (*on_int64)(decode_handler&, void*, std::int64_t);
    bool (*on_uint64)(decode_handler&, void*, std::uint64_t);
    bool (*on_double)(decode_handler&, void*, double);
    bool (*on_string)(decode_handler&, void*, std::string_view);
    bool (*on_object)(decode_handler&, void*);
    bool (*on_array)(decode_handler&, void*);
    // A subtree captured because of on_object/on_array (free-form values, unions).
    bool (*on_captured)(decode_handler&, void*, boost::json::value&&);
    // The typed reader's route (decoder_reader.hpp): reads a value of this type from the text.
    // nullptr for wrappers, which the reader reads through `resolve`.
    bool (*read)(typed_reader&, void*);
};

struct frame;

struct frame_ops {
    bool (*on_key)(decode_handler&, frame&, std::string_view); // objects and maps
    slot (*next_element)(frame&);                              // arrays
    bool (*on_end)(decode_handler&, frame&);
    void (*append_segment)(const frame&, std::string&); // this frame's part of a JSON pointer
    bool is_array;
};

struct frame {
    const frame_ops* ops;
    void* target;
    slot next;                      // objects and maps: receives the value of the current key
    std::size_t index;              // objects: current field (npos: none); arrays: elements begun
    const std::string* key;         // maps and additional properties: current key
    std::uint64_t seen;             // objects: fields seen, the first 64
    std::size_t bits;               // objects: offset of the bits of further fields in the handler's pool
    bool is_array;                  // copy of ops->is_array, one load less per value
};

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

inline void append_pointer_token(std::string& out, std::string_view token)
{
    out.push_back('/');
    for (char c : token) {
        if (c == '~')
            out.append("~0");
        else if (c == '/')
            out.append("~1");
        else
            out.push_back(c);
    }
}

// A value quoted for a message, cut so that a huge input cannot make a huge message.
inline std::string quoted(std::string_view s)
{
    constexpr std::size_t limit = 64;
    std::string r = "'";
    if (s.size() > limit) {
        r.append(s.substr(0, limit));
        r.append("...");
    }
    else {
        r.append(s);
    }
    r.push_back('\'');
    return r;
}

template <class N>
std::string number_text(N n)
{
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    return std::string(buf, r.ptr);
}

// Whether Boost.JSON's value of the number `text` is already the nearest double: no exponent and
// at most 16 characters. A double event without an exponent has a '.', so that is at most 15
// digits: Boost.JSON's dec_to_float (1.81) then divides an exact mantissa (< 10^15 < 2^53) by an
// exact power of ten (10^1..10^15), one correctly rounded operation (the fast path of Clinger's
// algorithm), with which from_chars can only agree. Checked for 'e'/'E' eight bytes at a time.
inline bool parsed_exactly(std::string_view text) noexcept
{
    const std::size_t n = text.size();
    if (n > 16)
        return false;
    const char* p = text.data();
    if (n < 4) {
        for (std::size_t i = 0; i < n; ++i)
            if ((p[i] | 0x20) == 'e')
                return false;
        return true;
    }
    // Two (overlapping) loads cover the text: 4+4 bytes up to 8 characters, 8+8 up to 16.
    std::uint64_t a, b;
    if (n >= 8) {
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + n - 8, 8);
    } else {
        std::uint32_t a4, b4;
        std::memcpy(&a4, p, 4);
        std::memcpy(&b4, p + n - 4, 4);
        a = a4 | 0x2020202000000000u; // the padding: spaces, never 'e'
        b = b4 | 0x2020202000000000u;
    }
    // Lower-cased ('E' | 0x20 == 'e'; digits, '.', '-' and '+' keep their values), then XOR 'e':
    // a zero byte where there was an 'e' or 'E'.
    constexpr std::uint64_t lower = 0x2020202020202020u, es = 0x6565656565656565u;
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const std::uint64_t x = (a | lower) ^ es, y = (b | lower) ^ es;
    return ((((x - ones) & ~x) | ((y - ones) & ~y)) & highs) == 0;
}

// The double nearest to the JSON number `text` (std::from_chars rounds correctly), or `parsed`
// when from_chars does not take all of it (out of range: the parser's infinity or zero stands).
inline double correctly_rounded(double parsed, std::string_view text) noexcept
{
    if (parsed_exactly(text))
        return parsed;
    double d = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    return ec == std::errc{} && end == text.data() + text.size() ? d : parsed;
}

class decode_handler {
public:
    static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

    // base_depth: the nesting of the value this handler starts at (nested decoders of unions).
    explicit decode_handler(slot root, std::size_t base_depth = 0) : root_(root), base_depth_(base_depth) {}

    decode_handler(const decode_handler&) = delete;
    decode_handler& operator=(const decode_handler&) = delete;

    // ---- boost::json::basic_parser events ----

    bool on_document_begin(boost::json::error_code&) { return true; }
    bool on_document_end(boost::json::error_code&) { return true; }

    bool on_object_begin(boost::json::error_code& ec)
    {
        if (skip_ != 0) {
            ++skip_;
            return true;
        }
        if (capture_ != 0) {
            ++capture_;
            return true;
        }
        slot s = value_slot(false);
        return s.ops->on_object(*this, s.p) || stop(ec);
    }

    bool on_object_end(std::size_t n, boost::json::error_code& ec)
    {
        if (skip_ != 0) {
            --skip_;
            return true;
        }
        if (capture_ != 0) {
            stack().push_object(n);
            return --capture_ != 0 || finish_capture(ec);
        }
        return pop_frame() || stop(ec);
    }

    bool on_array_begin(boost::json::error_code& ec)
    {
        if (skip_ != 0) {
            ++skip_;
            return true;
        }
        if (capture_ != 0) {
            ++capture_;
            return true;
        }
        slot s = value_slot(false);
        return s.ops->on_array(*this, s.p) || stop(ec);
    }

    bool on_array_end(std::size_t n, boost::json::error_code& ec)
    {
        if (skip_ != 0) {
            --skip_;
            return true;
        }
        if (capture_ != 0) {
            stack().push_array(n);
            return --capture_ != 0 || finish_capture(ec);
        }
        return pop_frame() || stop(ec);
    }

    bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0)
            stack().push_chars(s);
        else
            buf_.append(s.data(), s.size());
        return true;
    }

    bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_key(s);
            return true;
        }
        std::string_view key(s.data(), s.size());
        if (!buf_.empty()) {
            buf_.append(key);
            key = buf_;
        }
        frame& f = *top_;
        bool ok = f.ops->on_key(*this, f, key);
        buf_.clear();
        return ok || stop(ec);
    }

    bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0)
            stack().push_chars(s);
        else
            buf_.append(s.data(), s.size());
        return true;
    }

    bool on_string(boost::json::string_view s, std::size_t, boost::json::error_code& ec)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_string(s);
            return true;
        }
        std::string_view text(s.data(), s.size());
        if (!buf_.empty()) {
            buf_.append(text);
            text = buf_;
        }
        slot v = value_slot(false);
        bool ok = v.ops->on_string(*this, v.p, text);
        buf_.clear();
        return ok || stop(ec);
    }

    bool on_number_part(boost::json::string_view, boost::json::error_code&)
    {
        number_split_ = true;
        return true;
    }

    bool on_int64(std::int64_t i, boost::json::string_view, boost::json::error_code& ec)
    {
        number_split_ = false;
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_int64(i);
            return true;
        }
        slot v = value_slot(false);
        return v.ops->on_int64(*this, v.p, i) || stop(ec);
    }

    bool on_uint64(std::uint64_t u, boost::json::string_view, boost::json::error_code& ec)
    {
        number_split_ = false;
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_uint64(u);
            return true;
        }
        slot v = value_slot(false);
        return v.ops->on_uint64(*this, v.p, u) || stop(ec);
    }

    bool on_double(double d, boost::json::string_view text, boost::json::error_code& ec)
    {
        // Boost.JSON (1.81) reads some texts one unit in the last place off the nearest double
        // (6.922922337203683e-301, which to_chars writes for that double, reads as the next one
        // below): the correctly rounded value of the text when the parser passed all of it.
        const bool whole = !std::exchange(number_split_, false);
        if (skip_ != 0)
            return true;
        if (whole)
            d = correctly_rounded(d, text);
        if (capture_ != 0) {
            if (!std::isfinite(d)) // 1e400: a DOM would hold infinity, which no JSON text spells
                return fail("number out of range for double") || stop(ec);
            stack().push_double(d);
            return true;
        }
        slot v = value_slot(false);
        return v.ops->on_double(*this, v.p, d) || stop(ec);
    }

    bool on_bool(bool b, boost::json::error_code& ec)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_bool(b);
            return true;
        }
        slot v = value_slot(false);
        return v.ops->on_bool(*this, v.p, b) || stop(ec);
    }

    bool on_null(boost::json::error_code& ec)
    {
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_null();
            return true;
        }
        slot v = value_slot(true);
        if (v.ops == nullptr)
            return true; // an optional left absent or a nullable set null
        return v.ops->on_null(*this, v.p) || stop(ec);
    }

    bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
    bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

    // ---- used by the type functions ----

    void push_frame(const frame_ops* ops, void* target, std::size_t bit_words)
    {
        std::size_t bits = bits_.size();
        if (frames_.capacity() == 0)
            frames_.reserve(8); // one allocation for the usual nesting instead of growing 1, 2, 4, 8
        if (bit_words > 1)
            bits_.resize(bits + bit_words - 1, 0);
        frames_.push_back(frame{ops, target, slot{}, ops->is_array ? 0 : npos, nullptr, 0, bits, ops->is_array});
        top_ = &frames_.back();
    }

    // Skips the subtree whose object/array begin event is being handled.
    void begin_skip() noexcept { skip_ = 1; }

    // Captures the subtree whose object/array begin event is being handled; `target.ops->on_captured`
    // receives it when it ends.
    void begin_capture(slot target)
    {
        stack().reset();
        capture_ = 1;
        capture_target_ = target;
    }

    // The object on top of the stack turns out to need capturing after all (a union whose
    // discriminator is not its first key, or names no alternative the union knows): drop its frame
    // and capture it, its first key included, and that key's value when it was read already.
    void capture_top_object(slot target, std::string_view first_key,
                            std::optional<std::string_view> first_value = std::nullopt)
    {
        frame& f = *top_;
        if (bits_.size() != f.bits)
            bits_.resize(f.bits);
        frames_.pop_back();
        top_ = frames_.empty() ? nullptr : &frames_.back();
        begin_capture(target);
        stack().push_key(boost::json::string_view(first_key.data(), first_key.size()));
        if (first_value)
            stack().push_string(boost::json::string_view(first_value->data(), first_value->size()));
    }

    // Turns the object frame on top into one decoding into `target` with `ops` (a union that chose
    // its alternative from its first key).
    frame& retarget_top(const frame_ops* ops, void* target, std::size_t bit_words)
    {
        frame& f = *top_;
        f.ops = ops;
        f.target = target;
        f.index = npos;
        f.key = nullptr;
        f.seen = 0;
        if (bit_words > 1)
            bits_.resize(f.bits + bit_words - 1, 0);
        return f;
    }

    // Word w of the fields-seen bits of an object frame.
    std::uint64_t& seen_word(frame& f, std::size_t w) noexcept { return w == 0 ? f.seen : bits_[f.bits + w - 1]; }

    // The pointer of the value being decoded (depth = frames_.size()), or of an enclosing one.
    [[nodiscard]] std::string pointer(std::size_t depth) const
    {
        std::string s;
        for (std::size_t i = 0; i < depth && i < frames_.size(); ++i)
            frames_[i].ops->append_segment(frames_[i], s);
        return s;
    }
    [[nodiscard]] std::string pointer() const { return pointer(frames_.size()); }
    [[nodiscard]] std::size_t depth() const noexcept { return frames_.size(); }
    // How deep the value being decoded is, counting the decoders that started this one.
    [[nodiscard]] std::size_t nesting() const noexcept { return base_depth_ + frames_.size(); }

    // Records a failure at the value being decoded.
    bool fail(std::string message) { return fail_at(pointer(), std::move(message)); }
    bool fail_at(std::string pointer, std::string message)
    {
        if (!failure_) // the first failure is the cause; later ones are consequences
            failure_ = decode_failure{std::move(pointer), std::move(message), 0};
        return false;
    }
    bool fail_kind(std::string_view expected, json_kind got)
    {
        std::string m = "expected ";
        m.append(expected);
        m.append(", got ");
        m.append(kind_name(got));
        return fail(std::move(m));
    }
    // A failure reported by a nested decoder (unions), relative to the value being decoded.
    bool fail_nested(decode_failure inner) { return fail_at(pointer() + inner.pointer, std::move(inner.message)); }

    [[nodiscard]] bool failed() const noexcept { return failure_.has_value(); }
    [[nodiscard]] decode_failure take_failure() { return std::move(*failure_); }

    bool stop(boost::json::error_code& ec)
    {
        ec = boost::json::error::exception; // any code: it only makes the parser stop
        return false;
    }

private:
    slot value_slot(bool is_null)
    {
        slot s;
        if (top_ == nullptr)
            s = root_;
        else if (top_->is_array)
            s = top_->ops->next_element(*top_);
        else
            s = top_->next;
        if (s.ops->resolve != nullptr)
            s = s.ops->resolve(s.p, is_null);
        return s;
    }

    bool pop_frame()
    {
        frame& f = *top_;
        bool ok = f.ops->on_end(*this, f);
        if (bits_.size() != f.bits)
            bits_.resize(f.bits);
        frames_.pop_back();
        top_ = frames_.empty() ? nullptr : &frames_.back();
        return ok;
    }

    bool finish_capture(boost::json::error_code& ec)
    {
        boost::json::value v = stack().release();
        return capture_target_.ops->on_captured(*this, capture_target_.p, std::move(v)) || stop(ec);
    }

    boost::json::value_stack& stack()
    {
        if (!stack_)
            stack_.emplace();
        return *stack_;
    }

    slot root_;
    std::size_t base_depth_;
    std::vector<frame> frames_;
    frame* top_ = nullptr; // &frames_.back(), or null at the root
    std::vector<std::uint64_t> bits_;
    std::string buf_; // key or string split in parts by the parser (escapes)
    bool number_split_ = false; // the current number came in parts: its last part alone is no number
    std::size_t skip_ = 0;
    std::size_t capture_ = 0;
    slot capture_target_;
    std::optional<boost::json::value_stack> stack_;
    std::optional<decode_failure> failure_;
};

} // namespace detail
} // namespace specbound::json
