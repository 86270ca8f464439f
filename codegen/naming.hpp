// Turning spec names into C++ identifiers and spec text into C++ source text.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

namespace specbound::gen {

/// snake_case identifier for any spec name (see docs/generated-code.md, "Names").
[[nodiscard]] std::string to_identifier(std::string_view text);

/// True when an operationId makes no readable C++ name: its identifier would start with a digit
/// (`58d8bcb8a9e6240e200cff26`, `2fa`), or it looks like a generated id: apart from '-' and '_' at
/// least 8 hex digits and nothing else, one of them a decimal digit (`d3b07384-d9a0-4c9b-8a8e-1f2c`).
/// Words spelled in hex letters alone (`add`, `faced`) stay usable.
[[nodiscard]] bool is_opaque_name(std::string_view text);

/// True for C++ keywords, alternative tokens and names the generated code uses itself.
[[nodiscard]] bool is_reserved_word(std::string_view word);

/// Longest file name most file systems take (NAME_MAX, in bytes).
inline constexpr std::size_t max_file_name = 255;

/// `name` as the stem of a generated file (`<stem>.hpp`, `<stem>.md`): itself when such a file name
/// fits max_file_name, else its first bytes, '_' and 16 hex digits of a hash of the whole name, so
/// the result is deterministic and distinct names stay distinct.
[[nodiscard]] std::string file_stem(std::string_view name);

/// Hands out unique names within one scope: the first claim of `x` gets `x`, later ones `x_2`, `x_3`...
class name_registry {
public:
    std::string claim(const std::string& base);
    void reserve(const std::string& name) { used_.insert(name); }
    [[nodiscard]] bool taken(const std::string& name) const { return used_.count(name) != 0; }

private:
    std::set<std::string> used_;
};

/// A C++ string literal (with quotes) whose value is exactly `text`.
[[nodiscard]] std::string cpp_string_literal(std::string_view text);

/// `///` comment lines for `text`, each prefixed by `indent`; empty when `text` is blank.
[[nodiscard]] std::string doc_comment(std::string_view text, std::string_view indent);

/// One line of text safe to put after `//` (newlines and line-continuations removed).
[[nodiscard]] std::string comment_line(std::string_view text);

} // namespace specbound::gen
