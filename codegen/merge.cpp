// Section merge: see merge.hpp for the config format and the merge rules.
#include "merge.hpp"

#include "document.hpp"
#include "loader_internal.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <unordered_map>

#include <unistd.h>

namespace specbound::gen {

namespace {

[[noreturn]] void fail_at(const node& at, std::string message)
{
    throw spec_error(make_diagnostic(diagnostic::severity::error, at, std::move(message)));
}

[[noreturn]] void fail(std::string message)
{
    diagnostic d;
    d.message = std::move(message);
    throw spec_error(std::move(d));
}

std::string place(const node& n)
{
    const location& w = n.where();
    std::string out = w.file ? w.file->display : std::string("<merged>");
    if (w.line)
        out += ':' + std::to_string(w.line) + ':' + std::to_string(w.column);
    return out;
}

bool same(const node& a, const node& b)
{
    if (&a == &b)
        return true;
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case node::kind::null: return true;
    case node::kind::scalar: return a.text() == b.text() && a.quoted() == b.quoted();
    case node::kind::mapping: {
        if (a.members().size() != b.members().size())
            return false;
        for (const member& m : a.members()) {
            const node* other = b.find(m.key);
            if (!other || !same(*m.value, *other))
                return false;
        }
        return true;
    }
    case node::kind::sequence: {
        if (a.items().size() != b.items().size())
            return false;
        for (std::size_t i = 0; i < a.items().size(); ++i)
            if (!same(*a.items()[i], *b.items()[i]))
                return false;
        return true;
    }
    }
    return false;
}

// Characters kept as-is in a rewritten $ref path; everything else is percent-encoded.
std::string encode_path(std::string_view path)
{
    static constexpr std::string_view keep = "-._~/!$&'()*+,;=:@";
    std::string out;
    for (char c : path) {
        auto u = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            keep.find(c) != std::string_view::npos) {
            out += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", u);
            out += buf;
        }
    }
    return out;
}

// How deep a top-level key is merged member-wise (0: taken whole).
int merge_depth(std::string_view key)
{
    if (key == "paths" || key == "webhooks" || key == "components")
        return 2;
    return 0;
}

// One member of the merged tree under construction.
struct slot {
    std::string_view key;
    const node* value = nullptr;  // a definition taken whole (a rewritten copy)
    const node* first = nullptr;  // the first definition, for messages
    bool merged = false;          // a mapping merged member-wise: see children
    std::vector<slot> children;
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<const node*> tag_items; // `tags`: merged by name
};

class version_merger {
public:
    version_merger(document_set& docs, detail::node_store& out, const std::vector<std::filesystem::path>& sections,
                   const std::filesystem::path& out_dir)
        : docs_(docs), out_(out), out_dir_(out_dir)
    {
        for (const auto& s : sections)
            section_paths_.insert(s.string());
    }

    void add_section(const node& root)
    {
        if (!root.is_mapping())
            fail_at(root, "a section file must be a mapping of top-level OpenAPI keys");
        const node& copy = rewrite(root, nullptr, {}, 0, 0);
        for (const member& m : copy.members()) {
            if (m.key == "tags")
                merge_tags(top_, *m.value);
            else
                merge_member(top_, m.key, *m.value, merge_depth(m.key));
        }
    }

    const node& finish()
    {
        const node& root = build(top_, location{});
        check_local_refs(root, root);
        return root;
    }

private:
    // A copy of `n` with its $refs rewritten for the output location (see merge.hpp).
    const node& rewrite(const node& n, const node* parent, std::string_view key, std::uint32_t index, std::size_t depth)
    {
        if (depth > detail::max_nesting)
            fail_at(n, "nesting too deep");
        node& copy = loader::make(out_, n.type(), n.where());
        loader::adopt(copy, parent, key, index);
        if (n.is_scalar()) {
            loader::set_text(copy, n.text(), n.quoted());
        } else if (n.is_sequence()) {
            std::vector<const node*> items;
            std::uint32_t i = 0;
            for (const node* item : n.items())
                items.push_back(&rewrite(*item, &copy, {}, i++, depth + 1));
            loader::set_items(copy, items.data(), items.data() + items.size());
        } else if (n.is_mapping()) {
            std::vector<member> members;
            for (const member& m : n.members()) {
                if (m.key == "$ref" && m.value->is_scalar()) {
                    node& ref = loader::make(out_, node::kind::scalar, m.value->where());
                    loader::adopt(ref, &copy, m.key, 0);
                    loader::set_text(ref, rewrite_ref(n, *m.value), true);
                    members.push_back({m.key, &ref});
                } else {
                    members.push_back({m.key, &rewrite(*m.value, &copy, m.key, 0, depth + 1)});
                }
            }
            loader::set_members(copy, members.data(), members.data() + members.size());
        }
        return copy;
    }

