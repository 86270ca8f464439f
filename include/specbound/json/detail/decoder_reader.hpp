// The typed reader: decode()'s first try. A recursive descent over the text that knows the C++
// type of every value, so it reads objects, arrays, wrappers and scalars without the parser's
// event dispatch and the handler's frame stack. It never reports a failure of its own: on
// anything it does not accept (invalid JSON, a value the type refuses, a number it does not read
// exactly as the parser would, nesting near the limit) it gives up, and decode() starts again
// with the parser, whose failure, pointer and offset are the answer. So the reader only has to be
// right when it succeeds: it accepts a subset of what the parser accepts and decodes it alike,
// because the values go through the same per-type functions (decoder_events.hpp) and object,
// array and wrapper rules (decoder_codecs.hpp, resolve_fn). A union whose discriminator is the
// first key is read as variant_codec streams it, a map as map_codec fills it; the types whose
// decoding needs the parser's machinery (other unions, objects with additionalProperties,
// free-form values, vector<bool>) are handed to a parser for their subtree alone.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_codecs.hpp>
#include <specbound/json/detail/decoder_events.hpp>
#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/decoder_type_ops.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/traits.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse_options.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// The small steps of every value are forced inline when optimizing: GCC otherwise calls them out
// of line from the larger functions (+7% instructions per document). Not at -O0, where forcing
// would copy them into every instantiation, which costs compile time and memory instead.
#if defined(__OPTIMIZE__) && (defined(__GNUC__) || defined(__clang__))
#define SPECBOUND_DETAIL_HOT [[gnu::always_inline]]
#define SPECBOUND_DETAIL_COLD [[gnu::noinline]]
#else
#define SPECBOUND_DETAIL_HOT
#define SPECBOUND_DETAIL_COLD
#endif

namespace specbound::json::detail {

// The tables typed_reader::read_members reads an object type's members by. Optimized builds get
// a loop per type, with its tables as constants that the compiler folds into it (decoding is
// 10% faster). Unoptimized builds share one loop, through object_layout's pointers: there
// nothing is folded, and a loop per type cost GitHub's largest compiled source 89 MiB.
#if defined(__OPTIMIZE__)
template <class T>
inline constexpr object_codec<T> members_of{};
#else
template <class T>
inline constexpr const object_layout& members_of = object_codec<T>::layout;
#endif

// The first byte at or after p that ends a run of plain string characters: '"', '\\', a control
// character or a non-ASCII byte; end if none.
SPECBOUND_DETAIL_HOT inline const char* string_stop(const char* p, const char* end) noexcept
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed compare: bytes >= 0x80 are negative, so "less than space" catches them too.
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
        if (const int mask = _mm_movemask_epi8(hit); mask != 0)
            return p + std::countr_zero(static_cast<unsigned>(mask));
        p += 16;
    }
#endif
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            return p;
    }
    return end;
}

// The length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0.
inline std::size_t utf8_sequence_length(const char* p, const char* end) noexcept
{
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
    const std::size_t left = static_cast<std::size_t>(end - p);
    const unsigned char c = b(0);
    const auto cont = [&](std::size_t i) { return (b(i) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return left >= 2 && cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !cont(1) || !cont(2))
            return 0;
        if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !cont(1) || !cont(2) || !cont(3))
            return 0;
        if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

inline void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    }
    else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// The objects and arrays the reader decodes itself; the others go to a parser.
template <class T>
constexpr bool reads_object() noexcept
{
    if constexpr (object_model<T>)
        return !object_codec<T>::has_additional;
    else
        return false;
}
template <class T>
constexpr bool reads_array() noexcept
{
    if constexpr (is_array_v<T>)
        return !std::is_same_v<typename T::value_type, bool>;
    else
        return false;
}

template <class V, std::size_t... I>
constexpr bool alternatives_read_as_objects(std::index_sequence<I...>) noexcept
{
    return (reads_object<typename unboxed<std::variant_alternative_t<I, variant_base_t<V>>>::type>() && ...);
}
// The unions whose objects the reader decodes while reading them, as variant_codec streams them.
template <class V>
constexpr bool reads_union() noexcept
{
    if constexpr (variant_model<V>) {
        if constexpr (variant_codec<V>::streams)
            return alternatives_read_as_objects<V>(std::make_index_sequence<variant_codec<V>::known>{});
        else
            return false;
    }
    else {
        return false;
    }
}

