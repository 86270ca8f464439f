// YAML -> node tree with libyaml's event API (no libyaml document tree: one pass, no copies of it).
#include "loader_internal.hpp"

#include <yaml.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace specbound::gen {

namespace {

constexpr std::string_view str_tag = "tag:yaml.org,2002:str";

location mark_location(const source_file& file, const yaml_mark_t& mark)
{
    return {&file, static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1)};
}

std::string_view as_view(const yaml_char_t* p)
{
    return p ? std::string_view(reinterpret_cast<const char*>(p)) : std::string_view();
}

// RAII for libyaml's C objects.
struct yaml_parser_guard {
    yaml_parser_t parser{};
    yaml_parser_guard() { yaml_parser_initialize(&parser); }
    ~yaml_parser_guard() { yaml_parser_delete(&parser); }
    yaml_parser_guard(const yaml_parser_guard&) = delete;
    yaml_parser_guard& operator=(const yaml_parser_guard&) = delete;
};

struct yaml_event_guard {
    yaml_event_t event{};
    bool live = false;
    ~yaml_event_guard() { reset(); }
    void reset()
    {
        if (live)
            yaml_event_delete(&event);
        live = false;
    }
};

struct anchored {
    const node* n;
    std::uint64_t expanded; // nodes a full walk of `n` visits (aliases counted in full)
};

class yaml_builder {
public:
    yaml_builder(detail::node_store& s, const source_file& file, std::vector<diagnostic>& warnings)
        : store_(s), file_(file), warnings_(warnings)
    {
    }

    const node* run(std::string_view text)
    {
        yaml_parser_guard p;
        yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
        yaml_event_guard ev;
        int documents = 0;
        for (;;) {
            ev.reset();
            if (!yaml_parser_parse(&p.parser, &ev.event))
                syntax_error(p.parser);
            ev.live = true;
            const yaml_event_t& e = ev.event;
            switch (e.type) {
            case YAML_STREAM_END_EVENT:
                if (!root_) {
                    node& n = loader::make(store_, node::kind::null, {&file_, 1, 1});
                    root_ = &n;
                }
                return root_;
            case YAML_DOCUMENT_START_EVENT:
                if (++documents > 1)
                    detail::throw_at(mark_location(file_, e.start_mark), {},
                                     "a file may hold only one YAML document");
                break;
            case YAML_MAPPING_START_EVENT:
                open(e, node::kind::mapping, as_view(e.data.mapping_start.anchor));
                break;
            case YAML_SEQUENCE_START_EVENT:
                open(e, node::kind::sequence, as_view(e.data.sequence_start.anchor));
                break;
            case YAML_MAPPING_END_EVENT:
            case YAML_SEQUENCE_END_EVENT:
                close(e.start_mark);
                break;
            case YAML_SCALAR_EVENT:
                scalar(e);
                break;
            case YAML_ALIAS_EVENT:
                alias(e);
                break;
            default: // stream start, document end, no event
                break;
            }
        }
    }

private:
    struct frame {
        node* n;
        std::size_t base;          // first entry in members_/key_locs_ or items_ belonging to this node
        std::uint64_t expanded;    // running expanded size of this node
        std::string anchor;        // registered when the node is complete
        bool has_key = false;      // mappings: a key was read, its value comes next
        bool skip_value = false;   // mappings: value of an ignored merge key `<<`
        std::string_view key;
        location key_loc;
    };

    [[noreturn]] void syntax_error(const yaml_parser_t& p)
    {
        std::string msg = "YAML syntax error: ";
        msg += p.problem ? p.problem : "unknown problem";
        if (p.context) {
            msg += " (";
            msg += p.context;
            msg += ")";
        }
        yaml_mark_t mark = p.problem_mark;
        // Reader errors (bad encoding) have no problem_mark; they report an offset instead.
        if (p.error == YAML_READER_ERROR)
            msg += " at byte offset " + std::to_string(p.problem_offset);
        detail::throw_at(mark_location(file_, mark), {}, std::move(msg));
    }

    // The place a new value goes: key for mappings, index for sequences.
    // Returns false when the value is to be dropped (merge key).
    bool place(const yaml_mark_t& mark, std::string_view& key, std::uint32_t& index, const node*& parent)
    {
        if (stack_.empty()) {
            if (root_)
                detail::throw_at(mark_location(file_, mark), {}, "more than one root node");
            return true;
        }
        frame& f = stack_.back();
        parent = f.n;
        if (f.n->is_mapping()) {
            if (!f.has_key)
                detail::throw_at(mark_location(file_, mark), {},
                                 "mapping keys must be plain strings, not mappings, sequences or aliases");
            key = f.key;
            return !f.skip_value;
        }
        index = static_cast<std::uint32_t>(items_.size() - f.base);
        return true;
    }

    // Hands a finished value to its parent (or makes it the root).
    void attach(const node* n, std::uint64_t expanded, const yaml_mark_t& mark)
    {
        if (stack_.empty()) {
            root_ = n;
            return;
        }
        frame& f = stack_.back();
        f.expanded += expanded;
        // A node's expanded size includes its children's, so checking every parent bounds the total.
        if (f.expanded > detail::max_expanded_nodes)
            detail::throw_at(mark_location(file_, mark), {},
                             "YAML aliases expand to more than " + std::to_string(detail::max_expanded_nodes) +
                                 " nodes (alias bomb?)");
        if (f.n->is_mapping()) {
            if (!f.skip_value) {
                members_.push_back({f.key, n});
                key_locs_.push_back(f.key_loc);
            }
            f.has_key = false;
            f.skip_value = false;
        } else {
            items_.push_back(n);
        }
    }