    std::string_view rewrite_ref(const node& holder, const node& ref)
    {
        std::string_view text = ref.text();
        if (!detail::uri_scheme(text).empty())
            return text; // not a file: kept verbatim
        std::size_t hash = text.find('#');
        std::string_view file_part = text.substr(0, hash);
        std::string_view fragment = hash == std::string_view::npos ? std::string_view() : text.substr(hash);
        if (file_part.empty())
            return text; // local: points into the merged document
        // Checks that the file and pointer exist (errors name the $ref in its section file).
        (void)docs_.ref_target(holder);
        std::string decoded;
        detail::percent_decode(file_part, decoded); // valid: ref_target accepted it
        std::filesystem::path target = (ref.where().file->path.parent_path() / decoded).lexically_normal();
        if (section_paths_.contains(target.string())) {
            if (fragment.size() < 2)
                fail_at(ref, "$ref '" + std::string(text) +
                                 "' names a whole section file, which has no place of its own in the merged output");
            return fragment;
        }
        std::string rel = encode_path(target.lexically_relative(out_dir_).generic_string());
        return out_.strings.store(rel + std::string(fragment));
    }

    [[noreturn]] void conflict(std::string_view pointer, const node& first, const node& second)
    {
        fail_at(second, "conflicting definitions of " + std::string(pointer) + ": " + place(first) + " and " +
                            place(second));
    }

    void merge_member(slot& parent, std::string_view key, const node& value, int depth)
    {
        auto it = parent.index.find(key);
        if (it == parent.index.end()) {
            parent.index.emplace(key, parent.children.size());
            slot& s = parent.children.emplace_back();
            s.key = key;
            s.first = &value;
            // A $ref stands for content elsewhere: it is taken whole, never merged member-wise.
            if (depth > 0 && value.is_mapping() && !value.is_reference()) {
                s.merged = true;
                for (const member& m : value.members())
                    merge_member(s, m.key, *m.value, depth - 1);
            } else {
                s.value = &value;
            }
            return;
        }
        slot& s = parent.children[it->second];
        if (s.merged && value.is_mapping() && !value.is_reference()) {
            for (const member& m : value.members())
                merge_member(s, m.key, *m.value, depth - 1);
            return;
        }
        if (s.merged || !same(*s.value, value))
            conflict(value.pointer(), *s.first, value);
    }

    void merge_tags(slot& parent, const node& tags)
    {
        if (!tags.is_sequence())
            fail_at(tags, "'tags' must be a sequence");
        auto it = parent.index.find("tags");
        if (it == parent.index.end()) {
            it = parent.index.emplace("tags", parent.children.size()).first;
            slot& s = parent.children.emplace_back();
            s.key = "tags";
            s.first = &tags;
        }
        slot& s = parent.children[it->second];
        for (const node* item : tags.items()) {
            const node* name = item->is_mapping() ? item->find("name") : nullptr;
            if (!name || !name->is_scalar())
                fail_at(*item, "a tag needs a 'name'");
            const node* existing = nullptr;
            for (const node* t : s.tag_items)
                if (t->find("name")->text() == name->text())
                    existing = t;
            if (!existing)
                s.tag_items.push_back(item);
            else if (!same(*existing, *item))
                conflict("tag '" + std::string(name->text()) + "'", *existing, *item);
        }
    }

    const node& build(const slot& s, location where)
    {
        if (s.value)
            return *s.value;
        if (s.key == "tags" && !s.first->is_mapping()) {
            node& seq = loader::make(out_, node::kind::sequence, s.first->where());
            loader::set_items(seq, s.tag_items.data(), s.tag_items.data() + s.tag_items.size());
            return seq;
        }
        node& map = loader::make(out_, node::kind::mapping, s.first ? s.first->where() : where);
        std::vector<member> members;
        for (const slot& c : s.children)
            members.push_back({c.key, &build(c, where)});
        loader::set_members(map, members.data(), members.data() + members.size());
        return map;
    }

    // Every local $ref of the merged document must name a node of it.
    void check_local_refs(const node& root, const node& n)
    {
        if (n.is_mapping()) {
            if (const node* ref = n.find("$ref"); ref && ref->is_scalar() && ref->text().starts_with("#"))
                check_pointer(root, *ref);
            for (const member& m : n.members())
                check_local_refs(root, *m.value);
        } else if (n.is_sequence()) {
            for (const node* item : n.items())
                check_local_refs(root, *item);
        }
    }

