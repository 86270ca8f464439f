// document_set: loads files (YAML or JSON by content), resolves $refs across them, reports
// problems with file:line:column and JSON pointer.
#include "document.hpp"

#include "loader_internal.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <numeric>
#include <unordered_set>

#include <sys/stat.h>

namespace specbound::gen {

// ---------------------------------------------------------------------------------------------
// detail

namespace detail {

std::string_view string_arena::store(std::string_view s)
{
    if (s.empty())
        return {};
    if (s.size() > left_) {
        constexpr std::size_t block = 64 * 1024;
        std::size_t size = std::max(block, s.size());
        blocks_.push_back(std::make_unique<char[]>(size));
        cur_ = blocks_.back().get();
        left_ = size;
    }
    std::memcpy(cur_, s.data(), s.size());
    std::string_view out(cur_, s.size());
    cur_ += s.size();
    left_ -= s.size();
    return out;
}

line_table::line_table(std::string_view text)
{
    starts_.push_back(0);
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (!nl)
            break;
        p = static_cast<const char*>(nl) + 1;
        starts_.push_back(static_cast<std::size_t>(p - text.data()));
    }
}

location line_table::at(const source_file* file, std::size_t offset) const
{
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    std::size_t line = static_cast<std::size_t>(it - starts_.begin()) - 1;
    return {file, static_cast<std::uint32_t>(line + 1), static_cast<std::uint32_t>(offset - starts_[line] + 1)};
}

location line_table::at_forward(const source_file* file, std::size_t offset, std::size_t& line) const
{
    while (line + 1 < starts_.size() && starts_[line + 1] <= offset)
        ++line;
    return {file, static_cast<std::uint32_t>(line + 1), static_cast<std::uint32_t>(offset - starts_[line] + 1)};
}

void throw_at(location where, std::string pointer, std::string message)
{
    diagnostic d;
    d.where = where;
    d.pointer = std::move(pointer);
    d.message = std::move(message);
    throw spec_error(std::move(d));
}

void append_pointer_token(std::string& out, std::string_view token)
{
    out += '/';
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
}

namespace {

std::string position_text(const location& l)
{
    return std::to_string(l.line) + ":" + std::to_string(l.column);
}

[[noreturn]] void duplicate_key(const node& mapping, const member& m, const location& first, const location& second)
{
    std::string pointer = mapping.pointer();
    append_pointer_token(pointer, m.key);
    throw_at(second, std::move(pointer),
             "duplicate key '" + std::string(m.key) + "' (first defined at " + position_text(first) + ")");
}

} // namespace

void check_duplicate_keys(const node& mapping, const member* members, const location* key_locations, std::size_t n)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (std::size_t i = 1; i < n; ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (members[i].key == members[j].key)
                    duplicate_key(mapping, members[i], key_locations[j], key_locations[i]);
        return;
    }
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    // Stable so that, among equal keys, the first in the document comes first.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return members[a].key < members[b].key; });
    for (std::size_t i = 1; i < n; ++i)
        if (members[order[i]].key == members[order[i - 1]].key)
            duplicate_key(mapping, members[order[i]], key_locations[order[i - 1]], key_locations[order[i]]);
}

namespace {

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}


} // namespace

// RFC 3986 percent-decoding; false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
        int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

// "scheme:" at the start of a URI reference (RFC 3986 scheme syntax); empty if none.
std::string_view uri_scheme(std::string_view ref)
{
    std::size_t colon = ref.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return {};
    std::string_view scheme = ref.substr(0, colon);
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(scheme[0]))
        return {};
    for (char c : scheme)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            return {};
    return scheme;
}

} // namespace detail

// ---------------------------------------------------------------------------------------------
// node

