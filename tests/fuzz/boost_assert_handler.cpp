// Boost's assertion handler for the fuzz targets (fuzz_target.cmake defines
// BOOST_ENABLE_ASSERT_HANDLER for them): a failed BOOST_ASSERT aborts with its message, as by
// default, except one assertion of Boost.Beast that is known to be false.
//
// Up to Boost 1.85, basic_parser::parse_chunk_header asserts `n >= 5` when it is called again
// after the final chunk "0\r\n" with the rest of the message still in pieces (a server that sends
// "0\r\n" and then "\r\n" separately). The code after the assertion handles exactly that case (it
// asks for more bytes), builds with NDEBUG never evaluate it, and Beast corrected the assertion in
// Boost 1.86 (boostorg/beast#2861). The http_response target found it; without this handler every
// run would stop there and fuzz nothing behind it.
#include <boost/version.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

bool known_false_assertion(std::string_view expr, std::string_view function, std::string_view file)
{
#if BOOST_VERSION < 108600
    return expr == "n >= 5" && function.find("parse_chunk_header") != std::string_view::npos &&
           file.ends_with("boost/beast/http/impl/basic_parser.ipp");
#else
    (void)expr, (void)function, (void)file;
    return false;
#endif
}

} // namespace

namespace boost {

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line)
{
    if (known_false_assertion(expr, function, file))
        return;
    std::fprintf(stderr, "%s:%ld: %s: Assertion '%s' failed%s%s\n", file, line, function, expr, msg ? ": " : "",
                 msg ? msg : "");
    std::abort();
}

void assertion_failed(char const* expr, char const* function, char const* file, long line)
{
    assertion_failed_msg(expr, nullptr, function, file, line);
}

} // namespace boost
