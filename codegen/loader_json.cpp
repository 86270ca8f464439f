// JSON -> node tree with Boost.JSON's SAX-style basic_parser: libyaml is several times slower on
// large JSON descriptions (GitHub's is 13 MB). Boost.JSON validates; this file only builds nodes.
//
// Positions: basic_parser does not report offsets, so a cursor walks the (already validated) input
// in step with the events; each event's token is the next one after whitespace, ',' and ':'.
#include "loader_internal.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace specbound::gen {

namespace {

class json_handler {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    json_handler(detail::node_store& s, const source_file& file, std::string_view text)
        : store_(s), file_(file), text_(text), lines_(text)
    {
    }

    bool on_document_begin(boost::json::error_code&) { return true; }
    bool on_document_end(boost::json::error_code&) { return true; }

    bool on_object_begin(boost::json::error_code&) { return open(node::kind::mapping); }
    bool on_array_begin(boost::json::error_code&) { return open(node::kind::sequence); }

    bool on_object_end(std::size_t, boost::json::error_code& ec)
    {
        advance_token(1);
        frame f = stack_.back();
        stack_.pop_back();
        std::size_t count = members_.size() - f.base;
        try {
            detail::check_duplicate_keys(*f.n, members_.data() + f.base, key_locs_.data() + f.base, count);
        } catch (const spec_error& e) {
            return fail(e, ec);
        }
        loader::set_members(*f.n, members_.data() + f.base, members_.data() + members_.size());
        members_.resize(f.base);
        key_locs_.resize(f.base);
        attach(f.n);
        return true;
    }

    bool on_array_end(std::size_t, boost::json::error_code&)
    {
        advance_token(1);
        frame f = stack_.back();
        stack_.pop_back();
        loader::set_items(*f.n, items_.data() + f.base, items_.data() + items_.size());
        items_.resize(f.base);
        attach(f.n);
        return true;
    }

    bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&)
    {
        partial_.append(s.data(), s.size());
        return true;
    }
    bool on_key(boost::json::string_view s, std::size_t n, boost::json::error_code&)
    {
        frame& f = stack_.back();
        f.key_loc = token_location();
        skip_string();
        f.key = finish_string(s, n);
        return true;
    }

    bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&)
    {
        partial_.append(s.data(), s.size());
        return true;
    }
    bool on_string(boost::json::string_view s, std::size_t n, boost::json::error_code&)
    {
        location where = token_location();
        skip_string();
        node& v = value(node::kind::scalar, where);
        loader::set_text(v, finish_string(s, n), true);
        attach(&v);
        return true;
    }

    bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
    bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return number(); }
    bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return number(); }
    bool on_double(double, boost::json::string_view, boost::json::error_code&) { return number(); }

    bool on_bool(bool b, boost::json::error_code&)
    {
        location where = token_location();
        std::string_view text = text_.substr(cursor_, b ? 4 : 5);
        cursor_ += text.size();
        node& v = value(node::kind::scalar, where);
        loader::set_text(v, text, false);
        attach(&v);
        return true;
    }

    bool on_null(boost::json::error_code&)
    {
        location where = token_location();
        cursor_ += 4;
        attach(&value(node::kind::null, where));
        return true;
    }

    // Comments are rejected by the parse options; these exist to satisfy the handler concept.
    bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
    bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

    const node* root() const noexcept { return root_; }
    const std::optional<spec_error>& error() const noexcept { return error_; }
    const detail::line_table& lines() const noexcept { return lines_; }