namespace {

bool all_digits(std::string_view s, bool (*ok)(char))
{
    return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}

bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// YAML 1.2 core schema float, also accepting every JSON number.
bool is_core_float(std::string_view s)
{
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    std::size_t int_digits = 0;
    while (i < s.size() && is_dec(s[i]))
        ++i, ++int_digits;
    std::size_t frac_digits = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_dec(s[i]))
            ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        std::size_t exp_digits = 0;
        while (i < s.size() && is_dec(s[i]))
            ++i, ++exp_digits;
        if (exp_digits == 0)
            return false;
    }
    return i == s.size();
}

// Strict JSON number grammar (RFC 8259), to keep such text verbatim in to_json.
bool is_json_number(std::string_view s)
{
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i >= s.size())
        return false;
    if (s[i] == '0')
        ++i;
    else if (s[i] >= '1' && s[i] <= '9')
        while (i < s.size() && is_dec(s[i]))
            ++i;
    else
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (i >= s.size() || !is_dec(s[i]))
            return false;
        while (i < s.size() && is_dec(s[i]))
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        if (i >= s.size() || !is_dec(s[i]))
            return false;
        while (i < s.size() && is_dec(s[i]))
            ++i;
    }
    return i == s.size();
}

} // namespace

std::optional<bool> node::as_bool() const noexcept
{
    if (kind_ != kind::scalar || quoted_)
        return std::nullopt;
    if (text_ == "true" || text_ == "True" || text_ == "TRUE")
        return true;
    if (text_ == "false" || text_ == "False" || text_ == "FALSE")
        return false;
    return std::nullopt;
}

std::optional<std::int64_t> node::as_int() const noexcept
{
    if (kind_ != kind::scalar || quoted_)
        return std::nullopt;
    std::string_view s = text_;
    int base = 10;
    bool negative = false;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        base = s[1] == 'x' ? 16 : 8;
        s.remove_prefix(2);
        if (!all_digits(s, base == 16 ? is_hex : is_oct))
            return std::nullopt;
    } else {
        if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
            negative = s[0] == '-';
            s.remove_prefix(1);
        }
        if (!all_digits(s, is_dec))
            return std::nullopt;
    }
    // Parse the magnitude unsigned so that INT64_MIN is representable.
    std::uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
    if (ec != std::errc() || ptr != s.data() + s.size())
        return std::nullopt;
    if (negative) {
        if (magnitude > std::uint64_t(INT64_MAX) + 1)
            return std::nullopt;
        return magnitude == std::uint64_t(INT64_MAX) + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude > std::uint64_t(INT64_MAX))
        return std::nullopt;
    return static_cast<std::int64_t>(magnitude);
}

std::optional<double> node::as_number() const noexcept
{
    if (kind_ != kind::scalar || quoted_)
        return std::nullopt;
    if (auto i = as_int())
        return static_cast<double>(*i);
    std::string_view s = text_;
    std::string_view unsigned_part = s;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        unsigned_part.remove_prefix(1);
    }
    if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF")
        return negative ? -HUGE_VAL : HUGE_VAL;
    if (s == ".nan" || s == ".NaN" || s == ".NAN")
        return std::nan("");
    if (!is_core_float(s)) {
        // Integers too large for int64 are still numbers.
        if (!all_digits(unsigned_part, is_dec))
            return std::nullopt;
    }
    std::string copy(s); // strtod needs a terminated string; accepts "1." and "+1" like YAML does
    char* end = nullptr;
    double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size())
        return std::nullopt;
    return v;
}

bool node::is_string() const noexcept
{
    return kind_ == kind::scalar && (quoted_ || (!as_bool() && !as_number()));
}

const node* node::find(std::string_view key) const noexcept
{
    for (const member& m : members_)
        if (m.key == key)
            return m.value;
    return nullptr;
}

bool node::is_reference() const noexcept
{
    const node* ref = find("$ref");
    return ref && ref->is_scalar();
}

