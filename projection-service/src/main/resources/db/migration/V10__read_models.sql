-- The projection service's own copy of every event it has seen: the timeline, asOf views and the
-- event stream are read from it, never from another service. position orders the stream and is
-- the SSE id that Last-Event-ID resumes from.
create table event_log (
    position     bigserial   primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    proposal_id  text        not null,
    type         text        not null,
    source       text        not null,
    actor        text        not null,
    occurred_at  timestamptz not null,
    sequence     bigint      not null,
    payload      text        not null
);
create index event_log_by_proposal on event_log (proposal_id, occurred_at, position);
create index event_log_by_type on event_log (type);

-- One row per proposal for the list view, refreshed from the proposal's log on each of its events.
create table proposal_summaries (
    proposal_id       text        primary key,
    title             text        not null,
    summary           text        not null,
    owner             text        not null,
    stage             text        not null,
    stage_entered_at  timestamptz not null,
    eligible          boolean     not null,
    blocker_count     int         not null,
    open_objections   int         not null,
    acks              int         not null,
    decision_overdue  boolean     not null,
    blockers          text        not null default '[]',
    next_deadline     timestamptz,
    updated_at        timestamptz not null
);
create index proposal_summaries_by_stage on proposal_summaries (stage, proposal_id);