private:
    struct frame {
        node* n;
        std::size_t base;
        std::string_view key; // objects: key of the value being parsed
        location key_loc;
    };

    bool fail(const spec_error& e, boost::json::error_code& ec)
    {
        error_.emplace(e);
        ec = boost::json::error::extra_data; // any error stops the parser; error_ says what happened
        return false;
    }

    // Moves the cursor to the next token and returns its position.
    location token_location()
    {
        const char* p = text_.data();
        std::size_t i = cursor_;
        while (i < text_.size() &&
               (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t' || p[i] == ',' || p[i] == ':'))
            ++i;
        cursor_ = i;
        return lines_.at_forward(&file_, i, line_);
    }

    void advance_token(std::size_t n)
    {
        token_location();
        cursor_ += n;
    }

    // Cursor is on a string's opening quote; moves past the closing one.
    void skip_string()
    {
        const char* p = text_.data();
        std::size_t i = cursor_ + 1;
        for (;;) {
            const void* q = std::memchr(p + i, '"', text_.size() - i);
            std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - p);
            std::size_t backslashes = 0;
            while (at - backslashes > cursor_ && p[at - backslashes - 1] == '\\')
                ++backslashes;
            i = at + 1;
            if (backslashes % 2 == 0)
                break;
        }
        cursor_ = i;
    }

    bool number()
    {
        location where = token_location();
        std::size_t start = cursor_;
        const char* p = text_.data();
        while (cursor_ < text_.size() &&
               ((p[cursor_] >= '0' && p[cursor_] <= '9') || p[cursor_] == '-' || p[cursor_] == '+' ||
                p[cursor_] == '.' || p[cursor_] == 'e' || p[cursor_] == 'E'))
            ++cursor_;
        node& v = value(node::kind::scalar, where);
        loader::set_text(v, text_.substr(start, cursor_ - start), false);
        attach(&v);
        return true;
    }

    // Zero-copy when the whole string arrived in one piece from the input (no escapes).
    std::string_view finish_string(boost::json::string_view last, std::size_t total)
    {
        std::string_view result;
        if (partial_.empty() && last.size() == total && last.data() >= text_.data() &&
            last.data() + last.size() <= text_.data() + text_.size()) {
            result = std::string_view(last.data(), last.size());
        } else {
            partial_.append(last.data(), last.size());
            result = store_.strings.store(partial_);
        }
        partial_.clear();
        return result;
    }

    node& value(node::kind k, location where)
    {
        node& n = loader::make(store_, k, where);
        if (!stack_.empty()) {
            frame& f = stack_.back();
            if (f.n->is_mapping())
                loader::adopt(n, f.n, f.key, 0);
            else
                loader::adopt(n, f.n, {}, static_cast<std::uint32_t>(items_.size() - f.base));
        }
        return n;
    }

    bool open(node::kind k)
    {
        location where = token_location();
        ++cursor_;
        node& n = value(k, where);
        stack_.push_back(frame{&n, k == node::kind::mapping ? members_.size() : items_.size(), {}, {}});
        return true;
    }

    void attach(const node* n)
    {
        if (stack_.empty()) {
            root_ = n;
            return;
        }
        frame& f = stack_.back();
        if (f.n->is_mapping()) {
            members_.push_back({f.key, n});
            key_locs_.push_back(f.key_loc);
        } else {
            items_.push_back(n);
        }
    }

    detail::node_store& store_;
    const source_file& file_;
    std::string_view text_;
    detail::line_table lines_;
    std::size_t cursor_ = 0;
    std::size_t line_ = 0;
    const node* root_ = nullptr;
    std::vector<frame> stack_;
    std::vector<member> members_;
    std::vector<location> key_locs_;
    std::vector<const node*> items_;
    std::string partial_;
    std::optional<spec_error> error_;
};

} // namespace

const node* loader::parse_json(detail::node_store& s, const source_file& file, std::string_view text)
{
    boost::json::parse_options opt;
    opt.max_depth = detail::max_nesting;
    boost::json::basic_parser<json_handler> p(opt, s, file, text);
    boost::json::error_code ec;
    std::size_t used = p.write_some(false, text.data(), text.size(), ec);
    if (p.handler().error())
        throw *p.handler().error();
    if (ec) {
        location where = p.handler().lines().at(&file, used);
        detail::throw_at(where, {}, "JSON syntax error: " + ec.message());
    }
    return p.handler().root();
}

} // namespace specbound::gen
