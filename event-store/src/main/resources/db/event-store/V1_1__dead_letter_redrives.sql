-- What an operator's re-drive of a dead letter did, per consumer: the dead letters themselves
-- stay on <topic>.dlq in Kafka; this remembers which were brought back and how it went.
create table dead_letter_redrives (
    dead_letter  text        not null,  -- <dead-letter topic>:<partition>:<offset>
    consumer     text        not null,  -- the inbox that applied (or failed to apply) it
    outcome      text        not null,  -- APPLIED, ALREADY_APPLIED or FAILED
    reason       text,
    redriven_at  timestamptz not null,
    primary key (dead_letter, consumer)
);
