// The call engine: every policy decision of one call, as a state machine without I/O.
//
// Given the call's plan and each event (the transport's answer with the facts of the attempt, a
// token obtained, a wait over, cancellation), it answers what to do next:
//
//   send          send request() to destination() within limits(), then on_transport(result)
//   obtain_token  get an OAuth2 token for credential token_credential() (replacing stale_token()
//                 if set), then on_token(token or error)
//   wait          sleep delay(), then on_wait_done()
//   done          response() is the final response: decode it, then finish()
//   fail          failure() ends the call: finish()
//
// It owns attempts and the overall deadline, which failures may be replayed (a request a reused
// pooled connection lost: only idempotent methods or calls carrying an idempotency key),
// Retry-After, the OAuth2 replay after a 401, redirects, idempotency keys, hooks and logging,
// and for downloads which bodies go to the sink and whether a broken one may be fetched again.
// The coroutine that drives it (impl/client.ipp) only performs the I/O. Failures are values:
// nothing here throws to signal a failed call.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/descriptor.hpp>
#include <specbound/detail/client_config.hpp>
#include <specbound/detail/content_coding.hpp>
#include <specbound/detail/download_stream.hpp>
#include <specbound/detail/upload_stream.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/server_url.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/middleware.hpp>
#include <specbound/result.hpp>
#include <specbound/retry.hpp>
#include <specbound/transport.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace specbound::detail {

/// An operation as the engine sees it: what it is, and how to build its request and read its
/// response. Only `build` and `decode` are per operation (templates); the engine is compiled once.
struct call_plan {
    call_info info;
    std::span<const security_requirement> security;
    const std::string& context; // "showPetById (GET /pets/{petId})", static
    /// The operation's request at the call's base URL, or invalid_argument_error.
    std::function<result<http_request>(const base_url&)> build;
    /// Whether the operation declares this exact status (a declared 3xx is its answer, not a redirect).
    bool (*declares_status)(int status) = nullptr;
    /// Stores the decoded value of the final response, or returns the typed error. `url`: what
    /// answered it (call_engine::answered_url).
    std::function<std::shared_ptr<const error>(const http_response&, const std::string& context, const std::string& url)>
        decode;
    /// The caller's settings for this call (empty: the client's).
    call_options options{};
    /// A next page's link (origin-form), requested instead of the operation's URL. The pager
    /// checked it is on the call's origin; it carries its whole query, so call_options::query is
    /// not added again.
    std::string page_target{};
    /// A download: a final 2xx body goes here (decoded, within call_options::body_limit if set)
    /// instead of into memory.
    body_sink* sink = nullptr;
    /// An upload: the request body is read from here instead of the request's body member.
    body_source* source = nullptr;
    /// The transport reads `source` itself (transport::streams_uploads).
    bool transport_streams_uploads = false;
    /// The operation's own servers (Op::servers); empty: the client's.
    std::span<const server> servers{};
};

/// Where a call goes, decided here only (by call_engine::start, and by a pager checking that a
/// next page stays there): call_options::base_url; else client_options::base_url; else the
/// operation's own first server, its variables set from client_options::server where the names
/// match (the others keep their defaults) and a relative URL resolved against the client's
/// server; else the client's server (empty optional).
inline result<std::optional<base_url>> call_server(const client_config& config, std::span<const server> servers,
                                                   const call_options& co)
{
    using chosen = std::optional<base_url>;
    if (!co.base_url.empty()) {
        result<base_url> b = try_parse_base_url(co.base_url);
        if (!b)
            return std::make_shared<invalid_argument_error>(std::string("call_options::base_url: ") + b.error()->what());
        return chosen(std::move(*b));
    }
    if (!config.options.base_url.empty() || servers.empty())
        return chosen();
    const server& own = servers.front();
    result<std::string> url = server_url(own, config.options.server.variables, false);
    if (!url)
        return std::make_shared<invalid_argument_error>(std::string("the operation's ") + url.error()->what());
    result<base_url> b = server_base(*url, &config.base);
    if (!b)
        return std::make_shared<invalid_argument_error>("the operation's " + server_name(own) + ": " + b.error()->what());
    return chosen(std::move(*b));
}

