-- In which order the test consumer applied the events, in which transaction, and how many rows of
-- the same proposal it found before each: what an effect that keeps state would have read.
alter table test_effects
    add column position bigserial,
    add column tx bigint not null default txid_current(),
    add column earlier bigint;