    void check_pointer(const node& root, const node& ref)
    {
        std::string pointer;
        if (!detail::percent_decode(ref.text().substr(1), pointer))
            fail_at(ref, "$ref '" + std::string(ref.text()) + "': malformed percent-encoding");
        if (pointer.empty())
            return;
        if (pointer.front() != '/')
            fail_at(ref, "$ref '" + std::string(ref.text()) + "': the fragment must be a JSON pointer");
        const node* cur = &root;
        std::size_t pos = 1;
        for (;;) {
            std::size_t slash = pointer.find('/', pos);
            std::string token = pointer.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
            std::string unescaped;
            for (std::size_t i = 0; i < token.size(); ++i) {
                if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
                    unescaped += token[i + 1] == '0' ? '~' : '/';
                    ++i;
                } else {
                    unescaped += token[i];
                }
            }
            const node* next = nullptr;
            if (cur->is_mapping()) {
                next = cur->find(unescaped);
                if (!next && cur->is_reference())
                    return; // passes through another $ref: checked when that file is loaded
            } else if (cur->is_sequence()) {
                char* end = nullptr;
                unsigned long i = std::strtoul(unescaped.c_str(), &end, 10);
                if (!unescaped.empty() && *end == '\0' && i < cur->items().size())
                    next = cur->items()[i];
            }
            if (!next)
                fail_at(ref, "$ref '" + std::string(ref.text()) + "' names nothing in the merged document");
            cur = next;
            if (slash == std::string::npos)
                return;
            pos = slash + 1;
        }
    }

    document_set& docs_;
    detail::node_store& out_;
    std::filesystem::path out_dir_;
    std::set<std::string> section_paths_;
    slot top_;
};

bool valid_version_name(std::string_view name)
{
    if (name.empty() || name == "." || name == "..")
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    return true;
}

std::filesystem::path absolute_normal(const std::filesystem::path& p)
{
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(p, ec);
    if (ec)
        fail("cannot use path '" + p.string() + "': " + ec.message());
    return abs.lexically_normal();
}

} // namespace

std::vector<std::pair<std::string, std::string>>
merge_versions(const std::filesystem::path& config, const std::filesystem::path& out_dir)
{
    document_set docs(config);
    std::filesystem::path out_abs = absolute_normal(out_dir);
    std::filesystem::path config_dir = docs.root_file().path.parent_path();
    const node& root = docs.root();
    if (!root.is_mapping())
        fail_at(root, "the merge config must be a mapping with a 'versions' key");
    for (const member& m : root.members())
        if (m.key != "versions")
            fail_at(*m.value, "unknown merge config key '" + std::string(m.key) + "' (expected 'versions')");
    const node* versions = root.find("versions");
    if (!versions || !versions->is_mapping() || versions->members().empty())
        fail_at(versions ? *versions : root, "'versions' must map version names to lists of section files");

    std::vector<std::pair<std::string, std::string>> result;
    for (const member& v : versions->members()) {
        if (!valid_version_name(v.key))
            fail_at(*v.value, "version name '" + std::string(v.key) +
                                  "' is not usable as a file name (letters, digits, '.', '_', '-')");
        if (!v.value->is_sequence() || v.value->items().empty())
            fail_at(*v.value, "version '" + std::string(v.key) + "' must list its section files");
        std::vector<std::filesystem::path> paths;
        for (const node* item : v.value->items()) {
            if (!item->is_scalar() || item->text().empty())
                fail_at(*item, "a section file must be a path");
            std::filesystem::path p = (config_dir / std::string(item->text())).lexically_normal();
            for (const auto& seen : paths)
                if (seen == p)
                    fail_at(*item, "section file '" + std::string(item->text()) + "' is listed twice");
            paths.push_back(p);
        }
        detail::node_store out;
        version_merger merger(docs, out, paths, out_abs);
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const node* section = nullptr;
            try {
                section = &docs.load(paths[i]);
            } catch (const spec_error& e) {
                if (e.diag().where.file)
                    throw; // a syntax error inside the file: its own location says it all
                fail_at(*v.value->items()[i], e.diag().message);
            }
            merger.add_section(*section);
        }
        result.emplace_back(std::string(v.key), to_json(merger.finish()));
    }
    return result;
}

void merge_sections(const std::filesystem::path& config, const std::filesystem::path& out_dir)
{
    auto merged = merge_versions(config, out_dir);

    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec)
        fail("cannot create output folder '" + out_dir.string() + "': " + ec.message());

    // Write every version to a temporary file first; only when all are written, rename them.
    std::vector<std::filesystem::path> temps;
    auto remove_temps = [&] {
        for (const auto& t : temps) {
            std::error_code ignored;
            std::filesystem::remove(t, ignored);
        }
    };
    for (const auto& [version, text] : merged) {
        std::filesystem::path tmp = out_dir / ("." + version + ".json.tmp" + std::to_string(::getpid()));
        temps.push_back(tmp);
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
        int err = errno;
        if (f && std::fclose(f) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (!ok) {
            remove_temps();
            fail("cannot write '" + tmp.string() + "': " + std::strerror(err));
        }
    }
    for (std::size_t i = 0; i < merged.size(); ++i) {
        std::filesystem::rename(temps[i], out_dir / (merged[i].first + ".json"), ec);
        if (ec) {
            remove_temps();
            fail("cannot rename '" + temps[i].string() + "': " + ec.message());
        }
    }
}

} // namespace specbound::gen
