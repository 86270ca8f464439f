// The loaded spec: every YAML/JSON file reachable from the root through $ref, as one tree of nodes
// that remember where they came from (file, line, column, JSON pointer) for diagnostics.
//
// Data flows one way: files -> document_set (this) -> model (IR) -> emitters.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace specbound::gen {

struct source_file {
    std::filesystem::path path;    // as given / resolved, normalized (lexically), absolute
    std::string display;           // path relative to the root file's folder, for messages
};

struct location {
    const source_file* file = nullptr;
    std::uint32_t line = 0;   // 1-based; 0 = unknown
    std::uint32_t column = 0; // 1-based
};

class node;

struct member {
    std::string_view key;
    const node* value;
};

class node {
public:
    enum class kind : std::uint8_t { null, scalar, mapping, sequence };

    [[nodiscard]] kind type() const noexcept { return kind_; }
    [[nodiscard]] bool is_null() const noexcept { return kind_ == kind::null; }
    [[nodiscard]] bool is_scalar() const noexcept { return kind_ == kind::scalar; }
    [[nodiscard]] bool is_mapping() const noexcept { return kind_ == kind::mapping; }
    [[nodiscard]] bool is_sequence() const noexcept { return kind_ == kind::sequence; }

    /// Scalar text as written (without quotes). Empty for non-scalars.
    [[nodiscard]] std::string_view text() const noexcept { return text_; }
    /// True for quoted YAML scalars and JSON strings: always a string, never a bool or number.
    [[nodiscard]] bool quoted() const noexcept { return quoted_; }
    /// Interpretations of a plain scalar (YAML 1.2 core schema: true/false, integers, floats).
    [[nodiscard]] std::optional<bool> as_bool() const noexcept;
    [[nodiscard]] std::optional<std::int64_t> as_int() const noexcept;
    [[nodiscard]] std::optional<double> as_number() const noexcept;
    /// A scalar that is a string (quoted, or plain and not a bool/number/null).
    [[nodiscard]] bool is_string() const noexcept;

    /// Mapping members in document order (order matters: deterministic output).
    [[nodiscard]] std::span<const member> members() const noexcept { return members_; }
    [[nodiscard]] const node* find(std::string_view key) const noexcept;
    /// A mapping whose `$ref` member is a scalar: a reference, where one may stand. A `$ref` key
    /// holding a mapping is an ordinary member (a property named "$ref" under `properties`).
    /// Where only a Schema or Reference may stand, any `$ref` key is a reference (see resolve).
    [[nodiscard]] bool is_reference() const noexcept;
    /// Sequence items in order.
    [[nodiscard]] std::span<const node* const> items() const noexcept { return items_; }

    [[nodiscard]] const location& where() const noexcept { return where_; }
    /// Parent in the tree of its own file (nullptr for a file's root); $ref does not change it.
    [[nodiscard]] const node* parent() const noexcept { return parent_; }
    /// JSON pointer of this node within its file, e.g. "/components/schemas/Pet/properties/a~1b".
    [[nodiscard]] std::string pointer() const;

private:
    friend class document_set;
    friend class loader;
    kind kind_ = kind::null;
    bool quoted_ = false;
    std::string_view text_;               // points into the document_set's string storage
    std::vector<member> members_;
    std::vector<const node*> items_;
    location where_;
    const node* parent_ = nullptr;
    std::string_view key_in_parent_;      // for mappings' members
    std::uint32_t index_in_parent_ = 0;   // for sequence items
};

/// A problem in the spec, with its place. `file:line:column: severity: message [pointer]`.
struct diagnostic {
    enum class severity : std::uint8_t { warning, error };
    severity level = severity::error;
    location where;
    std::string pointer; // JSON pointer within `where.file`
    std::string message;
    std::string rule;    // what `specbound-gen lint` calls it ("ambiguous-union", ...); may be empty

    [[nodiscard]] std::string format() const;
};

/// Thrown for a spec the generator cannot use; carries the diagnostic.
class spec_error : public std::runtime_error {
public:
    explicit spec_error(diagnostic d);
    [[nodiscard]] const diagnostic& diag() const noexcept { return diag_; }

private:
    diagnostic diag_;
};

[[nodiscard]] diagnostic make_diagnostic(diagnostic::severity level, const node& at, std::string message);