std::string node::pointer() const
{
    std::vector<const node*> chain;
    for (const node* n = this; n->parent_; n = n->parent_)
        chain.push_back(n);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const node* n = *it;
        if (n->parent_->is_mapping())
            detail::append_pointer_token(out, n->key_in_parent_);
        else
            out += '/' + std::to_string(n->index_in_parent_);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// diagnostics

std::string diagnostic::format() const
{
    std::string out;
    if (where.file) {
        out += where.file->display.empty() ? where.file->path.generic_string() : where.file->display;
        if (where.line != 0) {
            out += ':' + std::to_string(where.line);
            if (where.column != 0)
                out += ':' + std::to_string(where.column);
        }
        out += ": ";
    }
    out += level == severity::error ? "error: " : "warning: ";
    out += message;
    if (!pointer.empty())
        out += " [at " + pointer + "]";
    return out;
}

spec_error::spec_error(diagnostic d) : std::runtime_error(d.format()), diag_(std::move(d)) {}

diagnostic make_diagnostic(diagnostic::severity level, const node& at, std::string message)
{
    diagnostic d;
    d.level = level;
    d.where = at.where();
    d.pointer = at.pointer();
    d.message = std::move(message);
    return d;
}

// ---------------------------------------------------------------------------------------------
// content hash

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash) noexcept
{
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// ---------------------------------------------------------------------------------------------
// file sources

bool disk_files::absolute(const std::filesystem::path& path, std::filesystem::path& out, std::string& error) const
{
    std::error_code ec;
    out = std::filesystem::absolute(path, ec);
    if (ec)
        error = ec.message();
    return !ec;
}

bool disk_files::identify(const std::filesystem::path& path, identity& id, std::string& error) const
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = errno == ENOENT ? std::string("no such file") : std::string(std::strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = "not a regular file";
        return false;
    }
    id = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
    return true;
}

bool disk_files::read(const std::filesystem::path& path, std::string& out, std::string& error) const
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        error = std::strerror(errno);
        return false;
    }
    out.clear();
    char buf[64 * 1024];
    for (;;) {
        std::size_t got = std::fread(buf, 1, sizeof buf, f);
        out.append(buf, got);
        if (out.size() > detail::max_file_bytes) { // enough for the loader to refuse it
            std::fclose(f);
            return true;
        }
        if (got < sizeof buf) {
            bool bad = std::ferror(f) != 0;
            std::fclose(f);
            if (bad) {
                error = "read error";
                return false;
            }
            return true;
        }
    }
}

void memory_files::add(const std::filesystem::path& path, std::string text)
{
    std::filesystem::path abs;
    std::string ignored;
    absolute(path, abs, ignored);
    files_[abs.lexically_normal().string()] = std::move(text);
}

bool memory_files::absolute(const std::filesystem::path& path, std::filesystem::path& out, std::string&) const
{
    out = path.is_absolute() ? path : std::filesystem::path("/") / path;
    return true;
}

bool memory_files::identify(const std::filesystem::path& path, identity& id, std::string& error) const
{
    auto it = files_.find(path.string());
    if (it == files_.end()) {
        error = "no such file";
        return false;
    }
    id = {reinterpret_cast<std::uintptr_t>(&*it), 0};
    return true;
}

bool memory_files::read(const std::filesystem::path& path, std::string& out, std::string& error) const
{
    auto it = files_.find(path.string());
    if (it == files_.end()) {
        error = "no such file";
        return false;
    }
    out = it->second;
    return true;
}

// ---------------------------------------------------------------------------------------------
// document_set

namespace {

[[noreturn]] void fail_at(const node& at, std::string message)
{
    throw spec_error(make_diagnostic(diagnostic::severity::error, at, std::move(message)));
}

// RFC 6901 token unescaping: "~1" -> "/", "~0" -> "~"; false on any other '~' sequence.
bool unescape_token(std::string_view in, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '~') {
            out += in[i];
            continue;
        }
        if (i + 1 >= in.size() || (in[i + 1] != '0' && in[i + 1] != '1'))
            return false;
        out += in[i + 1] == '0' ? '~' : '/';
        ++i;
    }
    return true;
}

