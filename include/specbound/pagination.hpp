// Pagination: a list operation's pages, and their items, as lazy async sequences.
//
//   auto pages = api.droplets_list_pages(req);                 // specbound::pager<ops::droplets_list>
//   while (auto page = co_await pages.next()) { ... page->droplets ... }
//   auto droplets = api.droplets_list_items(req);              // specbound::item_pager<...>
//   while (auto d = co_await droplets.next()) { ... d->name ... }
//
// specbound-gen recognises how an operation pages (see page_style) and emits `Op::pagination`;
// `x-specbound-pagination` on the operation declares it where the spec says too little. Each page
// is one call of the operation with everything a call has (retries, typed errors, call_options,
// cancellation); next() takes any completion token (use_awaitable by default, specbound::blocking
// to block, use_future, a callback) and try_next() completes with a result instead of throwing.
// The pager requests a page only when asked: nothing is fetched ahead, so a loop that stops early
// costs no extra request. One next() at a time per pager; a failed next() leaves the pager where
// it was, so calling next() again retries that page.
//
// What a pager refuses (pagination_error, after the pages before it were delivered): a next link
// to another origin than the call's server (the credentials would go with it), a link or cursor
// it has already followed (the pages would cycle forever), a link that is not an http(s) URL,
// and more than page_options::max_pages pages.
#pragma once

#include <specbound/client.hpp>
#include <specbound/detail/sequence.hpp>
#include <specbound/detail/call_engine.hpp>
#include <specbound/detail/server_url.hpp>
#include <specbound/types.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <ranges>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace specbound {

struct page_options {
    /// More pages than this is a pagination_error, never a silent end; 0: no limit.
    std::size_t max_pages = 10'000;
};

namespace detail {

template <class From, class To>
using same_const_t = std::conditional_t<std::is_const_v<From>, const To, To>;

template <class T>
struct wrapped {
    using type = void;
};
template <class T>
struct wrapped<std::optional<T>> {
    using type = T;
};
template <class T>
struct wrapped<nullable<T>> {
    using type = T;
};
template <class T>
struct wrapped<boxed<T>> {
    using type = T;
};

/// The type inside every optional, nullable or boxed layer of T.
template <class T>
struct unwrapped {
    using type = T;
};
template <class T>
    requires(!std::is_void_v<typename wrapped<T>::type>)
struct unwrapped<T> {
    using type = typename unwrapped<typename wrapped<T>::type>::type;
};

/// The value inside `p`'s optional/nullable/boxed layers, or nullptr when one is empty.
template <class T>
auto unwrap(T* p) -> same_const_t<T, typename unwrapped<std::remove_const_t<T>>::type>*
{
    using inner = typename wrapped<std::remove_const_t<T>>::type;
    if constexpr (std::is_void_v<inner>) {
        return p;
    } else if constexpr (std::is_same_v<std::remove_const_t<T>, boxed<inner>>) {
        return p ? unwrap(&**p) : unwrap(static_cast<same_const_t<T, inner>*>(nullptr));
    } else {
        return p && p->has_value() ? unwrap(&**p) : unwrap(static_cast<same_const_t<T, inner>*>(nullptr));
    }
}

template <class... A>
const std::variant<A...>& as_variant(const std::variant<A...>& v) noexcept
{
    return v;
}
template <class... A>
std::variant<A...>& as_variant(std::variant<A...>& v) noexcept
{
    return v;
}

/// Member M of the value at `p` (through wrappers and union alternatives), or nullptr.
template <auto M, class T>
auto field_step(T* p)
{
    using owner = typename member_pointer_traits<decltype(M)>::owner;
    using field = same_const_t<T, typename member_pointer_traits<decltype(M)>::type>;
    auto* v = unwrap(p);
    using V = std::remove_const_t<std::remove_pointer_t<decltype(v)>>;
    if (!v)
        return static_cast<field*>(nullptr);
    if constexpr (std::is_same_v<V, owner>) {
        return &(v->*M);
    } else {
        static_assert(requires { as_variant(*v); }, "specbound::field_path: a step's class is not the value's type "
                                                    "nor an alternative of its union");
        auto* alternative = std::get_if<owner>(&as_variant(*v));
        return alternative ? &(alternative->*M) : static_cast<field*>(nullptr);
    }
}

template <class T>
auto walk(T* p, field_path<>)
{
    return unwrap(p);
}
template <class T, auto M, auto... Rest>
auto walk(T* p, field_path<M, Rest...>)
{
    return walk(field_step<M>(p), field_path<Rest...>{});
}

} // namespace detail

