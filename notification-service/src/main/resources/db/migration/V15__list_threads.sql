-- The LIST channel (docs/api.md): each proposal has one thread on the mailing list. Its notices are
-- ordinary rows of deliveries (so they are logged, retried and never lost like any other); this table
-- keeps what the messages need beyond them, and the lease by which one replica at a time gathers a
-- proposal's pending notices into one message.
create table list_threads (
    proposal_id        text        primary key,
    -- From submitted: the subject names it.
    title              text,
    -- The Message-ID (without angle brackets) every message replies to: the first list message learnt
    -- from an event the mail bridge caused (root_source 'MAIL'), else the first message this service
    -- posted (root_source 'NOTICE'). Kept once set, so the thread stays one thread.
    root_message_id    text,
    root_source        text,
    -- Where the proposal stands, in words, from the newest eligibility-changed (by its sequence).
    standing           text,
    standing_sequence  bigint      not null default 0,
    -- When the last message went: none goes again before last_posted_at + pvl.list.min-interval.
    last_posted_at     timestamptz,
    -- While a replica sends a message for the proposal, no other gathers its notices.
    leased_until       timestamptz
);
