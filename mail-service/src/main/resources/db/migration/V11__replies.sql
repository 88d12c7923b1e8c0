-- Replies to senders (docs/mail.md, "Replies to senders"): one per received message at most, the
-- message's Message-ID as key, written in the transaction that records the message's outcome, so a
-- reply is owed exactly when its outcome is recorded; sent afterwards by a background loop
-- (never while POST /messages waits), retried while the SMTP server is away. sent_at is set once
-- the server took it; given_up_at when the server refused the recipient, which retrying won't change.
create table replies (
    message_id       text        primary key references messages (message_id),
    reply_id         text        not null,
    recipient        text        not null,
    subject          text        not null,
    in_reply_to      text        not null,
    refs             text        not null,
    body             text        not null,
    created_at       timestamptz not null,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    last_error       text,
    sent_at          timestamptz,
    given_up_at      timestamptz
);
create index replies_due on replies (next_attempt_at) where sent_at is null and given_up_at is null;