class call_engine {
public:
    using clock = std::chrono::steady_clock;

    enum class step { send, obtain_token, wait, done, fail };

    call_engine(const client_config& config, const call_plan& plan, std::uint64_t seed)
        : config_(config), plan_(plan), policy_(config.options.retry, seed, plan.options.max_retries)
    {
    }

    call_engine(const call_engine&) = delete;
    call_engine& operator=(const call_engine&) = delete;

    // ---- events ---------------------------------------------------------------------------

    step start(clock::time_point now)
    {
        start_ = now;
        for (const auto& h : config_.options.hooks)
            if (h.on_start)
                h.on_start(plan_.info);
        const call_options& co = plan_.options;
        if (auto bad = check_call_options(co, config_.options.retry, plan_.context))
            return fail(std::move(bad));
        result<std::optional<base_url>> server = call_server(config_, plan_.servers, co);
        if (!server)
            return fail(std::make_shared<invalid_argument_error>(plan_.context + ": " + server.error()->what()));
        call_base_ = std::move(*server);
        const auto overall = co.timeout.value_or(config_.options.timeouts.overall);
        deadline_ = overall.count() > 0 ? now + overall : clock::time_point::max();
        if (co.deadline)
            deadline_ = std::min(deadline_, *co.deadline);
        const retry_options& ro = config_.options.retry;
        if (co.idempotency_key) {
            has_key_ = true;
            idempotency_key_ = *co.idempotency_key;
        } else {
            has_key_ = !is_idempotent(plan_.info.method) && ro.idempotency_keys && !ro.idempotency_header.empty();
        }
        auth_ = select_auth(plan_.security, config_.api.security_schemes, config_.options.credentials);
        if (auth_.unsatisfied)
            config_.log(log_level::warning, plan_.context + ": no configured credential satisfies the operation's "
                                                            "security; sending without credentials");
        tokens_.assign(auth_.uses.size(), std::string());
        destination_ = base().to;
        if (plan_.sink)
            download_.emplace(*plan_.sink, co.body_limit.value_or(0), plan_.context);
        if (plan_.source)
            upload_.emplace(*plan_.source, plan_.context);
        return begin_attempt(now);
    }

    /// The token asked for by obtain_token, or the auth_error (or cancellation) that ends the call.
    step on_token(result<oauth2_token> token, clock::time_point now)
    {
        if (!token)
            return fail(token.error_ptr());
        tokens_[pending_use_] = token->token_type + " " + token->access_token;
        token_values_.push_back(token->access_token);
        stale_token_.reset();
        return continue_attempt(now);
    }

    step on_transport(transport_result r, clock::time_point now)
    {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - attempt_start_);
        if (r.ec == transport_errc::cancelled)
            return fail(std::make_shared<transport_error>(transport_errc::cancelled, plan_.context, r.request_sent));

