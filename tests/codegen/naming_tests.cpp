#include "naming.hpp"

#include <catch2/catch.hpp>

using specbound::gen::cpp_string_literal;
using specbound::gen::doc_comment;
using specbound::gen::to_identifier;

TEST_CASE("identifiers are snake_case", "[codegen][naming]")
{
    CHECK(to_identifier("petId") == "pet_id");
    CHECK(to_identifier("PetId") == "pet_id");
    CHECK(to_identifier("HTTPServer") == "http_server");
    CHECK(to_identifier("photoUrls") == "photo_urls");
    CHECK(to_identifier("X-Request-Id") == "x_request_id");
    CHECK(to_identifier("v2Beta") == "v2_beta");
    CHECK(to_identifier("already_snake") == "already_snake");
}

TEST_CASE("odd names become identifiers", "[codegen][naming]")
{
    CHECK(to_identifier("@odata.type") == "odata_type");
    CHECK(to_identifier("os-flavor-access:is_public") == "os_flavor_access_is_public");
    CHECK(to_identifier("+1") == "plus_1");
    CHECK(to_identifier("-1") == "_1");
    CHECK(to_identifier("1st") == "_1st");
    CHECK(to_identifier("io.k8s.api.core.v1.Pod") == "io_k8s_api_core_v1_pod");
    CHECK(to_identifier("a__b") == "a_b");
    CHECK(to_identifier("") == "empty");
    CHECK(to_identifier("$$$") == "unnamed");
    CHECK(to_identifier("名前") == "unnamed");
}

TEST_CASE("keywords and reserved names get a trailing underscore", "[codegen][naming]")
{
    CHECK(to_identifier("class") == "class_");
    CHECK(to_identifier("delete") == "delete_");
    CHECK(to_identifier("namespace") == "namespace_");
    CHECK(to_identifier("co_await") == "co_await_");
    CHECK(to_identifier("std") == "std_");
    CHECK(to_identifier("Class") == "class_");
    CHECK(to_identifier("classes") == "classes");
}

TEST_CASE("name registry resolves collisions deterministically", "[codegen][naming]")
{
    specbound::gen::name_registry names;
    CHECK(names.claim("user_name") == "user_name");
    CHECK(names.claim("user_name") == "user_name_2");
    CHECK(names.claim("user_name") == "user_name_3");
    names.reserve("client");
    CHECK(names.claim("client") == "client_2");
}

TEST_CASE("string literals are escaped", "[codegen][naming]")
{
    CHECK(cpp_string_literal("plain") == "\"plain\"");
    CHECK(cpp_string_literal("a\"b") == "\"a\\\"b\"");
    CHECK(cpp_string_literal("C:\\temp\\") == "\"C:\\\\temp\\\\\"");
    CHECK(cpp_string_literal("line\nnext\ttab") == "\"line\\nnext\\ttab\"");
    // Octal escapes cannot swallow a following hex digit the way \x would.
    CHECK(cpp_string_literal(std::string("\x01" "a", 2)) == "\"\\001a\"");
    CHECK(cpp_string_literal("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

TEST_CASE("doc comments cannot break out of the comment", "[codegen][naming]")
{
    CHECK(doc_comment("ends */ here", "") == "/// ends * / here\n");
    CHECK(doc_comment("C:\\temp\\", "    ") == "    /// C:\\temp(backslash)\n");
    CHECK(doc_comment("first\n\nsecond\n", "") == "/// first\n///\n/// second\n");
    CHECK(doc_comment("  \n", "").empty());
    CHECK(specbound::gen::comment_line("a\nb") == "a b");
}

TEST_CASE("file stems fit the 255-byte file name limit with their extension", "[codegen][naming]")
{
    using specbound::gen::file_stem;
    const std::string fits(251, 'a'); // "<stem>.hpp" is 255 bytes
    CHECK(file_stem(fits) == fits);
    CHECK(file_stem("pet") == "pet");
    const std::string longer(252, 'a');
    const std::string shortened = file_stem(longer);
    CHECK(shortened.size() == 251);
    CHECK(shortened.rfind(std::string(234, 'a') + "_", 0) == 0);
    CHECK(file_stem(longer) == shortened);                         // deterministic
    CHECK(file_stem(std::string(300, 'a')) != shortened);          // distinct names stay distinct
    CHECK(file_stem(std::string(300, 'a')).size() == 251);
}

TEST_CASE("operationIds that make no readable name are told apart from words", "[codegen][naming]")
{
    using specbound::gen::is_opaque_name;
    CHECK(is_opaque_name("58d8bcb8a9e6240e200cff26"));             // a database id
    CHECK(is_opaque_name("d3b07384-d9a0-4c9b-8a8e-1f2c3b4a5d6e")); // a UUID
    CHECK(is_opaque_name("DEADBEEF0042"));
    CHECK(is_opaque_name("2fa-enable")); // its identifier would start with a digit
    CHECK_FALSE(is_opaque_name("listPets"));
    CHECK_FALSE(is_opaque_name("add"));          // hex letters alone are words
    CHECK_FALSE(is_opaque_name("defaced-facade"));
    CHECK_FALSE(is_opaque_name("get-v2"));
    CHECK_FALSE(is_opaque_name("abc123"));       // too short for an id
    CHECK_FALSE(is_opaque_name("users_get_by_id_v2"));
}