// source_file records live for the whole program: diagnostics (copied out of a spec_error, kept in
// a list) point at them and often outlive the document_set that made them. One record per
// distinct (path, display) pair, so loading the same spec again reuses them.
const source_file* intern_source_file(const std::filesystem::path& path, std::string display)
{
    static std::mutex mutex;
    static std::deque<source_file> files;
    static std::unordered_map<std::string, const source_file*> index;
    std::string key = path.string();
    key += '\0';
    key += display;
    std::lock_guard lock(mutex);
    auto [it, fresh] = index.try_emplace(std::move(key), nullptr);
    if (fresh)
        it->second = &files.emplace_back(source_file{path, std::move(display)});
    return it->second;
}

bool is_json_text(std::string_view text)
{
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

} // namespace

struct document_set::impl {
    struct loaded {
        const source_file* file;
        const node* root = nullptr;
    };

    detail::node_store store;
    std::vector<loaded> files;
    std::unordered_map<const source_file*, const node*> roots;
    std::unique_ptr<file_source> source;
    struct identity_hash {
        std::size_t operator()(const file_source::identity& id) const noexcept
        {
            return std::hash<std::uint64_t>()(id.a * 0x9E3779B97F4A7C15ull ^ id.b);
        }
    };
    std::unordered_map<file_source::identity, std::size_t, identity_hash> by_identity;
    std::unordered_map<std::string, std::size_t> by_lexical; // saves a stat() per $ref
    std::uint64_t content_hash = fnv1a64({});                // over `files`' bytes, in load order
    std::vector<diagnostic> warnings;
    std::vector<diagnostic> notes;
    std::filesystem::path base_dir;

    std::unordered_map<const node*, const node*> targets;  // ref_target results
    std::unordered_map<const node*, const node*> resolved; // resolve results
    std::unordered_set<const node*> in_progress;           // ref_target calls under way
    std::unordered_map<const node*, std::unordered_map<std::string_view, const node*>> indexes;

    // Loads `path` (absolute) once; errors are reported at `from` (a $ref value) if given.
    // The same file reached through different spellings is one file: files are told apart by the
    // source's identity (on disk device and inode, cheaper than realpath on every $ref).
    std::size_t load(const std::filesystem::path& path, const node* from)
    {
        std::filesystem::path normal = path.lexically_normal();
        std::string lexical = normal.string();
        if (auto it = by_lexical.find(lexical); it != by_lexical.end())
            return it->second;

        auto fail = [&](const std::string& reason) {
            std::string msg = "cannot read file '" + display_of(normal) + "': " + reason;
            if (from)
                fail_at(*from, std::move(msg));
            detail::throw_at({}, {}, std::move(msg));
        };
        std::string error;
        file_source::identity id;
        if (!source->identify(normal, id, error))
            fail(error);
        if (auto it = by_identity.find(id); it != by_identity.end()) {
            by_lexical.emplace(std::move(lexical), it->second);
            return it->second;
        }

        std::string text;
        if (!source->read(normal, text, error))
            fail(error);
        if (text.size() > detail::max_file_bytes)
            fail("larger than " + std::to_string(detail::max_file_bytes >> 20) + " MiB");
        const std::uint64_t hash = fnv1a64(text, content_hash);

        std::size_t index = files.size();
        loaded& entry = files.emplace_back();
        entry.file = intern_source_file(normal, display_of(normal));
        try {
            entry.root = parse(*entry.file, std::move(text));
        } catch (...) {
            files.pop_back();
            throw;
        }
        content_hash = hash;
        roots.emplace(entry.file, entry.root);
        by_identity.emplace(id, index);
        by_lexical.emplace(std::move(lexical), index);
        return index;
    }

    std::filesystem::path absolute(const std::filesystem::path& p) const
    {
        std::filesystem::path out;
        std::string error;
        if (!source->absolute(p, out, error))
            detail::throw_at({}, {}, "cannot read file '" + p.string() + "': " + error);
        return out;
    }

