-- The review window of each proposal's current stage, as the consensus service last announced it
-- (eligibility-changed). Not an event of ours: what we know of another service's decision.
create table review_windows (
    proposal_id     text        primary key,
    stage           text        not null,
    window_ends_at  timestamptz,
    announced_at    timestamptz not null
);