/// Where a document_set reads its files: the filesystem (disk_files) or a set held in memory
/// (memory_files). Paths given to identify and read are absolute and lexically normal.
class file_source {
public:
    struct identity {
        std::uint64_t a = 0, b = 0;
        bool operator==(const identity&) const = default;
    };
    virtual ~file_source() = default;
    /// `path` made absolute; false with the reason in `error`.
    virtual bool absolute(const std::filesystem::path& path, std::filesystem::path& out, std::string& error) const = 0;
    /// The regular file at `path`: files with equal identities are one file. False with the reason in `error`.
    virtual bool identify(const std::filesystem::path& path, identity& id, std::string& error) const = 0;
    /// The whole content of the file at `path`; false with the reason in `error`.
    virtual bool read(const std::filesystem::path& path, std::string& out, std::string& error) const = 0;
};

/// The filesystem: relative paths are relative to the working directory; a file reached through
/// other spellings, symlinks or hard links is one file (device and inode).
class disk_files final : public file_source {
public:
    bool absolute(const std::filesystem::path& path, std::filesystem::path& out, std::string& error) const override;
    bool identify(const std::filesystem::path& path, identity& id, std::string& error) const override;
    bool read(const std::filesystem::path& path, std::string& out, std::string& error) const override;
};

/// Files held in memory by path (no filesystem access at all): relative paths are relative to "/".
class memory_files final : public file_source {
public:
    /// Adds or replaces the file at `path`.
    void add(const std::filesystem::path& path, std::string text);

    bool absolute(const std::filesystem::path& path, std::filesystem::path& out, std::string& error) const override;
    bool identify(const std::filesystem::path& path, identity& id, std::string& error) const override;
    bool read(const std::filesystem::path& path, std::string& out, std::string& error) const override;

private:
    std::unordered_map<std::string, std::string> files_; // by absolute, lexically normal path
};

/// Every file reachable from a root, loaded on demand, plus $ref resolution across them.
class document_set {
public:
    /// Loads the root file (YAML or JSON, by content) from the filesystem. Throws spec_error on syntax errors.
    explicit document_set(const std::filesystem::path& root_file);
    /// The same, reading the root and every file it references from `files`.
    document_set(const std::filesystem::path& root_file, std::unique_ptr<file_source> files);
    ~document_set();
    document_set(const document_set&) = delete;
    document_set& operator=(const document_set&) = delete;

    [[nodiscard]] const node& root() const noexcept;
    [[nodiscard]] const source_file& root_file() const noexcept;

    /// If `n` is a mapping with a `$ref` member, the node it names (following chains of $refs,
    /// detecting cycles); otherwise `n` itself. Loads other files as needed.
    /// Throws spec_error (dangling reference, bad pointer, unreadable file, $ref cycle).
    [[nodiscard]] const node& resolve(const node& n);

    /// Like resolve, but only one step: the target of `n`'s own $ref (nullptr when `n` has none).
    /// A JSON pointer that passes through a node which is itself a $ref continues in its target.
    [[nodiscard]] const node* ref_target(const node& n);

    /// A stable identity for a node: "<display path>#<pointer>", equal for the same node however reached.
    [[nodiscard]] std::string canonical_id(const node& n) const;

    /// Loads another file into the set (once; relative paths are relative to the working
    /// directory, for disk_files) and returns its root. Throws spec_error like the constructor.
    const node& load(const std::filesystem::path& file);

    /// Files loaded so far, in load order (the root first).
    [[nodiscard]] std::vector<const source_file*> files() const;

    /// FNV-1a 64 over the bytes of the files loaded so far, in load order, as the loader read them.
    [[nodiscard]] std::uint64_t content_hash() const noexcept;

    /// Warnings collected while loading (e.g. non-standard but accepted constructs).
    [[nodiscard]] const std::vector<diagnostic>& warnings() const noexcept;
    void warn(const node& at, std::string message, std::string rule = {});
    /// What makes the generated API worse without being worth a warning on every build (an inline
    /// schema named by the generator, a name taken twice): reported by `specbound-gen lint` only.
    [[nodiscard]] const std::vector<diagnostic>& notes() const noexcept;
    void note(const node& at, std::string rule, std::string message);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// FNV-1a 64 of `bytes`, continuing from `hash`.
[[nodiscard]] std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL) noexcept;

/// `n` as JSON text (2-space indented, members in document order, newline-terminated).
/// Plain YAML scalars become JSON booleans/numbers by the YAML 1.2 core schema, everything else
/// strings. Throws spec_error for values JSON cannot hold (.inf, .nan).
[[nodiscard]] std::string to_json(const node& n);

} // namespace specbound::gen