    std::string display_of(const std::filesystem::path& p) const
    {
        std::filesystem::path rel = p.lexically_relative(base_dir);
        return rel.empty() ? p.generic_string() : rel.generic_string();
    }

    const node* parse(const source_file& file, std::string text)
    {
        std::string_view view = text;
        if (view.starts_with("\xEF\xBB\xBF"))
            view.remove_prefix(3); // UTF-8 byte order mark
        if (is_json_text(view)) {
            try {
                // JSON strings without escapes point into the file's text: keep it.
                std::string& kept = store.buffers.emplace_back(std::move(text));
                std::string_view kept_view(kept);
                kept_view.remove_prefix(kept.size() - view.size());
                return loader::parse_json(store, file, kept_view);
            } catch (const spec_error&) {
                // YAML flow style also starts with '{' or '['; a .json file is reported as JSON.
                if (file.path.extension() == ".json")
                    throw;
                return loader::parse_yaml(store, file, std::string_view(store.buffers.back()), warnings);
            }
        }
        return loader::parse_yaml(store, file, view, warnings);
    }

    const node* lookup(const node& mapping, std::string_view key)
    {
        auto ms = mapping.members();
        if (ms.size() < 32)
            return mapping.find(key);
        auto [it, fresh] = indexes.try_emplace(&mapping);
        if (fresh) {
            it->second.reserve(ms.size());
            for (const member& m : ms)
                it->second.emplace(m.key, m.value);
        }
        auto found = it->second.find(key);
        return found == it->second.end() ? nullptr : found->second;
    }
};

document_set::document_set(const std::filesystem::path& root_file)
    : document_set(root_file, std::make_unique<disk_files>())
{}

document_set::document_set(const std::filesystem::path& root_file, std::unique_ptr<file_source> files)
    : impl_(std::make_unique<impl>())
{
    impl_->source = std::move(files);
    std::filesystem::path normal = impl_->absolute(root_file).lexically_normal();
    impl_->base_dir = normal.parent_path();
    impl_->load(normal, nullptr);
}

document_set::~document_set() = default;

const node& document_set::root() const noexcept { return *impl_->files.front().root; }

const source_file& document_set::root_file() const noexcept { return *impl_->files.front().file; }

const node& document_set::load(const std::filesystem::path& file)
{
    return *impl_->files[impl_->load(impl_->absolute(file), nullptr)].root;
}