class typed_reader {
public:
    explicit typed_reader(std::string_view text) noexcept : p_(text.data()), end_(text.data() + text.size()) {}

    typed_reader(const typed_reader&) = delete;
    typed_reader& operator=(const typed_reader&) = delete;

    /// Reads the whole text into `out` (already reset). false: not decoded here; `out` is then
    /// in a valid but unspecified state and must be reset before decoding again.
    template <class T>
    bool read_document(T& out)
    {
        if (!read_slot(slot_of(out)))
            return false;
        skip_whitespace();
        return p_ == end_;
    }

    // What reads a value of type T (type_ops::read): the one function per C++ type, so that a
    // model costs its users' builds little (at -O0 each function is code and compiler memory).
    template <class T>
    friend bool read_fn(typed_reader& r, void* p);

private:
    // A value into a slot: wrappers (optional, nullable, boxed) by the parser's route's rules,
    // through their resolve_fn, which emplaces or consumes a null; other types by their read_fn.
    SPECBOUND_DETAIL_HOT bool read_slot(slot s)
    {
        if (s.ops->resolve == nullptr)
            return s.ops->read(*this, s.p);
        skip_whitespace();
        if (p_ == end_)
            return false;
        const bool is_null = *p_ == 'n';
        s = s.ops->resolve(s.p, is_null); // the innermost value's slot: resolve_fn unwraps them all
        if (s.ops == nullptr)
            return literal("null");
        return s.ops->read(*this, s.p);
    }

    // An element or a map's value.
    template <class T>
    bool read_value(T& v)
    {
        if constexpr (is_wrapper_v<T>)
            return read_slot(slot_of(v));
        else
            return read_fn<T>(*this, &v);
    }

    // Nesting is refused two levels before the parser's limit: at the limit, the parser decides.
    static constexpr std::size_t depth_limit = max_depth - 2;