        const std::string n = std::to_string(attempt_);
        retry_decision d;
        if (r.ec) {
            config_.log(log_level::warning, plan_.context + ": attempt " + n + " failed after " +
                                                std::to_string(ms.count()) + " ms: " + r.ec.message());
            // A pooled connection the server had already dropped: the request was not processed,
            // but may be replayed only when sending it twice is harmless (RFC 9112 9.3.1).
            const bool lost_by_pool =
                r.ec == transport_errc::connection_closed && r.connection_reused && !r.response_started;
            if (lost_by_pool && !stale_replayed_ && may_send_again() && body_resendable()) {
                stale_replayed_ = true;
                fresh_connection_ = true;
                config_.log(log_level::info, plan_.context + ": the reused connection was closed before any "
                                                             "answer; sending again on a new connection");
                return begin_attempt(now);
            }
            if (download_ && download_->failure()) // the sink, the limit or the encoding: final
                return fail(download_->failure());
            if (upload_ && upload_->failure()) // the source: final
                return fail(upload_->failure());
            ++budget_attempts_;
            d = policy_.on_transport_error({budget_attempts_, plan_.info.method, has_key_}, r);
            if (d.retry && download_ && download_->accepted() && !plan_.sink->restartable()) {
                d.retry = false;
                d.reason = "the download's sink cannot start over";
            }
            if (d.retry && !body_resendable()) {
                d.retry = false;
                d.reason = "the upload's source cannot start over";
            }
        } else {
            last_status_ = static_cast<int>(r.response.result_int());
            if (config_.logs(log_level::info)) {
                std::string line = plan_.context + ": HTTP " + std::to_string(last_status_) + " in " +
                                   std::to_string(ms.count()) + " ms (attempt " + n + ")";
                if (config_.options.logging.headers && config_.logs(log_level::debug))
                    line += config_.redact.headers_text(r.response.base(), token_values_);
                config_.log(log_level::info, line);
            }
            if (last_status_ == 401 && !oauth_replayed_ && oauth_use() && body_resendable()) {
                // The token may have been revoked early: refresh it once and replay.
                oauth_replayed_ = true;
                stale_token_ = used_oauth_token_;
                config_.log(log_level::info, plan_.context + ": 401 with an OAuth2 token; refreshing it and replaying");
                return begin_attempt(now);
            }
            if (auto s = follow_redirect(r.response, now))
                return *s;
            ++budget_attempts_;
            d = policy_.on_response({budget_attempts_, plan_.info.method, has_key_}, r.response);
            if (d.retry && !body_resendable()) {
                d.retry = false;
                d.reason = "the upload's source cannot start over";
            }
        }
        if (d.retry && deadline_ != clock::time_point::max() && now + d.delay >= deadline_) {
            d.retry = false;
            d.reason = "overall deadline";
        }
        if (!d.retry) {
            if (r.ec == transport_errc::timeout)
                return fail(std::make_shared<timeout_error>(plan_.context, r.request_sent));
            if (r.ec)
                return fail(std::make_shared<transport_error>(r.ec, plan_.context, r.request_sent));
            response_ = std::move(r.response);
            bool streamed = r.body_streamed;
            if (download_ && !streamed && download_->accept(response_.base())) {
                // A transport that does not stream (a mock, a custom one): its body goes the same way.
                if (!download_->write(std::span<const char>(response_.body().data(), response_.body().size())))
                    (void)download_->finish();
                response_.body().clear();
                streamed = true;
            }
            if (streamed) {
                if (download_->failure())
                    return fail(download_->failure());
                response_.erase(boost::beast::http::field::content_encoding); // the sink got it decoded
            } else if (auto bad = decode_content(response_, limits_.body_limit, plan_.context)) {
                return fail(std::move(bad));
            }
            return step::done;
        }
        const retry_event ev{attempt_, d.delay, d.reason, r.ec ? 0 : last_status_, r.ec};
        config_.log(log_level::warning, plan_.context + ": retrying after attempt " + n + " in " +
                                            std::to_string(d.delay.count()) + " ms (" + std::string(d.reason) + ")");
        for (const auto& h : config_.options.hooks)
            if (h.on_retry)
                h.on_retry(plan_.info, ev);
        delay_ = d.delay;
        return step::wait;
    }

    step on_wait_done(clock::time_point now) { return begin_attempt(now); }

    /// The caller cancelled the call (at any step).
    step on_cancelled()
    {
        return fail(std::make_shared<transport_error>(transport_errc::cancelled, plan_.context, attempt_ > 0));
    }

    /// The call ends: `failure` is the step's failure, or the decode's, or null on success.
    /// Runs the on_finish hooks and logs the failure.
    void finish(std::shared_ptr<const error> failure, clock::time_point now)
    {
        failure_ = std::move(failure);
        if (failure_)
            config_.log(log_level::error, failure_->what());
        const call_summary summary{attempt_, last_status_, now - start_, failure_};
        for (const auto& h : config_.options.hooks)
            if (h.on_finish)
                h.on_finish(plan_.info, summary);
    }

    // ---- what the driver needs for the current step -----------------------------------------

    [[nodiscard]] http_request& request() noexcept { return request_; }
    [[nodiscard]] const origin& destination() const noexcept { return destination_; }
    [[nodiscard]] const attempt_limits& limits() const noexcept { return limits_; }
    [[nodiscard]] const attempt_info& attempt() const noexcept { return attempt_info_; }
    [[nodiscard]] std::size_t token_credential() const noexcept { return auth_.uses[pending_use_].credential; }
    [[nodiscard]] const security_scheme& token_scheme() const noexcept { return *auth_.uses[pending_use_].scheme; }
    [[nodiscard]] const std::optional<std::string>& stale_token() const noexcept { return stale_token_; }
    [[nodiscard]] std::chrono::milliseconds delay() const noexcept { return delay_; }
    [[nodiscard]] http_response& response() noexcept { return response_; }
    [[nodiscard]] const std::shared_ptr<const error>& failure() const noexcept { return failure_; }
    [[nodiscard]] const call_plan& plan() const noexcept { return plan_; }
    [[nodiscard]] int attempts() const noexcept { return attempt_; }
    [[nodiscard]] int redirects() const noexcept { return redirects_; }

    /// The URL of the last request (after redirects), with secret query values redacted as in
    /// logs: what a relative link in its response is resolved against.
    [[nodiscard]] std::string answered_url() const
    {
        return destination_.scheme + "://" + host_port(destination_.host, destination_.port) +
               config_.redact.target(request_.target(), token_values_);
    }

