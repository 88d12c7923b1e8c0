-- The state a test consumer changes, one row per applied event.
create table test_effects (
    proposal_id text not null,
    event_id    uuid not null,
    type        text not null
);