    SPECBOUND_DETAIL_HOT void skip_whitespace() noexcept
    {
        // Mostly there is none: one compare ('!' and above are not whitespace) settles it.
        while (p_ != end_ && static_cast<unsigned char>(*p_) <= ' ' &&
               (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }

    bool literal(std::string_view word) noexcept
    {
        if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            return false;
        p_ += word.size();
        return true;
    }

    // A number the way the parser reports it: an int64, else a uint64, for integers that fit;
    // a double for the others. The double is the correctly rounded value of the text, as the
    // handler's on_double makes it.
    struct number {
        enum class kind : std::uint8_t { int64, uint64, double_ } k = kind::int64;
        std::int64_t i = 0;
        std::uint64_t u = 0;
        double d = 0;
    };

    static bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }

    // The exact powers of ten a double holds: 10^0 .. 10^22.
    static constexpr std::array<double, 23> powers_of_ten = [] {
        std::array<double, 23> r{};
        double v = 1;
        for (double& x : r) {
            x = v;
            v *= 10;
        }
        return r;
    }();

    bool read_number(number& n) noexcept
    {
        const char* p = p_;
        const char* const end = end_;
        const char* const start = p;
        const bool negative = *p == '-';
        if (negative)
            ++p;
        if (p == end || !is_digit(*p))
            return false;
        // Up to 19 significant digits gather in `mantissa`; `scale` is the power of ten it is off by.
        std::uint64_t mantissa = 0;
        int digits = 0;
        int scale = 0;
        if (*p == '0') {
            ++p;
            if (p != end && is_digit(*p))
                return false; // a leading zero
        }
        else {
            for (; p != end && is_digit(*p); ++p) {
                if (digits < 19) {
                    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
                    ++digits;
                }
                else {
                    ++scale;
                }
            }
        }
        const char* const integer_end = p;
        bool is_double = false;
        if (p != end && *p == '.') {
            ++p;
            if (p == end || !is_digit(*p))
                return false;
            for (; p != end && is_digit(*p); ++p) {
                if (digits < 19 && (mantissa != 0 || *p != '0')) {
                    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
                    ++digits;
                    --scale;
                }
                else if (mantissa == 0) {
                    --scale; // a leading zero of the fraction
                }
                else {
                    digits = 20; // more than 19 significant digits: not exact below
                }
            }
            is_double = true;
        }
        bool exponent = false;
        if (p != end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p != end && (*p == '+' || *p == '-'))
                ++p;
            if (p == end || !is_digit(*p))
                return false;
            const char* const exponent_start = p;
            while (p != end && is_digit(*p))
                ++p;
            if (p - exponent_start > 5)
                return false; // the parser refuses exponents past int's range: its route decides
            is_double = exponent = true;
        }
        p_ = p;
        if (is_double) {
            if (negative && mantissa == 0)
                return false; // -0.0: the parser's route decides its sign
            // The fast path of Clinger's algorithm: a mantissa below 2^53 and a power of ten a
            // double holds exactly make one correctly rounded operation. Else from_chars, which
            // rounds correctly; the handler's on_double gives the correctly rounded value too.
            if (!exponent && digits <= 15 && scale >= -22) {
                double d = static_cast<double>(mantissa);
                d = scale < 0 ? d / powers_of_ten[static_cast<std::size_t>(-scale)]
                              : d * powers_of_ten[static_cast<std::size_t>(scale)];
                n.k = number::kind::double_;
                n.d = negative ? -d : d;
                return true;
            }
            double d = 0;
            const auto [stop, ec] = std::from_chars(start, p, d);
            if (ec != std::errc{} || stop != p || !std::isfinite(d))
                return false; // out of range, underflow included: the parser's route decides
            n.k = number::kind::double_;
            n.d = d;
            return true;
        }
        // Integers: the parser gives int64 when it fits, else uint64 when it fits, else a double.
        // 20 digits fit up to 18446744073709551615; fewer always do (no leading zeros).
        const char* const digit = start + (negative ? 1 : 0);
        const std::size_t count = static_cast<std::size_t>(integer_end - digit);
        constexpr std::string_view uint64_max = "18446744073709551615";
        if (count > uint64_max.size() ||
            (count == uint64_max.size() && std::string_view(digit, count) > uint64_max))
            return false;
        std::uint64_t u = mantissa;
        if (count == 20)
            u = u * 10 + static_cast<std::uint64_t>(digit[19] - '0');
        constexpr std::uint64_t int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (negative) {
            if (u == 0 || u > int64_max + 1)
                return false; // -0, and integers below int64's range: the parser's route decides
            n.k = number::kind::int64;
            n.i = u == int64_max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(u);
        }
        else if (u <= int64_max) {
            n.k = number::kind::int64;
            n.i = static_cast<std::int64_t>(u);
        }
        else {
            n.k = number::kind::uint64;
            n.u = u;
        }
        return true;
    }

    // At '"': the string's value, in the text or (with escapes) in buf_.
    SPECBOUND_DETAIL_HOT bool read_string(std::string_view& out)
    {
        const char* const start = p_ + 1;
        const char* const p = string_stop(start, end_);
        if (p != end_ && *p == '"') [[likely]] {
            out = std::string_view(start, static_cast<std::size_t>(p - start));
            p_ = p + 1;
            return true;
        }
        return read_string_rest(start, p, out);
    }

