// The decoder: a boost::json::basic_parser handler that writes straight into C++ objects.
//
// Every C++ type gets a `type_ops` table of plain functions (one per parser event). The handler
// keeps a stack of frames, one per open JSON object/array that is being decoded into a C++ object,
// map or vector; a key selects the slot (ops + address) that receives the next value. Unknown keys
// are skipped by counting nesting, without allocating. Free-form values and unions capture their
// subtree into a boost::json::value. A JSON pointer is built from the frames only on failure.
#pragma once

#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/basic_parser.hpp>
#include <boost/json/error.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
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

    bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }

    bool on_int64(std::int64_t i, boost::json::string_view, boost::json::error_code& ec)
    {
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
        if (skip_ != 0)
            return true;
        if (capture_ != 0) {
            stack().push_uint64(u);
            return true;
        }
        slot v = value_slot(false);
        return v.ops->on_uint64(*this, v.p, u) || stop(ec);
    }

    bool on_double(double d, boost::json::string_view, boost::json::error_code& ec)
    {
        if (skip_ != 0)
            return true;
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
    // discriminator is not its first key): drop its frame and capture it, its first key included.
    void capture_top_object(slot target, std::string_view first_key)
    {
        frame& f = *top_;
        if (bits_.size() != f.bits)
            bits_.resize(f.bits);
        frames_.pop_back();
        top_ = frames_.empty() ? nullptr : &frames_.back();
        begin_capture(target);
        stack().push_key(boost::json::string_view(first_key.data(), first_key.size()));
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
    std::size_t skip_ = 0;
    std::size_t capture_ = 0;
    slot capture_target_;
    std::optional<boost::json::value_stack> stack_;
    std::optional<decode_failure> failure_;
};

// ---- per-type functions ------------------------------------------------------------------------

template <class T> slot resolve_fn(void* p, bool is_null);
template <class T> bool on_null_fn(decode_handler& h, void* p);
template <class T> bool on_bool_fn(decode_handler& h, void* p, bool b);
template <class T, class Integer> bool on_integer_fn(decode_handler& h, void* p, Integer i);
template <class T> bool on_double_fn(decode_handler& h, void* p, double d);
template <class T> bool on_string_fn(decode_handler& h, void* p, std::string_view s);
template <class T> bool on_string_value(decode_handler& h, T& v, std::string_view s);
template <class T> bool on_object_fn(decode_handler& h, void* p);
template <class T> bool on_array_fn(decode_handler& h, void* p);
template <class T> bool on_captured_fn(decode_handler& h, void* p, boost::json::value&& v);

template <class V> bool decode_variant(decode_handler& h, V& out, const boost::json::value& v);

template <class T>
inline constexpr bool is_wrapper_v = is_optional_v<T> || is_nullable_v<T> || is_boxed_v<T>;

template <class T>
constexpr type_ops make_ops() noexcept
{
    if constexpr (is_wrapper_v<T>)
        return type_ops{&resolve_fn<T>, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    else
        return type_ops{nullptr,           &on_null_fn<T>,   &on_bool_fn<T>,   &on_integer_fn<T, std::int64_t>,
                        &on_integer_fn<T, std::uint64_t>,  &on_double_fn<T>, &on_string_fn<T>, &on_object_fn<T>,
                        &on_array_fn<T>,   &on_captured_fn<T>};
}

template <class T>
inline constexpr type_ops ops_v = make_ops<T>();

// The slot of a value of type T at p, with wrappers not yet resolved.
template <class T>
slot slot_of(T& v) noexcept
{
    return slot{&ops_v<T>, &v};
}

// Elements of std::vector<bool> have no address: this stand-in appends to the vector instead.
struct bool_appender {};
// The value of an unknown key: ignored, with its whole subtree.
struct skip_value {};
// The value of a union's discriminator when it is the first key: p points to the union V.
template <class V>
struct discriminator_of {};
template <class T>
struct is_discriminator : std::false_type {};
template <class V>
struct is_discriminator<discriminator_of<V>> : std::true_type {};
template <class T>
inline constexpr bool is_discriminator_v = is_discriminator<T>::value;

inline constexpr slot skip_slot{&ops_v<skip_value>, nullptr};

// ---- objects ----

// The first 8 bytes of a key as an integer (zero-padded), the same at compile time and run time.
constexpr std::uint64_t key_prefix(std::string_view key) noexcept
{
    if (!std::is_constant_evaluated() && std::endian::native == std::endian::little) {
        // Little-endian loads give the same integer as the loop below, without a loop.
        const char* p = key.data();
        std::size_t n = key.size();
        if (n >= 8) {
            std::uint64_t v;
            std::memcpy(&v, p, 8);
            return v;
        }
        if (n >= 4) { // two overlapping 4-byte loads
            std::uint32_t lo, hi;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + n - 4, 4);
            return std::uint64_t{lo} | (std::uint64_t{hi} << (8 * (n - 4)));
        }
        if (n == 0)
            return 0;
        auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])}; };
        return byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)));
    }
    std::uint64_t v = 0;
    std::size_t n = key.size() < 8 ? key.size() : 8;
    for (std::size_t i = 0; i < n; ++i)
        v |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
    return v;
}

