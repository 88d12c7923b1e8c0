-- What the test consumer's lock ahead was given: one row per proposal per call, in the
-- transaction of the effects it comes before.
create table test_locks_ahead (
    proposal_id text   not null,
    tx          bigint not null default txid_current()
);