const node* document_set::ref_target(const node& n)
{
    if (!n.is_mapping())
        return nullptr;
    const node* ref = n.find("$ref");
    if (!ref)
        return nullptr;
    if (auto it = impl_->targets.find(&n); it != impl_->targets.end())
        return it->second;
    if (!ref->is_scalar())
        fail_at(*ref, "$ref must be a string");

    std::string_view text = ref->text();
    // Messages are built only on failure: this function runs once per $ref of big specs.
    auto quoted = [text] { return "$ref '" + std::string(text) + "'"; };
    if (!impl_->in_progress.insert(&n).second)
        fail_at(*ref, quoted() + ": the reference leads back to itself ($ref cycle)");
    struct progress_guard {
        std::unordered_set<const node*>& set;
        const node* n;
        ~progress_guard() { set.erase(n); }
    } guard{impl_->in_progress, &n};
    // Each JSON pointer that passes through another $ref resolves that one first, recursively.
    if (impl_->in_progress.size() > detail::max_nesting)
        fail_at(*ref, quoted() + ": JSON pointers through other $refs nest deeper than " +
                          std::to_string(detail::max_nesting) + " levels");

    if (std::string_view scheme = detail::uri_scheme(text); !scheme.empty()) {
        if (scheme == "http" || scheme == "https")
            fail_at(*ref, quoted() + ": remote references are not supported");
        fail_at(*ref, quoted() + ": unsupported URI scheme '" + std::string(scheme) + "'");
    }

    std::size_t hash = text.find('#');
    std::string_view file_part = text.substr(0, hash);
    std::string_view fragment = hash == std::string_view::npos ? std::string_view() : text.substr(hash + 1);

    const node* target = nullptr;
    const source_file* in_file = nullptr;
    std::string scratch;
    if (file_part.empty()) {
        if (!n.where().file)
            fail_at(*ref, quoted() + ": the node belongs to no file");
        in_file = n.where().file;
        if (auto it = impl_->roots.find(in_file); it != impl_->roots.end())
            target = it->second;
        if (!target)
            fail_at(*ref, quoted() + ": the node belongs to no file of this document set");
    } else {
        if (!detail::percent_decode(file_part, scratch))
            fail_at(*ref, quoted() + ": malformed percent-encoding");
        std::filesystem::path rel(scratch);
        std::filesystem::path base = n.where().file ? n.where().file->path.parent_path() : impl_->base_dir;
        std::filesystem::path path = rel.is_absolute() ? rel : base / rel;
        auto& entry = impl_->files[impl_->load(path, ref)];
        target = entry.root;
        in_file = entry.file;
    }

    if (!fragment.empty()) {
        std::string pointer;
        if (!detail::percent_decode(fragment, pointer))
            fail_at(*ref, quoted() + ": malformed percent-encoding");
        if (pointer.front() != '/')
            fail_at(*ref, quoted() + ": the fragment must be a JSON pointer starting with '/' "
                                   "(plain-name fragments are not supported)");
        std::string token;
        std::string walked;
        std::size_t pos = 1;
        for (;;) {
            std::size_t slash = pointer.find('/', pos);
            std::string_view raw = std::string_view(pointer).substr(
                pos, slash == std::string::npos ? std::string::npos : slash - pos);
            if (!unescape_token(raw, token))
                fail_at(*ref, quoted() + ": invalid '~' escape in JSON pointer token '" + std::string(raw) + "'");
            auto where = [&] { return "in " + in_file->display + (walked.empty() ? "" : " at " + walked); };
            if (target->is_mapping()) {
                const node* child = impl_->lookup(*target, token);
                // A pointer may pass through a $ref (e.g. into a schema that is itself a $ref).
                if (!child && target->is_reference()) {
                    target = &resolve(*target);
                    if (target->is_mapping())
                        child = impl_->lookup(*target, token);
                }
                if (!child)
                    fail_at(*ref, quoted() + ": no member '" + token + "' " + where());
                target = child;
            } else if (target->is_sequence()) {
                std::size_t index = 0;
                auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
                bool valid = ec == std::errc() && p == token.data() + token.size() &&
                             (token.size() == 1 || token[0] != '0');
                if (!valid)
                    fail_at(*ref, quoted() + ": '" + token + "' is not an array index " + where());
                if (index >= target->items().size())
                    fail_at(*ref, quoted() + ": index " + token + " is out of range (" +
                                      std::to_string(target->items().size()) + " items) " + where());
                target = target->items()[index];
            } else {
                fail_at(*ref, quoted() + ": cannot look up '" + token + "' in a scalar " + where());
            }
            detail::append_pointer_token(walked, token);
            if (slash == std::string::npos)
                break;
            pos = slash + 1;
        }
    }
    impl_->targets.emplace(&n, target);
    return target;
}

const node& document_set::resolve(const node& n)
{
    if (auto it = impl_->resolved.find(&n); it != impl_->resolved.end())
        return *it->second;
    std::vector<const node*> chain{&n};
    const node* cur = &n;
    while (const node* next = ref_target(*cur)) {
        if (std::find(chain.begin(), chain.end(), next) != chain.end()) {
            std::string path;
            for (const node* c : chain)
                path += canonical_id(*c) + " -> ";
            path += canonical_id(*next);
            fail_at(*n.find("$ref"), "$ref cycle: " + path);
        }
        if (auto it = impl_->resolved.find(next); it != impl_->resolved.end()) {
            cur = it->second;
            break;
        }
        chain.push_back(next);
        cur = next;
    }
    for (const node* c : chain)
        impl_->resolved.emplace(c, cur);
    return *cur;
}

