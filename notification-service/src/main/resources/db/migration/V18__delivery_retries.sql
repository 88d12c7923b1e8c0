-- Who retried a dead delivery by hand (POST /deliveries/{id}/retry), when, and after how many attempts: an
-- operator may put anyone's back, which sends their data to their target again, so each retry leaves a trace.
-- A delivery may be retried several times, so one row per retry, numbered in the order they were made.
-- Written by the same statement that puts the delivery back, so a retry that lost the race records nothing.
create table delivery_retries (
    delivery_id    text        not null references deliveries (id) on delete cascade,
    retry          int         not null,
    retried_by     text        not null,
    retried_at     timestamptz not null,
    after_attempt  int         not null,
    primary key (delivery_id, retry)
);