private:
    // ---- attempts -------------------------------------------------------------------------

    step begin_attempt(clock::time_point now)
    {
        if (now >= deadline_)
            return fail(std::make_shared<timeout_error>(plan_.context, false));
        std::fill(tokens_.begin(), tokens_.end(), std::string());
        return continue_attempt(now);
    }

    /// Obtains the tokens the attempt needs, one at a time, then builds and sends its request.
    step continue_attempt(clock::time_point now)
    {
        if (same_origin()) {
            for (std::size_t i = 0; i < auth_.uses.size(); ++i) {
                if (tokens_[i].empty() && std::holds_alternative<oauth2_client_credentials>(credential_of(i))) {
                    pending_use_ = i;
                    return step::obtain_token;
                }
            }
        }
        if (auto failure = prepare_request())
            return fail(std::move(failure));
        ++attempt_;
        limits_ = limits_for(now);
        limits_.fresh_connection = std::exchange(fresh_connection_, false);
        limits_.replayed_if_lost = !stale_replayed_ && may_send_again() && body_resendable(); // see on_transport
        if (download_) {
            download_->reset();
            limits_.stream = &*download_;
        }
        if (sends_upload() && plan_.transport_streams_uploads)
            limits_.upload = &*upload_;
        attempt_info_ = attempt_info{plan_.info.operation_id, plan_.info.method, plan_.info.path_template,
                                     attempt_, &destination_, &limits_};
        if (config_.logs(log_level::debug)) {
            std::string line = plan_.context + ": attempt " + std::to_string(attempt_) + " " +
                               std::string(request_.method_string()) + " " +
                               config_.redact.target(request_.target(), token_values_);
            if (redirects_ > 0)
                line += " at " + destination_.scheme + "://" + host_port(destination_.host, destination_.port);
            if (config_.options.logging.headers)
                line += config_.redact.headers_text(request_.base(), token_values_);
            config_.log(log_level::debug, line);
        }
        attempt_start_ = now;
        return step::send;
    }

    /// The request of this attempt, built afresh rather than copied from the last one: a call of
    /// one attempt (nearly all) copies nothing, however large its body, and what middleware or the
    /// transport did to one attempt's request cannot leak into the next.
    std::shared_ptr<const error> prepare_request()
    {
        result<http_request> built = plan_.build(base());
        if (!built)
            return built.error_ptr();
        request_ = std::move(*built);
        http_request& r = request_;
        if (!config_.user_agent.empty())
            r.set(boost::beast::http::field::user_agent, config_.user_agent);
        for (const auto& [name, value] : config_.options.default_headers)
            if (r.find(name) == r.end())
                r.set(name, value);
        for (const auto& [name, value] : plan_.options.headers)
            r.set(name, value);
        if (!plan_.page_target.empty() && redirects_ == 0)
            r.target(plan_.page_target);
        if (redirects_ == 0 && plan_.page_target.empty()) // a Location or page link carries the whole query
            for (const auto& [name, value] : plan_.options.query)
                append_query(r, name, value);
        const compression_options& compression = config_.options.compression;
        if (compression.accept_compressed && r.find(boost::beast::http::field::accept_encoding) == r.end())
            r.set(boost::beast::http::field::accept_encoding, "gzip, deflate");
        if (sends_upload()) {
            if (auto bad = attach_upload(r))
                return bad;
        } else if (compression.compress_requests && r.body().size() >= compression.request_min_size &&
            r.find(boost::beast::http::field::content_encoding) == r.end()) {
            r.body() = gzip_body(r.body(), compression.request_level);
            r.set(boost::beast::http::field::content_encoding, "gzip");
            r.prepare_payload();
        }
        const std::string& header = config_.options.retry.idempotency_header;
        if (has_key_ && r.find(header) == r.end()) {
            if (idempotency_key_.empty())
                idempotency_key_ = boost::uuids::to_string(boost::uuids::random_generator{}());
            r.set(header, idempotency_key_);
        }
        if (redirects_ > 0)
            apply_redirect(r);
        if (same_origin())
            return apply_credentials(r);
        strip_credentials(r);
        return nullptr;
    }

    /// The upload's body: streamed by the transport (Content-Length when the source knows its
    /// size, chunked otherwise), or read whole into the request for a transport that does not stream.
    std::shared_ptr<const error> attach_upload(http_request& r)
    {
        using boost::beast::http::field;
        r.body().clear();
        if (!upload_->rewind())
            return upload_->failure();
        if (std::string type = upload_->content_type(); !type.empty())
            r.set(field::content_type, type);
        if (plan_.transport_streams_uploads) {
            if (const auto size = upload_->size())
                r.content_length(*size);
            else
                r.chunked(true);
            return nullptr;
        }
        char piece[16 * 1024];
        for (;;) {
            boost::system::error_code ec;
            const std::size_t n = upload_->read(std::span<char>(piece, sizeof piece), ec);
            if (ec)
                return upload_->failure();
            if (n == 0)
                break;
            r.body().append(piece, n);
        }
        r.prepare_payload();
        return nullptr;
    }

    std::shared_ptr<const error> apply_credentials(http_request& req)
    {
        for (std::size_t i = 0; i < auth_.uses.size(); ++i) {
            const credential& c = credential_of(i);
            const security_scheme& scheme = *auth_.uses[i].scheme;
            using k = security_scheme_kind;
            if (const auto* b = std::get_if<bearer_token>(&c)) {
                req.set(boost::beast::http::field::authorization, "Bearer " + b->token);
            } else if (const auto* a = std::get_if<api_key>(&c)) {
                if (scheme.kind == k::api_key_header)
                    req.set(scheme.parameter_name, a->value);
                else if (scheme.kind == k::api_key_query)
                    set_query(req, scheme.parameter_name, a->value); // a page link may carry it already
                else if (!append_cookie(req, pct(scheme.parameter_name) + "=" + pct(a->value)))
                    return std::make_shared<invalid_argument_error>(
                        plan_.context + ": the API key cookie does not fit in the Cookie header");
            } else if (const auto* ba = std::get_if<basic_auth>(&c)) {
                req.set(boost::beast::http::field::authorization, "Basic " + base64_encode(ba->user + ":" + ba->password));
            } else {
                // Checked when it was obtained (check_token).
                req.set(boost::beast::http::field::authorization, tokens_[i]);
                used_oauth_token_ = tokens_[i].substr(tokens_[i].find(' ') + 1);
            }
        }
        return nullptr;
    }

    /// Off the API's origin, no credential goes along: neither the configured ones nor anything
    /// that could carry one (cookies, the API's apiKey headers, the headers the user called secret).
    void strip_credentials(http_request& req) const
    {
        using boost::beast::http::field;
        req.erase(field::authorization);
        req.erase(field::proxy_authorization);
        req.erase(field::cookie);
        for (const auto& s : config_.api.security_schemes)
            if (s.kind == security_scheme_kind::api_key_header)
                req.erase(s.parameter_name);
        for (const auto& h : config_.options.logging.redact_headers)
            req.erase(h);
    }

    // ---- redirects ------------------------------------------------------------------------

    struct redirect_target {
        std::string target; // origin-form
        bool as_get = false; // 303: the method becomes GET and the body goes
    };

    /// A redirect to follow: the next attempt's step. nullopt: `res` is the call's answer.
    std::optional<step> follow_redirect(const http_response& res, clock::time_point now)
    {
        const int status = static_cast<int>(res.result_int());
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
            return std::nullopt;
        const redirect_options& ro = config_.options.redirects;
        if (!ro.follow || (plan_.declares_status && plan_.declares_status(status)))
            return std::nullopt;
        const auto location_field = res.find(boost::beast::http::field::location);
        if (location_field == res.end())
            return std::nullopt;
        const std::string_view location = location_field->value();
        const bool as_get = status == 303 && plan_.info.method != http_method::head;
        // 303 asks for another resource with GET: safe whatever the method. The others repeat
        // the request elsewhere: only for requests that may be sent twice.
        if (!as_get && !redirect_.as_get && (!may_send_again() || !body_resendable()))
            return std::nullopt;
        auto refuse = [&](client_errc code, const std::string& why) -> step {
            return fail(std::make_shared<redirect_error>(code, plan_.context + ": " + why, status,
                                                         body_excerpt(location)));
        };
        if (redirects_ >= ro.max_redirects)
            return refuse(client_errc::too_many_redirects,
                          "more than " + std::to_string(ro.max_redirects) + " redirects");

        // Resolve Location against the URL of the request that got it.
        boost::urls::url current;
        current.set_scheme(destination_.scheme);
        current.set_host_address(destination_.host);
        current.set_port_number(destination_.port);
        auto here = boost::urls::parse_origin_form(request_.target());
        auto ref = boost::urls::parse_uri_reference(location);
        if (!here || !ref)
            return refuse(client_errc::redirect_refused, "the redirect's Location is not a URL");
        current.set_encoded_path(here->encoded_path());
        if (here->has_query())
            current.set_encoded_query(here->encoded_query());
        boost::urls::url next;
        if (auto rv = boost::urls::resolve(current, *ref, next); !rv)
            return refuse(client_errc::redirect_refused, "the redirect's Location cannot be resolved");
        result<base_url> to = try_parse_base_url(std::string_view(next.encoded_origin()));
        if (!to || next.has_userinfo())
            return refuse(client_errc::redirect_refused, "the redirect's Location is not an http(s) URL");
        if (destination_.scheme == "https" && to->to.scheme == "http" && !ro.allow_https_to_http)
            return refuse(client_errc::redirect_refused, "a redirect from https to http is not followed "
                                                         "(client_options::redirects.allow_https_to_http)");
        redirect_target t;
        t.target = next.encoded_path().empty() ? "/" : std::string(next.encoded_path());
        if (next.has_query())
            t.target += "?" + std::string(next.encoded_query());
        t.as_get = as_get || redirect_.as_get;
        // A loop is a redirect back to a URL already requested with the same method.
        std::string key = to->to.scheme + "://" + host_port(to->to.host, to->to.port) + t.target;
        if (std::find(visited_.begin(), visited_.end(), key) != visited_.end())
            return refuse(client_errc::too_many_redirects, "redirect loop");
        if (visited_.empty())
            visited_.push_back(destination_.scheme + "://" + host_port(destination_.host, destination_.port) +
                               std::string(request_.target()));
        visited_.push_back(std::move(key));

        ++redirects_;
        destination_ = to->to;
        redirect_ = std::move(t);
        config_.log(log_level::info, plan_.context + ": HTTP " + std::to_string(status) + ", following to " +
                                         destination_.scheme + "://" + host_port(destination_.host, destination_.port) +
                                         config_.redact.target(redirect_.target, token_values_));
        return begin_attempt(now);
    }

    void apply_redirect(http_request& r) const
    {
        using boost::beast::http::field;
        r.target(redirect_.target);
        r.set(field::host, host_header(destination_));
        if (redirect_.as_get) {
            r.method(boost::beast::http::verb::get);
            r.body().clear();
            r.erase(field::content_type);
            r.erase(field::content_encoding);
            r.erase(field::content_length);
            r.erase(field::transfer_encoding);
            r.erase(config_.options.retry.idempotency_header);
        }
    }

    // ---- small facts ----------------------------------------------------------------------

    /// Whether sending this call's request twice is harmless.
    [[nodiscard]] bool may_send_again() const noexcept { return is_idempotent(plan_.info.method) || has_key_; }

    /// Whether this attempt's body comes from the upload's source (not after a 303: that is a GET).
    [[nodiscard]] bool sends_upload() const noexcept { return upload_ && !(redirects_ > 0 && redirect_.as_get); }

    /// Whether the request's body can be sent again: always, unless it comes from a source that
    /// has given bytes and cannot start over.
    [[nodiscard]] bool body_resendable() const { return !upload_ || !upload_->started() || upload_->rewindable(); }

    [[nodiscard]] bool same_origin() const noexcept { return destination_ == base().to; }

    /// The call's server (call_server): call_options::base_url, the operation's own, or the client's.
    [[nodiscard]] const base_url& base() const noexcept { return call_base_ ? *call_base_ : config_.base; }

    [[nodiscard]] const credential& credential_of(std::size_t use) const
    {
        return config_.options.credentials[auth_.uses[use].credential];
    }

    [[nodiscard]] bool oauth_use() const
    {
        if (!same_origin())
            return false;
        for (std::size_t i = 0; i < auth_.uses.size(); ++i)
            if (std::holds_alternative<oauth2_client_credentials>(credential_of(i)))
                return true;
        return false;
    }

    [[nodiscard]] attempt_limits limits_for(clock::time_point now) const
    {
        attempt_limits l;
        l.connect_timeout = config_.options.timeouts.connect;
        l.attempt_timeout = plan_.options.attempt_timeout.value_or(config_.options.timeouts.attempt);
        l.body_limit = plan_.options.body_limit.value_or(config_.options.body_limit);
        if (deadline_ != clock::time_point::max()) {
            // At least 1 ms: the deadline was checked, a zero timeout would mean "none" to some transports.
            auto remaining = std::max<clock::duration>(deadline_ - now, std::chrono::milliseconds(1));
            l.attempt_timeout = std::min(l.attempt_timeout, remaining);
            l.connect_timeout = std::min(l.connect_timeout, remaining);
        }
        return l;
    }

    step fail(std::shared_ptr<const error> e)
    {
        failure_ = std::move(e);
        return step::fail;
    }

    const client_config& config_;
    const call_plan& plan_;
    retry_policy policy_;
    auth_plan auth_;
    bool has_key_ = false;
    std::string idempotency_key_; // one per call, the same on every attempt, so the server can recognise a replay
    std::optional<base_url> call_base_;

    clock::time_point start_{};
    clock::time_point deadline_ = clock::time_point::max();
    clock::time_point attempt_start_{};
    int attempt_ = 0;         // requests sent (or being sent)
    int budget_attempts_ = 0; // attempts counted against max_retries: not OAuth2 replays, redirects, pool replays
    int last_status_ = 0;

    std::vector<std::string> tokens_;       // per auth use: "Bearer <token>" for OAuth2 uses
    std::vector<std::string> token_values_; // access tokens seen by this call, scrubbed from logs
    std::size_t pending_use_ = 0;
    std::optional<std::string> stale_token_;
    std::string used_oauth_token_;
    bool oauth_replayed_ = false;
    bool stale_replayed_ = false;
    bool fresh_connection_ = false;

    origin destination_;
    int redirects_ = 0;
    redirect_target redirect_;
    std::vector<std::string> visited_;

    std::optional<download_stream> download_; // a download's decoder and sink writer
    std::optional<upload_stream> upload_;     // an upload's source, held to its size

    http_request request_;
    attempt_limits limits_;
    attempt_info attempt_info_{};
    std::chrono::milliseconds delay_{0};
    http_response response_;
    std::shared_ptr<const error> failure_;
};

} // namespace specbound::detail
