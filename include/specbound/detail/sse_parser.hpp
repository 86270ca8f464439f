// The text/event-stream format (WHATWG HTML, "Server-sent events", 9.2.6), parsed incrementally:
// bytes in any pieces, events out as each blank line completes one. Pure computation.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace specbound::detail {

/// One dispatched event, before its data is decoded.
struct sse_fields {
    std::string type; // "message" unless the event named another
    std::string data; // its data lines joined with '\n'
    std::string id;   // the last event ID at dispatch (persists across events)
    std::optional<std::chrono::milliseconds> retry; // a reconnection time this event set
};

class sse_parser {
public:
    /// `max_event_bytes`: the longest line and the largest data an event may have; more is an
    /// error (a server that never ends a line must not exhaust memory).
    explicit sse_parser(std::size_t max_event_bytes) : max_(max_event_bytes) {}

    /// Parses `bytes`, calling `on_event(sse_fields&&)` for each complete event. False when the
    /// stream breaks a limit (why()).
    template <class OnEvent>
    bool feed(std::string_view bytes, OnEvent&& on_event)
    {
        if (failed_)
            return false;
        for (char c : bytes) {
            if (bom_pending_) {
                // A UTF-8 byte order mark at the very start is skipped, byte by byte.
                static constexpr char bom[] = "\xEF\xBB\xBF";
                if (c == bom[bom_matched_]) {
                    if (++bom_matched_ == 3)
                        bom_pending_ = false;
                    continue;
                }
                bom_pending_ = false;
                line_.append(bom, bom_matched_);
            }
            if (after_cr_ && c == '\n') { // the LF of a CRLF
                after_cr_ = false;
                continue;
            }
            after_cr_ = c == '\r';
            if (c == '\r' || c == '\n') {
                if (!line(on_event))
                    return false;
                continue;
            }
            if (line_.size() >= max_)
                return fail("a line of the event stream is longer than " + std::to_string(max_) + " bytes");
            line_ += c;
        }
        return true;
    }

    /// A new connection: a partly received event (and its ID) is dropped; the last event ID is kept.
    void restart()
    {
        line_.clear();
        data_.clear();
        type_.clear();
        id_buffer_ = last_id_;
        retry_.reset();
        has_data_ = false;
        after_cr_ = false;
        bom_pending_ = true;
        bom_matched_ = 0;
        failed_ = false;
        why_.clear();
    }

    [[nodiscard]] const std::string& last_event_id() const noexcept { return last_id_; }
    /// The reconnection time the stream asked for last (the `retry` field), if any.
    [[nodiscard]] std::optional<std::chrono::milliseconds> reconnection_time() const noexcept { return reconnect_; }
    [[nodiscard]] const std::string& why() const noexcept { return why_; }

private:
    template <class OnEvent>
    bool line(OnEvent& on_event)
    {
        std::string_view l = line_;
        if (l.empty()) {
            // Dispatch: the ID takes effect even for an event without data, which is not dispatched.
            last_id_ = id_buffer_;
            if (has_data_) {
                sse_fields e;
                e.type = type_.empty() ? "message" : type_;
                e.data = std::move(data_);
                if (!e.data.empty() && e.data.back() == '\n')
                    e.data.pop_back();
                e.id = last_id_;
                e.retry = retry_;
                on_event(std::move(e));
            }
            data_.clear();
            type_.clear();
            retry_.reset();
            has_data_ = false;
            return true;
        }
        if (l.front() == ':') { // a comment (keep-alives are sent this way)
            line_.clear();
            return true;
        }
        const std::size_t colon = l.find(':');
        std::string_view field = l.substr(0, colon);
        std::string_view value = colon == std::string_view::npos ? std::string_view{} : l.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        if (field == "event") {
            type_ = value;
        } else if (field == "data") {
            if (data_.size() + value.size() + 1 > max_)
                return fail("an event's data is larger than " + std::to_string(max_) + " bytes");
            data_ += value;
            data_ += '\n';
            has_data_ = true;
        } else if (field == "id") {
            if (value.find('\0') == std::string_view::npos)
                id_buffer_ = value;
        } else if (field == "retry") {
            if (!value.empty() && value.size() <= 9 && value.find_first_not_of("0123456789") == std::string_view::npos) {
                retry_ = std::chrono::milliseconds(std::stol(std::string(value)));
                reconnect_ = retry_;
            }
        }
        line_.clear();
        return true;
    }

    bool fail(std::string why)
    {
        failed_ = true;
        why_ = std::move(why);
        return false;
    }

    std::size_t max_;
    std::string line_;
    std::string data_;
    std::string type_;
    std::string id_buffer_; // the `id` of the event being received
    std::string last_id_;   // of the last event dispatched
    std::optional<std::chrono::milliseconds> retry_;
    std::optional<std::chrono::milliseconds> reconnect_;
    bool has_data_ = false;
    bool after_cr_ = false;
    bool bom_pending_ = true;
    std::size_t bom_matched_ = 0;
    bool failed_ = false;
    std::string why_;
};

} // namespace specbound::detail
