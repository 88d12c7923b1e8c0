-- What the consensus service knows of each proposal (folded from proposal and review events) and
-- its own bookkeeping, one row per proposal. next_deadline is when the answer next changes by the
-- clock alone: the deadline scheduler claims due rows FOR UPDATE SKIP LOCKED, so that replicas
-- never fire the same deadline twice, and a restart fires whatever fell due while it was down.
create table proposal_states (
    proposal_id        text        primary key,
    state              text        not null,
    next_deadline      timestamptz,
    emitted_version    bigint      not null default 0,
    stage              text        not null,
    eligible           boolean     not null default false,
    overdue            boolean     not null default false,
    updated_at         timestamptz not null
);
create index proposal_states_due on proposal_states (next_deadline) where next_deadline is not null;

-- The policy in force: the last policy-changed, or the defaults (version 1) before any.
create table current_policy (
    id        int     primary key,
    version   bigint  not null,
    document  text    not null
);