struct field_entry {
    std::string_view name;
    const type_ops* ops;
    void* (*get)(void* object);
    void (*reset)(void* object); // a repeated key: last wins, nothing of the first survives
    bool required;
};

template <class T>
struct object_codec {
    using traits = object_traits<T>;
    static constexpr std::size_t size = std::tuple_size_v<std::remove_cvref_t<decltype(traits::fields)>>;
    static constexpr std::size_t words = (size + 63) / 64;

    template <class F>
    static constexpr field_entry entry(const F& f) noexcept
    {
        using V = typename F::value_type;
        return field_entry{f.wire_name, &ops_v<V>,
                           +[](void* o) -> void* { return &(static_cast<T*>(o)->*F::member); },
                           +[](void* o) { static_cast<T*>(o)->*F::member = V{}; }, f.required};
    }

    static constexpr std::array<field_entry, size> entries = specbound::apply(
        [](const auto&... f) { return std::array<field_entry, size>{entry(f)...}; }, traits::fields);

    static constexpr std::array<std::uint64_t, words> required_mask = [] {
        std::array<std::uint64_t, words> m{};
        for (std::size_t i = 0; i < size; ++i)
            if (entries[i].required)
                m[i / 64] |= std::uint64_t{1} << (i % 64);
        return m;
    }();

    static constexpr bool has_additional = requires { traits::additional_properties; };

    // Field names compared by length and first 8 bytes first: one integer compare per candidate.
    static constexpr std::array<std::size_t, size> lengths = [] {
        std::array<std::size_t, size> r{};
        for (std::size_t i = 0; i < size; ++i)
            r[i] = entries[i].name.size();
        return r;
    }();
    static constexpr std::array<std::uint64_t, size> prefixes = [] {
        std::array<std::uint64_t, size> r{};
        for (std::size_t i = 0; i < size; ++i)
            r[i] = key_prefix(entries[i].name);
        return r;
    }();

    static bool matches(std::size_t i, std::string_view key, std::uint64_t prefix) noexcept
    {
        return lengths[i] == key.size() && prefixes[i] == prefix &&
               (key.size() <= 8 || std::memcmp(entries[i].name.data() + 8, key.data() + 8, key.size() - 8) == 0);
    }

    // Keys usually arrive in declaration order: try the field after the previous one first.
    static std::size_t find(std::string_view key, std::size_t hint) noexcept
    {
        const std::uint64_t prefix = key_prefix(key);
        if (hint < size && matches(hint, key, prefix))
            return hint;
        for (std::size_t i = 0; i < size; ++i)
            if (matches(i, key, prefix))
                return i;
        return npos;
    }

    static bool on_key(decode_handler& h, frame& f, std::string_view key)
    {
        std::size_t i = find(key, f.index + 1);
        if (i != npos) {
            f.index = i;
            f.key = nullptr;
            std::uint64_t& w = h.seen_word(f, i / 64);
            std::uint64_t bit = std::uint64_t{1} << (i % 64);
            if ((w & bit) != 0)
                entries[i].reset(f.target);
            w |= bit;
            f.next = slot{entries[i].ops, entries[i].get(f.target)};
            return true;
        }
        f.index = npos;
        if constexpr (has_additional) {
            auto& map = static_cast<T*>(f.target)->*traits::additional_properties;
            using mapped = typename std::remove_cvref_t<decltype(map)>::mapped_type;
            auto [it, inserted] = map.try_emplace(std::string(key));
            if (!inserted)
                it->second = mapped{};
            f.key = &it->first;
            f.next = slot_of(it->second);
        }
        else {
            f.key = nullptr;
            f.next = skip_slot;
        }
        return true;
    }

