// 01 — the first call, blocking: no coroutines, no threads of your own.
//
// The generated petstore::client is constructed from an executor and credentials. With the
// completion token specbound::blocking, a member runs the operation to completion on the calling
// thread (it runs the io_context itself) and returns the typed response, or throws a typed
// specbound::error.
#include <petstore/petstore.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv)
{
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");

    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::api_key{"demo-key"});
    if (base_url)
        options.base_url = base_url; // default: the spec's first server
    petstore::client api{ioc.get_executor(), std::move(options)};

    try {
        std::vector<petstore::pet> pets = api.list_pets({.limit = 10}, specbound::blocking);
        std::cout << "01 first call: " << pets.size() << " pet(s)\n";
        for (const petstore::pet& p : pets)
            std::cout << "  #" << p.id << " " << p.name << (p.tag ? " [" + *p.tag + "]" : std::string()) << "\n";
    } catch (const specbound::error& e) {
        std::cerr << "01 first call failed: " << e.what() << "\n";
        return 1;
    }
}
