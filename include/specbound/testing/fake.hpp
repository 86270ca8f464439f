// A typed fake of an API, for unit tests of code that calls a generated client: handlers take the
// operation's typed request and return its typed response or a typed error; nothing is sent.
//
//   auto fake = std::make_shared<specbound::testing::fake>();
//   fake->on<petstore::ops::show_pet_by_id>([](const petstore::show_pet_by_id_request& r)
//                                               -> specbound::result<petstore::pet> {
//       if (r.pet_id == 404)
//           return specbound::testing::api_failure<petstore::ops::show_pet_by_id>(404, petstore::error{404, "gone"});
//       return petstore::pet{r.pet_id, "Rex"};
//   });
//   specbound::client_options o; o.interceptor = fake;
//   petstore::client api{ex, std::move(o)};
//   ... code under test calls api.show_pet_by_id(...) with any completion token ...
//   CHECK(fake->calls<petstore::ops::show_pet_by_id>() == 1);
//   CHECK(fake->requests<petstore::ops::show_pet_by_id>()[0].pet_id == 42);
//   CHECK(fake->unexpected().empty());
//
// A call of an operation without a handler is a test bug: it fails as an exception from user code
// would (the throwing form rethrows a std::logic_error naming the operation, the try_ form gives
// unexpected_exception_error), and the name is kept in unexpected(). A handler that throws fails
// its call the same way. Errors made with api_failure are the ones the real client makes for that
// status (not_found_error for 404, ...), carrying the typed body (body_as<T>()) and its JSON.
#pragma once

#include <specbound/detail/request_builder.hpp>
#include <specbound/error.hpp>
#include <specbound/json/encode.hpp>
#include <specbound/options.hpp>
#include <specbound/result.hpp>

#include <any>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

namespace specbound::detail {
/// What an api_error made by testing::api_failure carries before its body.
template <class Op>
api_error_info fake_error_info(int status, const std::vector<std::pair<std::string, std::string>>& headers)
{
    api_error_info info;
    info.status = status;
    for (const auto& [name, value] : headers)
        info.headers.insert(name, value);
    info.context = operation_context<Op>();
    return info;
}
} // namespace specbound::detail

namespace specbound::testing {

/// The typed error the client makes when the API answers `status` (with `headers`) and no body.
template <class Op>
std::shared_ptr<const error> api_failure(int status, const std::vector<std::pair<std::string, std::string>>& headers = {})
{
    return make_api_error(specbound::detail::fake_error_info<Op>(status, headers));
}

/// The same with `body` (the operation's declared error model, or any model) as its JSON body.
template <class Op, class Body>
std::shared_ptr<const error> api_failure(int status, Body body,
                                         const std::vector<std::pair<std::string, std::string>>& headers = {})
{
    api_error_info info = specbound::detail::fake_error_info<Op>(status, headers);
    info.headers.set(boost::beast::http::field::content_type, "application/json");
    info.body = json::encode(body);
    info.body_value = std::move(body);
    return make_api_error(std::move(info));
}

class fake final : public call_interceptor {
public:
    /// Answers calls of `Op` with `handler(const Op::request_type&)`, which returns the response
    /// type, or result<response type> (the value or a typed error, see api_failure). Replaces an
    /// earlier handler of `Op`.
    template <class Op, class Handler>
    fake& on(Handler handler)
    {
        using request_type = typename Op::request_type;
        using R = typename Op::response_type;
        static_assert(std::is_invocable_v<Handler&, const request_type&>,
                      "a handler of Op takes const Op::request_type&");
        using returned = std::invoke_result_t<Handler&, const request_type&>;
        static_assert(std::is_convertible_v<returned, result<R>>,
                      "a handler of Op returns Op::response_type or specbound::result<Op::response_type>");
        std::lock_guard lock(mutex_);
        slot& s = slots_[std::type_index(typeid(Op))];
        s.answer = [h = std::move(handler)](const void* request) mutable -> std::any {
            return result<R>(h(*static_cast<const request_type*>(request)));
        };
        s.record = [](const void* request) -> std::any { return *static_cast<const request_type*>(request); };
        return *this;
    }

    /// Calls of `Op` answered so far.
    template <class Op>
    [[nodiscard]] std::size_t calls() const
    {
        std::lock_guard lock(mutex_);
        auto it = slots_.find(std::type_index(typeid(Op)));
        return it == slots_.end() ? 0 : it->second.requests.size();
    }

    /// The typed requests of those calls, in order.
    template <class Op>
    [[nodiscard]] std::vector<typename Op::request_type> requests() const
    {
        std::vector<typename Op::request_type> out;
        std::lock_guard lock(mutex_);
        if (auto it = slots_.find(std::type_index(typeid(Op))); it != slots_.end())
            for (const std::any& r : it->second.requests)
                out.push_back(std::any_cast<const typename Op::request_type&>(r));
        return out;
    }

    /// Operations called without a handler ("listPets (GET /pets)"), one entry per call.
    [[nodiscard]] std::vector<std::string> unexpected() const
    {
        std::lock_guard lock(mutex_);
        return unexpected_;
    }

    std::any answer(std::type_index op, const void* request, const std::string& context) override
    {
        std::function<std::any(const void*)> handler;
        {
            std::lock_guard lock(mutex_);
            auto it = slots_.find(op);
            if (it == slots_.end()) {
                unexpected_.push_back(context);
                return {};
            }
            it->second.requests.push_back(it->second.record(request));
            handler = it->second.answer;
        }
        return handler(request); // outside the lock: a handler may use the fake
    }

private:
    struct slot {
        std::function<std::any(const void*)> answer;
        std::function<std::any(const void*)> record;
        std::vector<std::any> requests;
    };

    mutable std::mutex mutex_;
    std::map<std::type_index, slot> slots_;
    std::vector<std::string> unexpected_;
};

} // namespace specbound::testing