    static bool on_end(decode_handler& h, frame& f)
    {
        for (std::size_t w = 0; w < words; ++w) {
            if ((h.seen_word(f, w) & required_mask[w]) != required_mask[w]) {
                for (std::size_t i = w * 64; i < size; ++i) {
                    if (entries[i].required && (h.seen_word(f, i / 64) & (std::uint64_t{1} << (i % 64))) == 0) {
                        std::string m = "missing required field ";
                        m.append(quoted(entries[i].name));
                        return h.fail_at(h.pointer(h.depth() - 1), std::move(m));
                    }
                }
            }
        }
        return true;
    }

    static void append_segment(const frame& f, std::string& out)
    {
        if (f.index != npos)
            append_pointer_token(out, entries[f.index].name);
        else if (f.key != nullptr)
            append_pointer_token(out, *f.key);
    }

    static constexpr frame_ops fops{&on_key, nullptr, &on_end, &append_segment, false};
};

// ---- maps (additionalProperties) ----

template <class M>
struct map_codec {
    static bool on_key(decode_handler&, frame& f, std::string_view key)
    {
        auto& m = *static_cast<M*>(f.target);
        auto [it, inserted] = m.try_emplace(std::string(key));
        if (!inserted)
            it->second = typename M::mapped_type{};
        f.key = &it->first;
        f.next = slot_of(it->second);
        return true;
    }
    static bool on_end(decode_handler&, frame&) { return true; }
    static void append_segment(const frame& f, std::string& out)
    {
        if (f.key != nullptr)
            append_pointer_token(out, *f.key);
    }
    static constexpr frame_ops fops{&on_key, nullptr, &on_end, &append_segment, false};
};

// ---- arrays ----

template <class V>
struct vector_codec {
    using elem = typename V::value_type;
    static slot next_element(frame& f)
    {
        auto& v = *static_cast<V*>(f.target);
        ++f.index;
        if constexpr (std::is_same_v<elem, bool>) {
            return slot{&ops_v<bool_appender>, &v};
        }
        else {
            if (v.capacity() == 0)
                v.reserve(4); // skips the 1- and 2-element steps of the growth
            v.emplace_back();
            return slot_of(v.back());
        }
    }
    static bool on_end(decode_handler&, frame&) { return true; }
    static void append_segment(const frame& f, std::string& out)
    {
        if (f.index != 0) {
            out.push_back('/');
            out.append(number_text(f.index - 1));
        }
    }
    static constexpr frame_ops fops{nullptr, &next_element, &on_end, &append_segment, true};
};

// ---- unions whose discriminator comes first: decoded while streaming ----

template <class T>
struct unwrap_discriminator;
template <class V>
struct unwrap_discriminator<discriminator_of<V>> {
    using type = V;
};

template <class V>
struct variant_codec {
    using traits = variant_traits<V>;
    using base = variant_base_t<V>;
    static constexpr std::size_t n = std::variant_size_v<base>;

    template <std::size_t... I>
    static constexpr bool all_objects(std::index_sequence<I...>) noexcept
    {
        return (object_model<typename unboxed<std::variant_alternative_t<I, base>>::type> && ...);
    }
    // Streaming needs a discriminator and object alternatives; anything else is captured.
    static constexpr bool streams = !traits::discriminator.empty() && all_objects(std::make_index_sequence<n>{});

    // index: npos before the first key, 0 while the discriminator's value is read.
    static bool on_key(decode_handler& h, frame& f, std::string_view key)
    {
        if (key == traits::discriminator) {
            f.index = 0;
            f.next = slot{&ops_v<discriminator_of<V>>, f.target};
            return true;
        }
        h.capture_top_object(slot{&ops_v<V>, f.target}, key);
        return true;
    }

    static bool on_end(decode_handler& h, frame&) // only an empty object ends here
    {
        return h.fail_at(h.pointer(h.depth() - 1),
                         "missing discriminator " + quoted(traits::discriminator) + " of " + std::string(traits::name));
    }

    static void append_segment(const frame& f, std::string& out)
    {
        if (f.index == 0)
            append_pointer_token(out, traits::discriminator);
    }