std::string document_set::canonical_id(const node& n) const
{
    std::string id = n.where().file ? n.where().file->display : std::string();
    id += '#';
    id += n.pointer();
    return id;
}

std::vector<const source_file*> document_set::files() const
{
    std::vector<const source_file*> out;
    out.reserve(impl_->files.size());
    for (const auto& entry : impl_->files)
        out.push_back(entry.file);
    return out;
}

std::uint64_t document_set::content_hash() const noexcept { return impl_->content_hash; }

const std::vector<diagnostic>& document_set::warnings() const noexcept { return impl_->warnings; }
const std::vector<diagnostic>& document_set::notes() const noexcept { return impl_->notes; }

void document_set::note(const node& at, std::string rule, std::string message)
{
    diagnostic d = make_diagnostic(diagnostic::severity::warning, at, std::move(message));
    d.rule = std::move(rule);
    impl_->notes.push_back(std::move(d));
}

void document_set::warn(const node& at, std::string message, std::string rule)
{
    impl_->warnings.push_back(make_diagnostic(diagnostic::severity::warning, at, std::move(message)));
    impl_->warnings.back().rule = std::move(rule);
}

// ---------------------------------------------------------------------------------------------
// to_json

namespace {

void write_string(std::string& out, std::string_view s)
{
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void write_scalar(std::string& out, const node& n)
{
    if (n.quoted()) {
        write_string(out, n.text());
        return;
    }
    if (auto b = n.as_bool()) {
        out += *b ? "true" : "false";
        return;
    }
    if (auto i = n.as_int()) {
        if (is_json_number(n.text()))
            out += n.text();
        else
            out += std::to_string(*i); // 0x1F, 0o17, +5
        return;
    }
    if (auto d = n.as_number()) {
        if (is_json_number(n.text())) {
            out += n.text();
            return;
        }
        if (!std::isfinite(*d))
            fail_at(n, "'" + std::string(n.text()) + "' (infinity or NaN) cannot be written as JSON");
        char buf[64];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *d);
        out.append(buf, static_cast<std::size_t>(p - buf));
        return;
    }
    write_string(out, n.text());
}

void write_indent(std::string& out, std::size_t depth)
{
    out += '\n';
    out.append(depth * 2, ' ');
}

void write_node(std::string& out, const node& n, std::size_t depth)
{
    if (depth > detail::max_nesting * 4)
        fail_at(n, "nesting too deep to write as JSON");
    switch (n.type()) {
    case node::kind::null: out += "null"; break;
    case node::kind::scalar: write_scalar(out, n); break;
    case node::kind::mapping: {
        if (n.members().empty()) {
            out += "{}";
            break;
        }
        out += '{';
        bool first = true;
        for (const member& m : n.members()) {
            if (!first)
                out += ',';
            first = false;
            write_indent(out, depth + 1);
            write_string(out, m.key);
            out += ": ";
            write_node(out, *m.value, depth + 1);
        }
        write_indent(out, depth);
        out += '}';
        break;
    }
    case node::kind::sequence: {
        if (n.items().empty()) {
            out += "[]";
            break;
        }
        out += '[';
        bool first = true;
        for (const node* item : n.items()) {
            if (!first)
                out += ',';
            first = false;
            write_indent(out, depth + 1);
            write_node(out, *item, depth + 1);
        }
        write_indent(out, depth);
        out += ']';
        break;
    }
    }
}

} // namespace

std::string to_json(const node& n)
{
    std::string out;
    write_node(out, n, 0);
    out += '\n';
    return out;
}

} // namespace specbound::gen
