// 09 — testing: one function of "your" code, `oldest_pet`, tested three ways with the petstore
// client generated from spec/petstore.yaml, none of which needs the real API:
//
//   1. the typed fake (specbound::testing::fake): handlers per operation, nothing sent;
//   2. the mock server (specbound::testing::mock_server): a loopback HTTP server built from the
//      same descriptors, which checks every request against the spec and answers with a typed
//      handler or the spec's example;
//   3. a cassette (specbound::testing::cassette_transport): the exchanges recorded once against
//      the mock server, secrets redacted, then replayed with the server stopped.
//
// It prints what each check found and exits non-zero when one fails.
#include <petstore/examples.hpp> // petstore::all_operations and the spec's examples, for the mock server
#include <petstore/petstore.hpp>

#include <specbound/http/beast_transport.hpp>
#include <specbound/testing/cassette.hpp>
#include <specbound/testing/fake.hpp>
#include <specbound/testing/mock_server.hpp>

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

// ---- the code under test ---------------------------------------------------------------------

/// The oldest pet of the store (pets of unknown age left out; on a tie, the first listed).
std::optional<petstore::pet> oldest_pet(petstore::client& api)
{
    petstore::list_pets_request list{.limit = 100};
    std::optional<petstore::pet> oldest;
    for (petstore::pet& pet : api.list_pets(list, specbound::blocking))
        if (!pet.age.is_null() && (!oldest || pet.age.value() > oldest->age.value()))
            oldest = std::move(pet);
    return oldest;
}

// ---- a tiny check harness ----------------------------------------------------------------------

int failures = 0;

void check(bool ok, const std::string& what)
{
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << '\n';
    if (!ok)
        ++failures;
}

petstore::pet pet_of(std::int64_t id, std::string name, std::optional<int> age)
{
    petstore::pet p;
    p.id = id;
    p.name = std::move(name);
    if (age)
        p.age = *age;
    return p;
}

/// The store the tests pretend to have.
std::vector<petstore::pet> store()
{
    return {pet_of(1, "Rex", 3), pet_of(2, "Tom", 11), pet_of(3, "Nemo", std::nullopt), pet_of(4, "Bella", 11)};
}

std::string read_file(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// ---- 1. the typed fake ---------------------------------------------------------------------------

void with_the_fake()
{
    std::cout << "1. typed fake\n";
    auto fake = std::make_shared<specbound::testing::fake>();
    fake->on<petstore::ops::list_pets>([](const petstore::list_pets_request&) { return store(); });
    boost::asio::io_context ioc;
    specbound::client_options options;
    options.interceptor = fake;
    petstore::client api{ioc.get_executor(), std::move(options)};

    const auto oldest = oldest_pet(api);
    check(oldest && oldest->name == "Tom", "the oldest pet is Tom (11, listed before Bella)");
    check(fake->calls<petstore::ops::list_pets>() == 1 && fake->requests<petstore::ops::list_pets>()[0].limit == 100,
          "one list_pets call, asking for 100");
    check(fake->unexpected().empty(), "no call of an operation without a handler");
}

// ---- 2. the mock server ------------------------------------------------------------------------

void with_the_mock_server()
{
    std::cout << "2. mock server\n";
    specbound::testing::mock_server<petstore::all_operations> server{petstore::examples};
    boost::asio::io_context ioc;
    specbound::client_options options;
    options.base_url = server.base_url();
    petstore::client api{ioc.get_executor(), std::move(options)};

    // Without a handler, the spec's example answers: a list holding Pet's example, Rex (3).
    auto oldest = oldest_pet(api);
    check(oldest && oldest->name == "Rex", "from the spec's example: Rex");

    server.on<petstore::ops::list_pets>([](const petstore::list_pets_request&) { return store(); });
    oldest = oldest_pet(api);
    check(oldest && oldest->name == "Tom", "from the handler: Tom");
    check(server.calls<petstore::ops::list_pets>() == 2 && server.requests<petstore::ops::list_pets>()[1].limit == 100,
          "the server read limit=100 back into the typed request");
    check(server.rejected().empty(), "every request matched the spec");
}

// ---- 3. a cassette ------------------------------------------------------------------------------

void with_a_cassette(const std::filesystem::path& file)
{
    std::cout << "3. cassette\n";
    const std::string key = "ex-09-secret-key";
    std::string origin;
    {
        // Record once: the real transport, against the mock server, with an API key.
        specbound::testing::mock_server<petstore::all_operations> server{petstore::examples};
        server.on<petstore::ops::list_pets>([](const petstore::list_pets_request&) { return store(); });
        boost::asio::io_context ioc;
        specbound::client_options options = specbound::make_options(specbound::api_key{key});
        origin = server.base_url();
        options.base_url = origin;
        specbound::testing::cassette_options tape_options;
        tape_options.file = file;
        tape_options.mode = specbound::testing::cassette_mode::record;
        tape_options.secrets = specbound::testing::secrets_of(options);
        auto tape = std::make_shared<specbound::testing::cassette_transport>(
            tape_options, std::make_shared<specbound::http::beast_transport>(ioc.get_executor(), options.http_transport));
        options.transport = tape;
        petstore::client api{ioc.get_executor(), std::move(options)};
        const auto oldest = oldest_pet(api);
        check(oldest && oldest->name == "Tom", "recorded against the mock server: Tom");
        tape->save();
    } // the server stops here

    const std::string text = read_file(file);
    check(text.find(key) == std::string::npos && text.find("[redacted]") != std::string::npos,
          "the cassette holds no API key (\"[redacted]\" instead)");

    // Replay: the same calls, now answered from the file; nothing listens at `origin` any more.
    boost::asio::io_context ioc;
    specbound::client_options options = specbound::make_options(specbound::api_key{key});
    options.base_url = origin; // replay matches method, origin, path and query
    specbound::testing::cassette_options tape_options;
    tape_options.file = file;
    tape_options.mode = specbound::testing::cassette_mode::replay;
    tape_options.secrets = specbound::testing::secrets_of(options);
    options.transport = std::make_shared<specbound::testing::cassette_transport>(tape_options);
    petstore::client api{ioc.get_executor(), std::move(options)};
    const auto oldest = oldest_pet(api);
    check(oldest && oldest->name == "Tom", "replayed with the server stopped: Tom");
}

} // namespace

int main()
{
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "specbound_example_09";
    std::filesystem::create_directories(dir);
    try {
        with_the_fake();
        with_the_mock_server();
        with_a_cassette(dir / "oldest_pet.json");
    } catch (const std::exception& e) {
        std::cerr << "09 testing failed: " << e.what() << '\n';
        return 1;
    }
    std::cout << (failures == 0 ? "09 testing: all checks passed\n" : "09 testing: some checks failed\n");
    return failures == 0 ? 0 : 1;
}