    template <std::size_t I>
    static bool start_alternative(decode_handler& h, V& out, std::string_view value)
    {
        using A = std::variant_alternative_t<I, base>;
        using O = typename unboxed<A>::type;
        A& alt = static_cast<base&>(out).template emplace<I>();
        O* obj;
        if constexpr (is_boxed_v<A>)
            obj = &*alt;
        else
            obj = &alt;
        // The object decodes on in this frame; the discriminator is offered to it like any key.
        frame& f = h.retarget_top(&object_codec<O>::fops, obj, object_codec<O>::words);
        object_codec<O>::on_key(h, f, traits::discriminator);
        slot s = f.next;
        if (s.ops->resolve != nullptr)
            s = s.ops->resolve(s.p, false);
        return s.ops->on_string(h, s.p, value);
    }

    static bool on_discriminator(decode_handler& h, void* p, std::string_view value)
    {
        std::size_t index = npos;
        for (const auto& [wire, i] : traits::mapping) {
            if (wire == value) {
                index = i;
                break;
            }
        }
        if (index >= n)
            return h.fail("unknown discriminator value " + quoted(value) + " of " + std::string(traits::name));
        return dispatch(h, *static_cast<V*>(p), value, index, std::make_index_sequence<n>{});
    }

    template <std::size_t... I>
    static bool dispatch(decode_handler& h, V& out, std::string_view value, std::size_t index,
                         std::index_sequence<I...>)
    {
        bool ok = false;
        (void)((I == index && (ok = start_alternative<I>(h, out, value), true)) || ...);
        return ok;
    }

    static constexpr frame_ops fops{&on_key, nullptr, &on_end, &append_segment, false};
};

// ---- names for messages ----

template <class T>
std::string integer_name()
{
    return std::string(std::is_signed_v<T> ? "int" : "uint") + number_text(sizeof(T) * 8);
}

template <class T>
constexpr std::string_view expected_name() noexcept
{
    if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, bool_appender>)
        return "boolean";
    else if constexpr (is_discriminator_v<T>)
        return "string";
    else if constexpr (is_integer_v<T>)
        return "integer";
    else if constexpr (std::is_floating_point_v<T>)
        return "number";
    else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, date_time> || std::is_same_v<T, date> ||
                       std::is_same_v<T, uuid> || std::is_same_v<T, bytes> || is_open_enum_v<T> || enum_model<T>)
        return "string";
    else if constexpr (is_array_v<T>)
        return "array";
    else if constexpr (object_model<T> || is_string_map_v<T> || std::is_same_v<T, boost::json::object>)
        return "object";
    else if constexpr (variant_model<T>)
        return variant_traits<T>::name;
    else
        return "value";
}

template <class T>
inline constexpr bool is_stringish_v = std::is_same_v<T, std::string> || std::is_same_v<T, date_time> ||
                                       std::is_same_v<T, date> || std::is_same_v<T, uuid> ||
                                       std::is_same_v<T, bytes> || is_open_enum_v<T> || enum_model<T>;

// ---- definitions ----

constexpr double pow2(std::size_t n) noexcept
{
    double r = 1.0;
    for (std::size_t i = 0; i < n; ++i)
        r *= 2.0;
    return r;
}

template <class T>
slot resolve_fn(void* p, bool is_null)
{
    auto& w = *static_cast<T*>(p);
    if constexpr (is_optional_v<T>) {
        using U = typename T::value_type;
        if (is_null && !is_nullable_v<U>) {
            w.reset(); // null for an optional, non-nullable value: taken as absent
            return slot{};
        }
        U& u = w.emplace();
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
    else if constexpr (is_nullable_v<T>) {
        using U = std::remove_cvref_t<decltype(*w)>;
        if (is_null) {
            w.reset();
            return slot{};
        }
        U& u = w.emplace();
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
    else {
        using U = std::remove_cvref_t<decltype(*w)>;
        U& u = *w;
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
}

template <class T>
bool on_null_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        static_cast<T*>(p)->emplace_null();
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(nullptr));
    else
        return h.fail_kind(expected_name<T>(), json_kind::null);
}

template <class T>
bool on_bool_fn(decode_handler& h, void* p, bool b)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (std::is_same_v<T, bool>) {
        *static_cast<bool*>(p) = b;
        return true;
    }
    else if constexpr (std::is_same_v<T, bool_appender>) {
        static_cast<std::vector<bool>*>(p)->push_back(b);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = b;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(b));
    else
        return h.fail_kind(expected_name<T>(), json_kind::boolean);
}

