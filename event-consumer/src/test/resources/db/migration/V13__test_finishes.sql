-- What the test consumer's finish was given: one row per proposal per call, in the transaction of
-- the effects it follows.
create table test_finishes (
    proposal_id text   not null,
    events      int    not null,
    tx          bigint not null default txid_current()
);