    // A string with non-ASCII characters or escapes, from the first of them at p.
    SPECBOUND_DETAIL_COLD bool read_string_rest(const char* start, const char* p, std::string_view& out)
    {
        for (;;) {
            if (p == end_)
                return false;
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(p - start));
                p_ = p + 1;
                return true;
            }
            if (c == '\\') {
                buf_.assign(start, p);
                p_ = p;
                return read_escaped(out);
            }
            if (c < 0x20)
                return false;
            const std::size_t n = utf8_sequence_length(p, end_);
            if (n == 0)
                return false;
            p = string_stop(p + n, end_);
        }
    }

    // The rest of a string with escapes, from the backslash at p_, appended to buf_.
    bool read_escaped(std::string_view& out)
    {
        for (;;) {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                out = buf_;
                return true;
            }
            if (c == '\\') {
                if (!read_escape())
                    return false;
            }
            else if (c < 0x20) {
                return false;
            }
            else if (c >= 0x80) {
                const std::size_t n = utf8_sequence_length(p_, end_);
                if (n == 0)
                    return false;
                buf_.append(p_, n);
                p_ += n;
            }
            const char* run = p_;
            p_ = string_stop(p_, end_);
            buf_.append(run, p_);
            if (p_ == end_)
                return false;
        }
    }

    bool read_hex4(std::uint32_t& v) noexcept
    {
        if (end_ - p_ < 4)
            return false;
        v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = *p_++;
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<std::uint32_t>(h - '0');
            else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
                v |= static_cast<std::uint32_t>((h | 0x20) - 'a' + 10);
            else
                return false;
        }
        return true;
    }

    // At a backslash: one escape, appended to buf_. Surrogates only as a high-low pair.
    bool read_escape()
    {
        ++p_;
        if (p_ == end_)
            return false;
        const char e = *p_++;
        switch (e) {
        case '"': buf_.push_back('"'); return true;
        case '\\': buf_.push_back('\\'); return true;
        case '/': buf_.push_back('/'); return true;
        case 'b': buf_.push_back('\b'); return true;
        case 'f': buf_.push_back('\f'); return true;
        case 'n': buf_.push_back('\n'); return true;
        case 'r': buf_.push_back('\r'); return true;
        case 't': buf_.push_back('\t'); return true;
        case 'u': {
            std::uint32_t cp = 0;
            if (!read_hex4(cp))
                return false;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                std::uint32_t low = 0;
                if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
                    return false;
                p_ += 2;
                if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF)
                    return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(buf_, cp);
            return true;
        }
        default: return false;
        }
    }

    // A scalar JSON value into T through the per-type functions of the parser's route. Only the
    // kinds of value T takes: anything else fails on that route too, so the reader gives up
    // without instantiating the functions that say so.
    template <class T>
    bool read_scalar(T& v)
    {
        if constexpr (std::is_arithmetic_v<T>) {
            switch (*p_) {
            case 't': return literal("true") && on_bool_fn<T>(scratch_, &v, true);
            case 'f': return literal("false") && on_bool_fn<T>(scratch_, &v, false);
            case '"':
            case 'n':
            case '{':
            case '[': return false;
            default: {
                number n;
                if (!read_number(n))
                    return false;
                switch (n.k) {
                case number::kind::int64: return on_integer_fn<T, std::int64_t>(scratch_, &v, n.i);
                case number::kind::uint64: return on_integer_fn<T, std::uint64_t>(scratch_, &v, n.u);
                case number::kind::double_: return on_double_fn<T>(scratch_, &v, n.d);
                }
                return false;
            }
            }
        }
        else {
            std::string_view s;
            return *p_ == '"' && read_string(s) && on_string_fn<T>(scratch_, &v, s);
        }
    }

    // At '"' of a key: the key, then the ':' after it.
    SPECBOUND_DETAIL_HOT bool read_key(std::string_view& key)
    {
        if (p_ == end_ || *p_ != '"' || !read_string(key))
            return false;
        skip_whitespace();
        if (p_ == end_ || *p_ != ':')
            return false;
        ++p_;
        return true;
    }

    // At '{' or '[': past it and the whitespace after it, `more` telling whether members or
    // elements follow (false at `close`). false when the nesting would reach the limit.
    SPECBOUND_DETAIL_HOT bool enter(char close, bool& more) noexcept
    {
        if (++depth_ > depth_limit)
            return false;
        ++p_;
        skip_whitespace();
        more = p_ == end_ || *p_ != close;
        return true;
    }

    // At the closing brace or bracket of what enter() entered.
    SPECBOUND_DETAIL_HOT void leave() noexcept
    {
        ++p_;
        --depth_;
    }

    // After a member or an element: true with p_ past a ',' (more follow) or at `close`.
    SPECBOUND_DETAIL_HOT bool next_or_close(char close, bool& more) noexcept
    {
        skip_whitespace();
        if (p_ == end_)
            return false;
        if (*p_ == ',') {
            ++p_;
            skip_whitespace();
            more = true;
            return true;
        }
        more = false;
        return *p_ == close;
    }

    // The members of an object from p_ (at a key when `more`, else at '}'), its closing brace and
    // the check of its required fields. `once`: a key already read that may not come again (a
    // union's discriminator, which cannot choose again). `o`: the object's tables, see
    // members_of.
    template <class Layout>
    bool read_members(const Layout& o, void* obj, std::uint64_t* seen, bool more, std::string_view once)
    {
        std::size_t hint = 0;
        while (more) {
            std::string_view key;
            if (!read_key(key) || (!once.empty() && key == once))
                return false;
            const std::size_t i = o.find(key, hint);
            if (i == npos) {
                hint = 0;
                if (!skip())
                    return false;
            }
            else {
                hint = i + 1;
                const field_entry& f = o.entries[i];
                std::uint64_t& w = seen[i / 64];
                const std::uint64_t bit = std::uint64_t{1} << (i % 64);
                if ((w & bit) != 0)
                    f.reset(obj);
                w |= bit;
                if (!read_slot(slot{f.ops, f.get(obj)}))
                    return false;
            }
            if (!next_or_close('}', more))
                return false;
        }
        leave();
        for (std::size_t w = 0; w < o.words; ++w)
            if ((seen[w] & o.required_mask[w]) != o.required_mask[w])
                return false;
        return true;
    }

    // At '{' of a union whose discriminator, when it is the first key, chooses the alternative
    // that the rest of the object decodes into (variant_codec's streaming). Any other object
    // (another first key, a value the mapping does not know) goes to a parser, which captures it.
    template <class V>
    bool read_union(V& v)
    {
        using traits = variant_traits<V>;
        const char* const start = p_;
        const std::size_t depth = depth_;
        bool more;
        if (!enter('}', more))
            return false;
        std::string_view key, value;
        if (more && read_key(key) && key == traits::discriminator) {
            skip_whitespace();
            if (p_ != end_ && *p_ == '"' && read_string(value)) {
                const std::size_t index = mapped_alternative<V>(value);
                if (index < variant_codec<V>::known)
                    return read_alternative(v, value, index, std::make_index_sequence<variant_codec<V>::known>{});
            }
        }
        p_ = start;
        depth_ = depth;
        return parse_subtree(slot_of(v));
    }

    template <class V, std::size_t... I>
    bool read_alternative(V& v, std::string_view value, std::size_t index, std::index_sequence<I...>)
    {
        bool ok = false;
        (void)((I == index && (ok = read_alternative<I>(v, value), true)) || ...);
        return ok;
    }

    // The alternative I chosen by `value`, read at p_ (after the discriminator's value). The
    // discriminator is offered to the alternative's object like any key, as variant_codec does.
    template <std::size_t I, class V>
    bool read_alternative(V& v, std::string_view value)
    {
        using A = std::variant_alternative_t<I, variant_base_t<V>>;
        using O = typename unboxed<A>::type;
        using codec = object_codec<O>;
        A& alternative = static_cast<variant_base_t<V>&>(v).template emplace<I>();
        O* obj;
        if constexpr (is_boxed_v<A>)
            obj = &*alternative;
        else
            obj = &alternative;
        std::array<std::uint64_t, codec::words> seen{};
        if (const std::size_t i = codec::find(variant_traits<V>::discriminator, 0); i != npos) {
            seen[i / 64] |= std::uint64_t{1} << (i % 64);
            slot s{codec::entries[i].ops, codec::entries[i].get(obj)};
            if (s.ops->resolve != nullptr)
                s = s.ops->resolve(s.p, false);
            if (!s.ops->on_string(scratch_, s.p, value))
                return false;
        }
        bool more = false;
        return next_or_close('}', more) &&
               read_members(members_of<O>, obj, seen.data(), more, variant_traits<V>::discriminator);
    }

    // At '[': a vector, with vector_codec's growth.
    template <class V>
    bool read_array(V& v)
    {
        bool more;
        if (!enter(']', more))
            return false;
        v.clear();
        while (more) {
            if (v.size() == v.capacity())
                vector_codec<V>::grow(v);
            if (!read_value(v.emplace_back()) || !next_or_close(']', more))
                return false;
        }
        leave();
        vector_codec<V>::trim(v);
        return true;
    }

    // At '{' of a map (additionalProperties of a type): map_codec's rules, emptied first, a
    // repeated key's last value wins.
    template <class M>
    bool read_map(M& m)
    {
        bool more;
        if (!enter('}', more))
            return false;
        m.clear();
        while (more) {
            std::string_view key;
            if (!read_key(key))
                return false;
            auto [it, inserted] = m.try_emplace(std::string(key));
            if (!inserted)
                it->second = typename M::mapped_type{};
            if (!read_value(it->second) || !next_or_close('}', more))
                return false;
        }
        leave();
        return true;
    }

    // Any value, checked as strictly as the parser checks it, and dropped (unknown keys).
    bool skip()
    {
        skip_whitespace();
        if (p_ == end_)
            return false;
        switch (*p_) {
        case '"': {
            std::string_view s;
            return read_string(s);
        }
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        case '{': return skip_container('}');
        case '[': return skip_container(']');
        default: {
            number n;
            return read_number(n);
        }
        }
    }

    // At '{' or '[' (closed by `close`): its members or elements checked and dropped.
    bool skip_container(char close)
    {
        bool more;
        if (!enter(close, more))
            return false;
        while (more) {
            std::string_view key;
            if ((close == '}' && !read_key(key)) || !skip() || !next_or_close(close, more))
                return false;
        }
        leave();
        return true;
    }

    // One value decoded by a parser of its own, for the types the reader leaves to the parser.
    bool parse_subtree(slot target)
    {
        boost::json::parse_options opt;
        opt.max_depth = depth_limit - depth_;
        boost::json::basic_parser<decode_handler> parser(opt, target, depth_);
        boost::json::error_code ec;
        const std::size_t n = parser.write_some(false, p_, static_cast<std::size_t>(end_ - p_), ec);
        if (ec || n == 0)
            return false;
        p_ += n;
        return true;
    }

    const char* p_;
    const char* end_;
    std::size_t depth_ = 0; // arrays and objects open around the value being read
    std::string buf_;       // a string with escapes, unescaped
    decode_handler scratch_{slot{}}; // where the per-type functions record failures nobody reads
};

