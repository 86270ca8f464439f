#include "naming.hpp"

#include "document.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace specbound::gen {

namespace {

constexpr std::string_view reserved_words[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool",
    "break", "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return",
    "co_yield", "compl", "concept", "const", "const_cast", "consteval", "constexpr", "constinit",
    "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    // Names the generated code spells unqualified; a member with one of these names would hide it.
    "std", "boost", "specbound", "final", "override", "import", "module", "NULL", "assert", "errno",
    "unix", "linux", "EOF", "variant"};

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

} // namespace

bool is_reserved_word(std::string_view word)
{
    return std::find(std::begin(reserved_words), std::end(reserved_words), word) != std::end(reserved_words);
}

std::string to_identifier(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 4);
    auto push_sep = [&] {
        if (!out.empty() && out.back() != '_')
            out += '_';
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            // `+1` and `-1` are different enum values: keep the sign readable.
            push_sep();
            out += "plus_";
            continue;
        }
        if (!is_alnum(c)) {
            push_sep();
            continue;
        }
        if (is_upper(c)) {
            char prev = i > 0 ? text[i - 1] : '\0';
            char next = i + 1 < text.size() ? text[i + 1] : '\0';
            // fooBar -> foo_bar, HTTPServer -> http_server, v2Beta -> v2_beta
            if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next)))
                push_sep();
            out += static_cast<char>(c - 'A' + 'a');
            continue;
        }
        out += c;
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    std::size_t lead = out.find_first_not_of('_');
    out.erase(0, lead == std::string::npos ? out.size() : lead);
    if (out.empty())
        return text.empty() ? "empty" : "unnamed";
    if (is_digit(out.front()))
        out.insert(out.begin(), '_');
    if (is_reserved_word(out))
        out += '_';
    return out;
}

bool is_opaque_name(std::string_view text)
{
    const std::string id = to_identifier(text);
    if (id.size() > 1 && id[0] == '_' && is_digit(id[1]))
        return true;
    std::size_t hex = 0;
    bool decimal = false;
    for (char c : text) {
        if (c == '-' || c == '_')
            continue;
        if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F'))
            return false;
        decimal = decimal || is_digit(c);
        ++hex;
    }
    return hex >= 8 && decimal;
}

std::string file_stem(std::string_view name)
{
    constexpr std::size_t max_stem = max_file_name - 4; // room for ".hpp"
    if (name.size() <= max_stem)
        return std::string(name);
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a64(name)));
    return std::string(name.substr(0, max_stem - 17)) + "_" + hash;
}

std::string name_registry::claim(const std::string& base)
{
    if (used_.insert(base).second)
        return base;
    for (unsigned n = 2;; ++n) {
        std::string candidate = base + "_" + std::to_string(n);
        if (used_.insert(candidate).second)
            return candidate;
    }
}

std::string cpp_string_literal(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (u < 0x20 || u == 0x7f) {
                // Octal escapes stop after three digits, unlike \x which swallows following hex digits.
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned>(u));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

namespace {

std::string sanitize_comment_text(std::string_view line)
{
    std::string out;
    out.reserve(line.size());
    for (char c : line) {
        if (c == '\r' || c == '\t')
            out += ' ';
        else if (static_cast<unsigned char>(c) < 0x20)
            continue;
        else
            out += c;
    }
    std::size_t pos;
    while ((pos = out.find("*/")) != std::string::npos)
        out.replace(pos, 2, "* /");
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    // A trailing backslash would splice the next source line into the comment.
    while (!out.empty() && out.back() == '\\') {
        out.pop_back();
        out += "(backslash)";
    }
    return out;
}

} // namespace

std::string comment_line(std::string_view text)
{
    std::string flat;
    for (char c : text)
        flat += (c == '\n' ? ' ' : c);
    return sanitize_comment_text(flat);
}

std::string doc_comment(std::string_view text, std::string_view indent)
{
    std::string out;
    std::size_t start = 0;
    std::string pending_blank;
    bool any = false;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string line = sanitize_comment_text(text.substr(start, end - start));
        if (line.empty()) {
            if (any)
                pending_blank += std::string(indent) + "///\n";
        } else {
            out += pending_blank;
            pending_blank.clear();
            out += indent;
            out += "/// ";
            out += line;
            out += '\n';
            any = true;
        }
        start = end + 1;
    }
    return out;
}

} // namespace specbound::gen