/// Both JSON integer events (signed and unsigned): range-checked into integers, exact into floats.
template <class T, class Integer>
bool on_integer_fn(decode_handler& h, void* p, Integer i)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (is_integer_v<T>) {
        if (!std::in_range<T>(i))
            return h.fail("integer " + number_text(i) + " out of range for " + integer_name<T>());
        *static_cast<T*>(p) = static_cast<T>(i);
        return true;
    }
    else if constexpr (std::is_floating_point_v<T>) {
        *static_cast<T*>(p) = static_cast<T>(i);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = i;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(i));
    else
        return h.fail_kind(expected_name<T>(), json_kind::number);
}

template <class T>
bool on_double_fn(decode_handler& h, void* p, double d)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if (!std::isfinite(d)) // Boost.JSON reads 1e400 as infinity: nothing would hold that value
        return h.fail("number out of range for double");
    else if constexpr (is_integer_v<T>) {
        // 5.0 is an integer; 5.5 is not. The bounds are exact powers of two, so the comparisons
        // are exact even where the type's limits are not representable as double.
        if (std::trunc(d) != d)
            return h.fail("expected integer, got " + number_text(d));
        constexpr double lo = std::is_signed_v<T> ? -pow2(sizeof(T) * 8 - 1) : 0.0;
        constexpr double hi = pow2(std::is_signed_v<T> ? sizeof(T) * 8 - 1 : sizeof(T) * 8);
        if (!(d >= lo && d < hi))
            return h.fail("number " + number_text(d) + " out of range for " + integer_name<T>());
        *static_cast<T*>(p) = static_cast<T>(d);
        return true;
    }
    else if constexpr (std::is_floating_point_v<T>) {
        if constexpr (sizeof(T) < sizeof(double)) {
            if (std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max()))
                return h.fail("number " + number_text(d) + " out of range for float");
        }
        *static_cast<T*>(p) = static_cast<T>(d);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = d;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(d));
    else
        return h.fail_kind(expected_name<T>(), json_kind::number);
}

template <class T>
bool on_string_fn(decode_handler& h, void* p, std::string_view s)
{
    if constexpr (is_discriminator_v<T>)
        return variant_codec<typename unwrap_discriminator<T>::type>::on_discriminator(h, p, s);
    else if constexpr (std::is_same_v<T, skip_value> || std::is_same_v<T, bool_appender>)
        return std::is_same_v<T, skip_value> || h.fail_kind(expected_name<T>(), json_kind::string);
    else
        return on_string_value(h, *static_cast<T*>(p), s);
}