/// The value at `Path` inside `root` (unwrapped), or nullptr when a member on the way is absent,
/// null, or another alternative of a union.
template <class Path, class T>
auto find_field(T& root)
{
    return detail::walk(&root, Path{});
}

/// An operation specbound-gen found paginated.
template <class Op>
concept paginated_operation = requires {
    { Op::pagination::style } -> std::convertible_to<page_style>;
    typename Op::pagination::items;
};

/// The type of one item of a paginated operation's pages.
template <paginated_operation Op>
using page_item_t = std::ranges::range_value_t<
    std::remove_pointer_t<decltype(find_field<typename Op::pagination::items>(std::declval<typename Op::response_type&>()))>>;

namespace detail {

/// The next link in RFC 8288 Link header values: the URI of the first link with rel "next".
inline std::optional<std::string> next_link_of(const boost::beast::http::fields& headers)
{
    const auto [first, last] = headers.equal_range(boost::beast::http::field::link);
    for (auto f = first; f != last; ++f) {
        std::string_view v = f->value();
        std::size_t at = 0;
        while (at < v.size()) {
            const std::size_t open = v.find('<', at);
            if (open == std::string_view::npos)
                break;
            const std::size_t close = v.find('>', open);
            if (close == std::string_view::npos)
                break;
            // The link's parameters run to the next comma outside quotes.
            std::size_t end = close + 1;
            bool quoted = false;
            for (; end < v.size() && (quoted || v[end] != ','); ++end)
                if (v[end] == '"')
                    quoted = !quoted;
            std::string_view params = v.substr(close + 1, end - close - 1);
            // rel's value is a space-separated list of relation types, case-insensitive.
            for (std::size_t r = params.find("rel"); r != std::string_view::npos; r = params.find("rel", r + 3)) {
                std::size_t p = r + 3;
                while (p < params.size() && params[p] == ' ')
                    ++p;
                if (p >= params.size() || params[p] != '=' || (r > 0 && params[r - 1] != ';' && params[r - 1] != ' '))
                    continue;
                ++p;
                while (p < params.size() && params[p] == ' ')
                    ++p;
                std::string_view value = params.substr(p);
                if (!value.empty() && value.front() == '"')
                    value = value.substr(1, value.find('"', 1) == std::string_view::npos ? std::string_view::npos
                                                                                          : value.find('"', 1) - 1);
                else
                    value = value.substr(0, value.find(';'));
                for (std::size_t w = 0; w < value.size();) {
                    std::size_t e = value.find(' ', w);
                    std::string_view rel = value.substr(w, e == std::string_view::npos ? std::string_view::npos : e - w);
                    if (iequals(rel, "next"))
                        return std::string(v.substr(open + 1, close - open - 1));
                    if (e == std::string_view::npos)
                        break;
                    w = e + 1;
                }
            }
            at = end + 1;
        }
    }
    return std::nullopt;
}

/// A pager's position: what the next page's call is, and what it has seen.
template <class Op>
struct pager_state {
    using request_type = typename Op::request_type;
    using response_type = typename Op::response_type;

    pager_state(std::shared_ptr<client_state> c, request_type r, call_options o, page_options l)
        : client(std::move(c)), request(std::move(r)), options(std::move(o)), limits(l)
    {
    }

