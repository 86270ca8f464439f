// The `frame_ops` of every kind of JSON container: objects (generated models), maps
// (additionalProperties), arrays, and unions whose discriminator comes first (decoded while streaming).
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/decoder_type_ops.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/list.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace specbound::json::detail {

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

// An object type's tables in a form that is the same for every type, for the code that all
// object types share (the typed reader's members loop).
struct object_layout {
    const field_entry* entries;
    std::size_t (*find)(std::string_view key, std::size_t hint) noexcept;
    const std::uint64_t* required_mask;
    std::size_t words; // of required_mask and of the fields-seen bits
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
                           +[](void* o) { static_cast<T*>(o)->*F::member = V(); }, f.required};
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
    static constexpr object_layout layout{entries.data(), &find, required_mask.data(), words};
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
            if (v.size() == v.capacity()) [[unlikely]]
                grow(v);
            v.emplace_back();
            return slot_of(v.back());
        }
    }

    // 4 elements first; an array longer than that is taken to be a long one: 32, then doubling.
    // Each step moves every element decoded so far and frees a block, the costliest part of a
    // long array (20 objects: 2 allocations and 4 moves instead of 4 and 28). on_end gives back
    // what more than halves the use of the capacity, so no array keeps more than doubling would.
    static void grow(V& v)
    {
        const std::size_t c = v.capacity();
        v.reserve(c == 0 ? 4 : c == 4 ? 32 : 2 * c);
    }

    static void trim(V& v)
    {
        if (v.capacity() == 32 && v.size() < 16)
            v.shrink_to_fit();
    }

    static bool on_end(decode_handler&, frame& f)
    {
        if constexpr (!std::is_same_v<elem, bool>)
            trim(*static_cast<V*>(f.target));
        return true;
    }
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

/// The object of an alternative chosen while streaming. Its discriminator cannot choose again, so
/// a repeated discriminator key is an error: last-wins would leave a member naming one
/// alternative in a value holding another, which encodes to JSON that does not decode (found by
/// the json_models fuzz target).
template <class V, class O>
struct streamed_alternative_codec {
    static bool on_key(decode_handler& h, frame& f, std::string_view key)
    {
        using traits = variant_traits<V>;
        if (key == traits::discriminator) {
            f.index = npos; // the pointer names the object
            f.key = nullptr;
            return h.fail("repeated discriminator " + quoted(key) + " of " + std::string(traits::name));
        }
        return object_codec<O>::on_key(h, f, key);
    }

    static constexpr frame_ops fops{&on_key, nullptr, &object_codec<O>::on_end, &object_codec<O>::append_segment,
                                    false};
};

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
    static constexpr std::size_t known = known_alternatives<V>(); // without the unknown_alternative

    template <std::size_t... I>
    static constexpr bool all_objects(std::index_sequence<I...>) noexcept
    {
        return (object_model<typename unboxed<std::variant_alternative_t<I, base>>::type> && ...);
    }
    // Streaming needs a discriminator and object alternatives; anything else is captured.
    static constexpr bool streams = !traits::discriminator.empty() && all_objects(std::make_index_sequence<known>{});

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
        frame& f = h.retarget_top(&streamed_alternative_codec<V, O>::fops, obj, object_codec<O>::words);
        object_codec<O>::on_key(h, f, traits::discriminator);
        slot s = f.next;
        if (s.ops->resolve != nullptr)
            s = s.ops->resolve(s.p, false);
        return s.ops->on_string(h, s.p, value);
    }

    static bool on_discriminator(decode_handler& h, void* p, std::string_view value)
    {
        const std::size_t index = mapped_alternative<V>(value);
        if (index >= known) {
            if constexpr (has_unknown_alternative_v<V>) {
                // The rest of the object is captured and decode_variant keeps it whole.
                h.capture_top_object(slot{&ops_v<V>, p}, traits::discriminator, value);
                return true;
            }
            else {
                return h.fail("unknown discriminator value " + quoted(value) + " of " + std::string(traits::name));
            }
        }
        return dispatch(h, *static_cast<V*>(p), value, index, std::make_index_sequence<known>{});
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

} // namespace specbound::json::detail