template <class T>
bool on_string_value(decode_handler& h, T& v, std::string_view s)
{
    if constexpr (std::is_same_v<T, std::string>) {
        v.assign(s);
        return true;
    }
    else if constexpr (is_open_enum_v<T>) {
        enum_from_wire(s, v);
        return true;
    }
    else if constexpr (enum_model<T>) {
        if (!enum_from_wire(s, v))
            return h.fail("unknown enum value " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, date_time>) {
        if (!parse_date_time(s, v))
            return h.fail("invalid date-time " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, date>) {
        if (!parse_date(s, v))
            return h.fail("invalid date " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, uuid>) {
        if (!parse_uuid(s, v))
            return h.fail("invalid uuid " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, bytes>) {
        if (!base64_decode(s, v))
            return h.fail("invalid base64 " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        v = boost::json::string_view(s.data(), s.size());
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, v, boost::json::value(boost::json::string_view(s.data(), s.size())));
    else
        return h.fail_kind(expected_name<T>(), json_kind::string);
}

template <class T>
bool on_object_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>) {
        h.begin_skip();
        return true;
    }
    else if constexpr (object_model<T>) {
        h.push_frame(&object_codec<T>::fops, p, object_codec<T>::words);
        return true;
    }
    else if constexpr (is_string_map_v<T>) {
        static_cast<T*>(p)->clear();
        h.push_frame(&map_codec<T>::fops, p, 0);
        return true;
    }
    else if constexpr (variant_model<T>) {
        if constexpr (variant_codec<T>::streams)
            h.push_frame(&variant_codec<T>::fops, p, 0);
        else
            h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value> || std::is_same_v<T, boost::json::object>) {
        h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else
        return h.fail_kind(expected_name<T>(), json_kind::object);
}

template <class T>
bool on_array_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>) {
        h.begin_skip();
        return true;
    }
    else if constexpr (is_array_v<T>) {
        static_cast<T*>(p)->clear();
        h.push_frame(&vector_codec<T>::fops, p, 0);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value> || variant_model<T>) {
        h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else
        return h.fail_kind(expected_name<T>(), json_kind::array);
}

template <class T>
bool on_captured_fn(decode_handler& h, void* p, boost::json::value&& v)
{
    if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = std::move(v);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::object>) {
        *static_cast<T*>(p) = std::move(v.as_object()); // only objects are captured for an object
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), v);
    else
        return h.fail_kind(expected_name<T>(), kind_of(v)); // not reached: nothing else captures
}

// ---- decoding from a DOM: the same handler, fed by a walk over the value ----

inline bool walk(const boost::json::value& v, decode_handler& h, std::size_t depth, boost::json::error_code& ec)
{
    switch (v.kind()) {
    case boost::json::kind::null: return h.on_null(ec);
    case boost::json::kind::bool_: return h.on_bool(v.get_bool(), ec);
    case boost::json::kind::int64: return h.on_int64(v.get_int64(), {}, ec);
    case boost::json::kind::uint64: return h.on_uint64(v.get_uint64(), {}, ec);
    case boost::json::kind::double_: return h.on_double(v.get_double(), {}, ec);
    case boost::json::kind::string: {
        const auto& s = v.get_string();
        return h.on_string(s, s.size(), ec);
    }
    case boost::json::kind::array: {
        if (depth >= max_depth)
            return h.fail("nesting deeper than " + number_text(max_depth)) || h.stop(ec);
        const auto& a = v.get_array();
        if (!h.on_array_begin(ec))
            return false;
        for (const auto& e : a)
            if (!walk(e, h, depth + 1, ec))
                return false;
        return h.on_array_end(a.size(), ec);
    }
    case boost::json::kind::object: {
        if (depth >= max_depth)
            return h.fail("nesting deeper than " + number_text(max_depth)) || h.stop(ec);
        const auto& o = v.get_object();
        if (!h.on_object_begin(ec))
            return false;
        for (const auto& kv : o) {
            if (!h.on_key(kv.key(), kv.key().size(), ec) || !walk(kv.value(), h, depth + 1, ec))
                return false;
        }
        return h.on_object_end(o.size(), ec);
    }
    }
    return true;
}

template <class T>
std::optional<decode_failure> from_value_impl(const boost::json::value& v, T& out, std::size_t base_depth = 0)
{
    decode_handler h(slot_of(out), base_depth);
    boost::json::error_code ec;
    if (walk(v, h, base_depth, ec))
        return std::nullopt;
    if (h.failed())
        return h.take_failure();
    return decode_failure{h.pointer(), "invalid value: " + ec.message(), 0};
}

// ---- unions ----

// Whether T can decode a JSON value of kind k (before looking at the value itself).
template <class T>
constexpr bool accepts(json_kind k) noexcept
{
    if constexpr (is_optional_v<T> || is_boxed_v<T>)
        return accepts<std::remove_cvref_t<decltype(*std::declval<T&>())>>(k);
    else if constexpr (is_nullable_v<T>)
        return k == json_kind::null || accepts<std::remove_cvref_t<decltype(*std::declval<T&>())>>(k);
    else if constexpr (std::is_same_v<T, bool>)
        return k == json_kind::boolean;
    else if constexpr (std::is_arithmetic_v<T>)
        return k == json_kind::number;
    else if constexpr (is_stringish_v<T>)
        return k == json_kind::string;
    else if constexpr (is_array_v<T>)
        return k == json_kind::array;
    else if constexpr (object_model<T> || is_string_map_v<T> || std::is_same_v<T, boost::json::object>)
        return k == json_kind::object;
    else
        return true; // boost::json::value, nested unions: decided by trying
}

// For an object value: whether alternative A is a candidate (all its required fields present) and
// how many of the object's keys it knows.
template <class A>
bool object_candidate(const boost::json::object& o, std::size_t& recognized)
{
    using codec = object_codec<A>;
    for (const auto& e : codec::entries)
        if (e.required && !o.contains(boost::json::string_view(e.name.data(), e.name.size())))
            return false;
    std::size_t n = 0;
    for (const auto& kv : o)
        if (codec::find(std::string_view(kv.key().data(), kv.key().size()), 0) != npos)
            ++n;
    recognized = n;
    return true;
}

template <class V, std::size_t I>
std::optional<decode_failure> decode_alternative(V& out, const boost::json::value& v, std::size_t depth)
{
    auto& alt = static_cast<variant_base_t<V>&>(out).template emplace<I>();
    return from_value_impl(v, alt, depth);
}

// Calls f(integral_constant<I>) for I = 0, 1, ... until it returns true.
template <class F, std::size_t... I>
void for_each_alternative(F&& f, std::index_sequence<I...>)
{
    (void)(f(std::integral_constant<std::size_t, I>{}) || ...);
}

template <class V>
bool decode_variant(decode_handler& h, V& out, const boost::json::value& v)
{
    using traits = variant_traits<V>;
    using base = variant_base_t<V>;
    constexpr std::size_t n = std::variant_size_v<base>;
    using seq = std::make_index_sequence<n>;
    json_kind k = kind_of(v);
    // Every nested decoder counts one level more, so that neither a deep DOM nor a union that
    // contains itself can recurse without bound.
    if (h.nesting() >= max_depth)
        return h.fail("nesting deeper than " + number_text(max_depth));
    const std::size_t depth = h.nesting() + 1;

    std::optional<decode_failure> result;
    bool decoded = false;

    if constexpr (!traits::discriminator.empty()) {
        if (k != json_kind::object)
            return h.fail_kind("object", k);
        const auto* d = v.get_object().if_contains(
            boost::json::string_view(traits::discriminator.data(), traits::discriminator.size()));
        if (d == nullptr)
            return h.fail("missing discriminator " + quoted(traits::discriminator) + " of " +
                          std::string(traits::name));
        std::string dp = h.pointer();
        append_pointer_token(dp, traits::discriminator);
        if (!d->is_string())
            return h.fail_at(std::move(dp), "expected string, got " + std::string(kind_name(kind_of(*d))));
        std::string_view value(d->get_string().data(), d->get_string().size());
        std::size_t index = npos;
        for (const auto& [wire, i] : traits::mapping) {
            if (wire == value) {
                index = i;
                break;
            }
        }
        if (index == npos || index >= n)
            return h.fail_at(std::move(dp),
                             "unknown discriminator value " + quoted(value) + " of " + std::string(traits::name));
        for_each_alternative(
            [&](auto I) {
                if (I.value != index)
                    return false;
                result = decode_alternative<V, I.value>(out, v, depth);
                decoded = true;
                return true;
            },
            seq{});
    }
    else if (k == json_kind::object) {
        // The object alternative whose required fields are all present and that knows most keys.
        std::size_t best = npos, best_score = 0;
        for_each_alternative(
            [&](auto I) {
                using A = typename unboxed<std::variant_alternative_t<I.value, base>>::type;
                if constexpr (object_model<A>) {
                    std::size_t score = 0;
                    if (object_candidate<A>(v.get_object(), score) && (best == npos || score > best_score)) {
                        best = I.value;
                        best_score = score;
                    }
                }
                return false;
            },
            seq{});
        if (best != npos) {
            for_each_alternative(
                [&](auto I) {
                    if (I.value != best)
                        return false;
                    result = decode_alternative<V, I.value>(out, v, depth);
                    decoded = true;
                    return true;
                },
                seq{});
        }
        else {
            // Maps, free-form objects, nested unions: the first that decodes.
            for_each_alternative(
                [&](auto I) {
                    using A = typename unboxed<std::variant_alternative_t<I.value, base>>::type;
                    if constexpr (!object_model<A>) {
                        if (accepts<A>(k) && !decode_alternative<V, I.value>(out, v, depth)) {
                            decoded = true;
                            return true;
                        }
                    }
                    return false;
                },
                seq{});
        }
    }
    else {
        // Scalars and arrays: the first alternative of a fitting kind that decodes.
        for_each_alternative(
            [&](auto I) {
                using A = std::variant_alternative_t<I.value, base>;
                if (accepts<A>(k) && !decode_alternative<V, I.value>(out, v, depth)) {
                    decoded = true;
                    return true;
                }
                return false;
            },
            seq{});
    }
    if (!decoded)
        return h.fail("no alternative of " + std::string(traits::name) + " matches");
    if (result)
        return h.fail_nested(std::move(*result));
    return true;
}

} // namespace detail
} // namespace specbound::json