    std::shared_ptr<client_state> client;
    request_type request;
    call_options options;
    page_options limits;
    std::string page_target;             // link styles: the next page's origin-form target
    std::set<std::string> followed;      // links or cursors already followed
    std::shared_ptr<const error> refusal; // the next page is refused: reported by the next next()
    std::size_t pages = 0;               // pages delivered
    std::uint64_t items = 0;             // items delivered (page_number, offset)
    bool finished = false;
    bool busy = false;

    /// Takes a response in and decides the next page (or the end, or a refusal). False when it is
    /// not a page of results: the empty page that ends a numbered sequence (the first page always is one).
    bool advance(const response_type& page, const response_metadata& m)
    {
        using P = typename Op::pagination;
        const auto* list = find_field<typename P::items>(page);
        const std::size_t count = list ? static_cast<std::size_t>(std::ranges::size(*list)) : 0;
        constexpr bool numbered = P::style == page_style::page_number || P::style == page_style::offset;
        if (numbered && count == 0 && pages > 0) {
            finished = true;
            return false;
        }
        if (pages == 0)
            remember_first(m.url);
        ++pages;
        items += count;
        if constexpr (P::style == page_style::link_header || P::style == page_style::next_link) {
            std::optional<std::string> link;
            if constexpr (P::style == page_style::link_header) {
                link = next_link_of(m.headers);
            } else if (const auto* text = find_field<typename P::next>(page); text && !text->empty()) {
                link = *text;
            }
            if (!link)
                finished = true;
            else
                follow_link(*link, m.url);
        } else if constexpr (P::style == page_style::cursor) {
            const auto* cursor = find_field<typename P::next>(page);
            if (!cursor || cursor->empty())
                finished = true;
            else if (!followed.insert(*cursor).second)
                refuse("the server sent a cursor already followed; the pages would cycle", *cursor);
            else
                request.*P::param = *cursor;
        } else if (count == 0 || reached_total(page)) {
            // page_number, offset: an empty (first) page, or the total reached, is the end.
            finished = true;
        } else {
            auto& member = request.*P::param;
            using number = typename unwrapped<std::remove_cvref_t<decltype(member)>>::type;
            if constexpr (P::style == page_style::page_number)
                member = static_cast<number>(number_of(member, 1) + 1);
            else
                member = static_cast<number>(number_of(member, 0) + static_cast<std::int64_t>(count));
        }
        return true;
    }

private:
    void refuse(const std::string& why, std::string_view link)
    {
        refusal = std::make_shared<pagination_error>(operation_context<Op>() + ": after page " +
                                                         std::to_string(pages) + ": " + why,
                                                     pages, body_excerpt(link));
    }

    /// The first page's own target: a link back to it is a cycle too.
    void remember_first(const std::string& answered_url)
    {
        if (auto u = boost::urls::parse_uri(answered_url))
            followed.insert(std::string(u->encoded_path()) + (u->has_query() ? "?" + std::string(u->encoded_query()) : ""));
    }

    /// Resolves `link` against the URL that answered; it must stay on the call's origin.
    void follow_link(const std::string& link, const std::string& answered_url)
    {
        auto here = boost::urls::parse_uri(answered_url);
        auto ref = boost::urls::parse_uri_reference(link);
        boost::urls::url next;
        if (!here || !ref || !boost::urls::resolve(*here, *ref, next))
            return refuse("the next page's link is not a URL", link);
        result<base_url> to = try_parse_base_url(std::string_view(next.encoded_origin()));
        if (!to || next.has_userinfo())
            return refuse("the next page's link is not an http(s) URL", link);
        // Where the pages' call goes (the first page's call already checked it).
        const result<std::optional<base_url>> call = call_server(client->config, operation_servers<Op>(), options);
        if (!call)
            return refuse(call.error()->what(), link);
        const base_url& server = *call ? **call : client->config.base;
        if (!(to->to == server.to))
            return refuse("the next page's link leads to another origin; the credentials are not sent there", link);
        std::string target = next.encoded_path().empty() ? "/" : std::string(next.encoded_path());
        if (next.has_query())
            target += "?" + std::string(next.encoded_query());
        if (!followed.insert(target).second)
            return refuse("the next page's link was followed before; the pages would cycle", link);
        page_target = std::move(target);
    }

