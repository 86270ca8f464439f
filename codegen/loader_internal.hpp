// Internals of the spec loader: node storage, and the YAML / JSON parsers that fill it.
// Not part of the generator's interface; only document.cpp, loader_*.cpp and merge.cpp use it.
#pragma once

#include "document.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace specbound::gen {

namespace detail {

/// Owns string bytes for the lifetime of a document_set, so nodes can hold string_views.
class string_arena {
public:
    std::string_view store(std::string_view s);

private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* cur_ = nullptr;
    std::size_t left_ = 0;
};

/// Everything the nodes of a document_set point into. Addresses never move (deques, arena).
struct node_store {
    std::deque<node> nodes;
    string_arena strings;
    std::deque<std::string> buffers; // JSON file contents: strings without escapes point into them
    std::uint64_t aliased = 0;       // nodes the YAML aliases of every file stand for
};

/// Expanded node count above which a YAML file is rejected (aliases can multiply a small file).
inline constexpr std::uint64_t max_expanded_nodes = 20'000'000;
/// Nodes that YAML aliases may add to a document set, all its files together: what every walk of
/// the tree (schemas, examples, JSON output) pays for again at each alias, however small the files.
inline constexpr std::uint64_t max_alias_expansion = 100'000;
/// Largest file the loader reads.
inline constexpr std::size_t max_file_bytes = std::size_t(256) << 20;
/// Deepest nesting accepted; deeper input is an error rather than a stack overflow later.
inline constexpr std::size_t max_nesting = 512;

/// Offset -> 1-based line/column for a text buffer.
class line_table {
public:
    explicit line_table(std::string_view text);
    [[nodiscard]] location at(const source_file* file, std::size_t offset) const;
    /// Same, for offsets that only grow: `line` (0-based, caller-held) moves forward, O(1) amortized.
    [[nodiscard]] location at_forward(const source_file* file, std::size_t offset, std::size_t& line) const;

private:
    std::vector<std::size_t> starts_;
};

} // namespace detail

/// The one place that builds nodes (node befriends it). Parsers and the section merge use it.
class loader {
public:
    static node& make(detail::node_store& s, node::kind k, location where)
    {
        node& n = s.nodes.emplace_back();
        n.kind_ = k;
        n.where_ = where;
        return n;
    }
    static void set_text(node& n, std::string_view text, bool quoted) noexcept
    {
        n.text_ = text;
        n.quoted_ = quoted;
    }
    /// Records where a child sits; an aliased node keeps the place of its anchor.
    static void adopt(node& child, const node* parent, std::string_view key, std::uint32_t index) noexcept
    {
        child.parent_ = parent;
        child.key_in_parent_ = key;
        child.index_in_parent_ = index;
    }
    static void set_members(node& n, const member* first, const member* last) { n.members_.assign(first, last); }
    static void set_items(node& n, const node* const* first, const node* const* last) { n.items_.assign(first, last); }

    /// Parses YAML text into nodes; returns the root (a null node for an empty file).
    static const node* parse_yaml(detail::node_store& s, const source_file& file, std::string_view text,
                                  std::vector<diagnostic>& warnings);
    /// Parses JSON text into nodes with Boost.JSON; strings without escapes point into `text`,
    /// which must outlive the nodes.
    static const node* parse_json(detail::node_store& s, const source_file& file, std::string_view text);
};

namespace detail {

/// Throws spec_error "duplicate key" if two members of `mapping` share a key; key_locations[i]
/// locates members[i]. `mapping` must already know its parent (for the JSON pointer).
void check_duplicate_keys(const node& mapping, const member* members, const location* key_locations,
                          std::size_t n);

[[noreturn]] void throw_at(location where, std::string pointer, std::string message);

/// RFC 3986 percent-decoding; false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out);

/// The scheme of a URI reference ("http" in "http://..."); empty if it has none.
std::string_view uri_scheme(std::string_view ref);

/// Appends `token` to a JSON pointer, escaping '~' and '/'.
void append_pointer_token(std::string& out, std::string_view token);

} // namespace detail

} // namespace specbound::gen
