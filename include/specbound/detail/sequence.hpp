// What the async sequences (pager, item_pager, event_stream) share: the completion of next() and
// try_next(), and their initiation with any completion token.
#pragma once

#include <specbound/error.hpp>
#include <specbound/result.hpp>

#include <boost/asio/async_result.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace specbound::detail {

struct client_state;

/// next(): void(std::exception_ptr, std::optional<T>); try_next(): void(result<std::optional<T>>).
template <bool Try, class T>
using next_signature =
    std::conditional_t<Try, void(result<std::optional<T>>), void(std::exception_ptr, std::optional<T>)>;

/// Completes a next() or try_next() handler with `failure`, or else with `value` (nullopt: the end).
template <bool Try, class T, class Handler>
void complete_next(Handler& handler, std::shared_ptr<const error> failure, std::optional<T> value)
{
    if constexpr (Try) {
        if (failure)
            std::move(handler)(result<std::optional<T>>(std::move(failure)));
        else
            std::move(handler)(result<std::optional<T>>(std::move(value)));
    } else {
        std::move(handler)(failure ? failure->to_exception_ptr() : std::exception_ptr(), std::move(value));
    }
}

/// Initiates a sequence's next() for `token`: `start(handler)` runs with the completion handler.
/// The client's state goes first among the initiation's arguments, so that specbound::blocking
/// finds the executor to run.
template <bool Try, class T, class CompletionToken, class State, class Start>
auto initiate_next(CompletionToken&& token, std::shared_ptr<client_state> client, std::shared_ptr<State> state,
                   Start start)
{
    return boost::asio::async_initiate<CompletionToken, next_signature<Try, T>>(
        [start](auto handler, std::shared_ptr<client_state> cs, std::shared_ptr<State> st) {
            start(std::move(cs), std::move(st), std::move(handler));
        },
        token, std::move(client), std::move(state));
}

} // namespace specbound::detail