template <class T>
bool read_fn(typed_reader& r, void* p)
{
    T& v = *static_cast<T*>(p);
    r.skip_whitespace();
    if (r.p_ == r.end_)
        return false;
    static_assert(!is_wrapper_v<T>, "wrappers are read by typed_reader::read_slot");
    if constexpr (reads_object<T>()) {
        // A generated model, with object_codec's rules (last key wins, required fields).
        bool more;
        if (*r.p_ != '{' || !r.enter('}', more))
            return false;
        std::array<std::uint64_t, object_codec<T>::words> seen{};
        return r.read_members(members_of<T>, &v, seen.data(), more, {});
    }
    else if constexpr (reads_array<T>()) {
        return *r.p_ == '[' && r.read_array(v);
    }
    else if constexpr (is_string_map_v<T>) {
        return *r.p_ == '{' && r.read_map(v);
    }
    else if constexpr (std::is_same_v<T, skip_value>) {
        return r.skip();
    }
    else if constexpr (is_discriminator_v<T> || std::is_same_v<T, bool_appender>) {
        return false; // only the parser's route makes these
    }
    else if constexpr (std::is_arithmetic_v<T> || is_stringish_v<T>) {
        return r.read_scalar(v);
    }
    else if constexpr (reads_union<T>()) {
        return *r.p_ == '{' ? r.read_union(v) : r.parse_subtree(slot_of(v));
    }
    else {
        // Other unions, objects with additionalProperties, free-form values, vector<bool>.
        return r.parse_subtree(slot_of(v));
    }
}

} // namespace specbound::json::detail

#undef SPECBOUND_DETAIL_HOT
#undef SPECBOUND_DETAIL_COLD