    bool reached_total(const response_type& page) const
    {
        using P = typename Op::pagination;
        if constexpr (std::is_void_v<typename P::total>) {
            return false;
        } else {
            const auto* total = find_field<typename P::total>(page);
            return total && *total >= 0 && items >= static_cast<std::uint64_t>(*total);
        }
    }

    template <class M>
    static std::int64_t number_of(const M& member, std::int64_t otherwise)
    {
        if constexpr (requires { member.has_value(); })
            return member.has_value() ? static_cast<std::int64_t>(*member) : otherwise;
        else
            return static_cast<std::int64_t>(member);
    }
};

} // namespace detail

/// The pages of a paginated operation, one call each, fetched when next() is called.
template <class Op>
class pager {
    static_assert(paginated_operation<Op>, "specbound::pager: the operation has no Op::pagination (specbound-gen "
                                           "did not find it paginated; see x-specbound-pagination)");

public:
    using request_type = typename Op::request_type;
    using page_type = typename Op::response_type;

    pager(client& c, request_type request, call_options options = {}, page_options limits = {})
        : state_(std::make_shared<detail::pager_state<Op>>(c.state_, std::move(request), std::move(options), limits))
    {
    }

    /// The next page, or nullopt after the last: completion void(std::exception_ptr,
    /// std::optional<page_type>). The exception is the page call's typed error, or a
    /// pagination_error for a next page refused.
    template <call_token CompletionToken = default_completion_token>
    auto next(CompletionToken&& token = {})
    {
        return initiate<false>(std::forward<CompletionToken>(token));
    }

    /// next() completing with void(result<std::optional<page_type>>); never throws.
    template <call_token CompletionToken = default_completion_token>
    auto try_next(CompletionToken&& token = {})
    {
        return initiate<true>(std::forward<CompletionToken>(token));
    }

    /// Whether the last page was delivered (next() completes with nullopt).
    [[nodiscard]] bool done() const noexcept { return state_->finished; }
    /// Pages delivered so far.
    [[nodiscard]] std::size_t pages() const noexcept { return state_->pages; }

private:
    friend class item_pager<Op>;
    using state = detail::pager_state<Op>;
    using value = std::optional<page_type>;

    template <bool Try, class CompletionToken>
    auto initiate(CompletionToken&& token)
    {
        return detail::initiate_next<Try, page_type>(
            std::forward<CompletionToken>(token), state_->client, state_,
            [](auto cs, auto st, auto handler) { start<Try>(std::move(cs), std::move(st), std::move(handler)); });
    }

    template <bool Try, class Handler>
    static void complete(Handler& handler, std::shared_ptr<const error> failure, value v)
    {
        detail::complete_next<Try, page_type>(handler, std::move(failure), std::move(v));
    }

    template <bool Try, class Handler>
    static void start(std::shared_ptr<detail::client_state> cs, std::shared_ptr<state> st, Handler handler)
    {
        namespace asio = boost::asio;
        auto ex = asio::get_associated_executor(handler, cs->ex);
        // Answers known without a call are still never given inline (the caller may be mid-loop).
        auto answer_now = [&](std::shared_ptr<const error> failure) {
            asio::post(ex, [h = std::move(handler), failure = std::move(failure)]() mutable {
                complete<Try>(h, std::move(failure), std::nullopt);
            });
        };
        if (st->busy)
            return answer_now(std::make_shared<invalid_argument_error>(
                detail::operation_context<Op>() + ": pager::next() called while the previous next() is in progress"));
        if (st->refusal)
            return answer_now(st->refusal);
        if (st->finished)
            return answer_now(nullptr);
        if (st->limits.max_pages != 0 && st->pages >= st->limits.max_pages)
            return answer_now(std::make_shared<pagination_error>(
                detail::operation_context<Op>() + ": more than page_options::max_pages (" +
                    std::to_string(st->limits.max_pages) + ") pages",
                st->pages, std::string()));
        st->busy = true;
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto on_page = [st, h = std::move(handler)](result<with_metadata<page_type>> r) mutable {
            st->busy = false;
            if (!r)
                return complete<Try>(h, r.error_ptr(), std::nullopt); // the same page again on the next call
            if (!st->advance(r->value, r->metadata))
                return complete<Try>(h, nullptr, std::nullopt);
            complete<Try>(h, nullptr, std::move(r->value));
        };
        detail::initiate_call<Op, true, detail::call_form::with_metadata>(
            cs, st->request, st->options, asio::bind_cancellation_slot(slot, asio::bind_executor(ex, std::move(on_page))),
            detail::call_extras{st->page_target});
    }

