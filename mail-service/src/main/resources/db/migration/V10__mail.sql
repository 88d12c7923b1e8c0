-- The mail bridge: what it received and did, who senders are, and what it learns from the other
-- services' events (never by asking them) to tie messages to proposals and objections.

-- Every message received, once per Message-ID (a second one is a DUPLICATE and changes nothing).
-- reason says why it has its outcome (for a PENDING one, what it waits for); notes what in it did
-- not count (an Acked-by for someone else, say), its reason once applied. PENDING rows are applied again from next_attempt_at on; raw is kept only while a message waits
-- for an earlier one of its thread to be applied, to be decided then.
create table messages (
    message_id       text        primary key,
    received_at      timestamptz not null,
    list_id          text,
    sender           text        not null,
    person           text        not null,
    subject          text        not null,
    in_reply_to      text,
    proposal         text,
    outcome          text        not null,
    reason           text,
    notes            text,
    actions          jsonb       not null default '[]',
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    raw              bytea
);
create index messages_pending on messages (next_attempt_at) where outcome = 'PENDING';
create index messages_by_proposal on messages (proposal, received_at);
create index messages_by_outcome on messages (outcome, received_at);
create index messages_by_time on messages (received_at);

-- The identity map (PUT /identities): a lower-cased address and the person id it stands for.
create table identities (
    address  text primary key,
    person   text not null
);

-- Proposals (pv.proposal.events): owner, stage, components (comma-separated slugs), and the
-- Message-ID of the first message tied to it that answers none (its thread's root), if any.
create table proposals (
    proposal_id      text primary key,
    owner            text not null,
    stage            text not null,
    components       text not null,
    root_message_id  text
);
create index proposals_by_root on proposals (root_message_id);

-- A proposal's repository paths (submitted, revised).
create table proposal_paths (
    proposal_id  text not null,
    path         text not null,
    primary key (proposal_id, path)
);
create index proposal_paths_by_path on proposal_paths (path);

-- Objections (pv.review.events, and the review service's answers to this service's commands):
-- the status as of status_at (the time of the step that set it), and the Message-ID that raised it.
create table objections (
    objection_id  text        primary key,
    proposal_id   text        not null,
    author        text        not null,
    status        text        not null,
    status_at     timestamptz,
    raised_by     text
);
create index objections_by_message on objections (raised_by);

-- The policy's maintainers (policy-changed): one row per component, people comma-separated.
create table maintainers (
    component  text primary key,
    people     text not null
);
create table policy_version (
    id       int    primary key,
    version  bigint not null
);

-- What list messages caused at the review service, by the message's id: an objection raised, a
-- step in a thread, an ack given. Written from the events that carry a source and from the
-- review service's answers; a retried action that finds its row here is done already.
create table mail_steps (
    message_id  text not null,
    kind        text not null,
    target      text not null,
    result      text,
    primary key (message_id, kind, target)
);
