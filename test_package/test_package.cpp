// Generated at build time from hello.yaml; constructing the client needs no network.
#include <hello/hello.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <string>

static_assert(specbound::valid_descriptor<hello::ops::get_greeting>);

int main()
{
    boost::asio::io_context ioc;
    hello::client client{ioc.get_executor()};
    hello::greeting g{.text = "hi"};
    std::printf("specbound test_package: %s %s, %s\n", std::string(hello::api.title).c_str(),
                std::string(hello::api.version).c_str(), g.text.c_str());
    return g.text == "hi" ? 0 : 1;
}