    std::shared_ptr<state> state_;
};

/// The items of a paginated operation's pages, one at a time; pages are fetched as needed.
template <class Op>
class item_pager {
    static_assert(paginated_operation<Op>, "specbound::item_pager: the operation has no Op::pagination");

public:
    using item_type = page_item_t<Op>;

    item_pager(client& c, typename Op::request_type request, call_options options = {}, page_options limits = {})
        : state_(std::make_shared<items_state>(items_state{pager<Op>(c, std::move(request), std::move(options), limits), {}, 0}))
    {
    }

    /// The next item, or nullopt after the last: completion void(std::exception_ptr,
    /// std::optional<item_type>).
    template <call_token CompletionToken = default_completion_token>
    auto next(CompletionToken&& token = {})
    {
        return initiate<false>(std::forward<CompletionToken>(token));
    }

    /// next() completing with void(result<std::optional<item_type>>); never throws.
    template <call_token CompletionToken = default_completion_token>
    auto try_next(CompletionToken&& token = {})
    {
        return initiate<true>(std::forward<CompletionToken>(token));
    }

    /// The pages behind the items (pages(), done()).
    [[nodiscard]] const pager<Op>& pages() const noexcept { return state_->pages; }

private:
    using value = std::optional<item_type>;
    struct items_state {
        pager<Op> pages;
        std::vector<item_type> buffer; // the current page's items not yet delivered
        std::size_t at = 0;
    };

    template <bool Try, class CompletionToken>
    auto initiate(CompletionToken&& token)
    {
        return detail::initiate_next<Try, item_type>(
            std::forward<CompletionToken>(token), state_->pages.state_->client, state_,
            [](auto cs, auto st, auto handler) { start<Try>(std::move(cs), std::move(st), std::move(handler)); });
    }

    template <bool Try, class Handler>
    static void deliver(Handler& handler, std::shared_ptr<const error> failure, value v)
    {
        detail::complete_next<Try, item_type>(handler, std::move(failure), std::move(v));
    }

    template <bool Try, class Handler>
    static void start(std::shared_ptr<detail::client_state> cs, std::shared_ptr<items_state> st, Handler handler)
    {
        namespace asio = boost::asio;
        if (st->at < st->buffer.size()) {
            auto ex = asio::get_associated_executor(handler, cs->ex);
            value v(std::move(st->buffer[st->at++]));
            asio::post(ex, [h = std::move(handler), v = std::move(v)]() mutable { deliver<Try>(h, nullptr, std::move(v)); });
            return;
        }
        auto ex = asio::get_associated_executor(handler, cs->ex);
        auto slot = asio::get_associated_cancellation_slot(handler);
        st->pages.try_next(asio::bind_cancellation_slot(
            slot, asio::bind_executor(ex, [cs, st, h = std::move(handler)](result<std::optional<typename Op::response_type>> r) mutable {
                if (!r)
                    return deliver<Try>(h, r.error_ptr(), std::nullopt);
                if (!*r)
                    return deliver<Try>(h, nullptr, std::nullopt);
                st->buffer.clear();
                st->at = 0;
                if (auto* list = find_field<typename Op::pagination::items>(**r))
                    st->buffer = std::move(*list);
                // A page without items (possible mid-way with links or cursors): on to the next.
                start<Try>(std::move(cs), std::move(st), std::move(h));
            })));
    }

    std::shared_ptr<items_state> state_;
};

} // namespace specbound