    void open(const yaml_event_t& e, node::kind k, std::string_view anchor)
    {
        std::string_view key;
        std::uint32_t index = 0;
        const node* parent = nullptr;
        bool keep = place(e.start_mark, key, index, parent);
        if (stack_.size() >= detail::max_nesting)
            detail::throw_at(mark_location(file_, e.start_mark), {},
                             "nesting deeper than " + std::to_string(detail::max_nesting) + " levels");
        node& n = loader::make(store_, k, mark_location(file_, e.start_mark));
        if (keep)
            loader::adopt(n, parent, key, index);
        std::size_t base = k == node::kind::mapping ? members_.size() : items_.size();
        stack_.push_back(frame{&n, base, 1, std::string(anchor), false, false, {}, {}});
        if (!anchor.empty())
            open_anchors_.insert(std::string(anchor));
    }

    void close(const yaml_mark_t& mark)
    {
        frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.n->is_mapping()) {
            std::size_t count = members_.size() - f.base;
            detail::check_duplicate_keys(*f.n, members_.data() + f.base, key_locs_.data() + f.base, count);
            loader::set_members(*f.n, members_.data() + f.base, members_.data() + members_.size());
            members_.resize(f.base);
            key_locs_.resize(f.base);
        } else {
            loader::set_items(*f.n, items_.data() + f.base, items_.data() + items_.size());
            items_.resize(f.base);
        }
        if (!f.anchor.empty()) {
            open_anchors_.erase(f.anchor);
            anchors_[f.anchor] = {f.n, f.expanded};
        }
        attach(f.n, f.expanded, mark);
    }

    void scalar(const yaml_event_t& e)
    {
        const auto& d = e.data.scalar;
        std::string_view value(reinterpret_cast<const char*>(d.value), d.length);
        bool quoted = d.style != YAML_PLAIN_SCALAR_STYLE || as_view(d.tag) == str_tag || as_view(d.tag) == "!!str";
        // A key of a mapping: remember it; the value event follows.
        if (!stack_.empty() && stack_.back().n->is_mapping() && !stack_.back().has_key) {
            frame& f = stack_.back();
            f.key_loc = mark_location(file_, e.start_mark);
            if (!quoted && value == "<<") {
                // Merge keys are a YAML 1.1 extension OpenAPI does not need; the value is dropped.
                f.skip_value = true;
                diagnostic w;
                w.level = diagnostic::severity::warning;
                w.where = f.key_loc;
                w.pointer = f.n->pointer();
                w.message = "YAML merge key '<<' is not supported and was ignored";
                warnings_.push_back(std::move(w));
            }
            f.key = store_.strings.store(value);
            f.has_key = true;
            if (!as_view(d.anchor).empty())
                detail::throw_at(f.key_loc, f.n->pointer(), "anchors on mapping keys are not supported");
            return;
        }
        std::string_view key;
        std::uint32_t index = 0;
        const node* parent = nullptr;
        bool keep = place(e.start_mark, key, index, parent);
        bool is_null = !quoted && (value.empty() || value == "~" || value == "null" || value == "Null" ||
                                   value == "NULL");
        node& n = loader::make(store_, is_null ? node::kind::null : node::kind::scalar,
                               mark_location(file_, e.start_mark));
        if (!is_null)
            loader::set_text(n, store_.strings.store(value), quoted);
        if (keep)
            loader::adopt(n, parent, key, index);
        if (std::string_view anchor = as_view(d.anchor); !anchor.empty())
            anchors_[std::string(anchor)] = {&n, 1};
        attach(&n, 1, e.start_mark);
    }

    void alias(const yaml_event_t& e)
    {
        std::string name(as_view(e.data.alias.anchor));
        location where = mark_location(file_, e.start_mark);
        if (!stack_.empty() && stack_.back().n->is_mapping() && !stack_.back().has_key)
            detail::throw_at(where, stack_.back().n->pointer(), "aliases as mapping keys are not supported");
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
            if (open_anchors_.contains(name))
                detail::throw_at(where, {}, "alias *" + name + " refers to a node that contains it");
            detail::throw_at(where, {}, "alias *" + name + " names no anchor defined before it");
        }
        std::string_view key;
        std::uint32_t index = 0;
        const node* parent = nullptr;
        place(e.start_mark, key, index, parent);
        store_.aliased += it->second.expanded;
        if (store_.aliased > detail::max_alias_expansion)
            detail::throw_at(where, {},
                             "YAML aliases expand to more than " + std::to_string(detail::max_alias_expansion) +
                                 " nodes (alias bomb?)");
        // The alias shares the anchored node: no copy, so its parent() stays the anchor's place.
        attach(it->second.n, it->second.expanded, e.start_mark);
    }

    detail::node_store& store_;
    const source_file& file_;
    std::vector<diagnostic>& warnings_;
    const node* root_ = nullptr;
    std::vector<frame> stack_;
    std::vector<member> members_;
    std::vector<location> key_locs_;
    std::vector<const node*> items_;
    std::unordered_map<std::string, anchored> anchors_;
    std::unordered_set<std::string> open_anchors_;
};

} // namespace

const node* loader::parse_yaml(detail::node_store& s, const source_file& file, std::string_view text,
                               std::vector<diagnostic>& warnings)
{
    yaml_builder b(s, file, warnings);
    return b.run(text);
}

} // namespace specbound::gen
