-- Who wants to hear about what, and every delivery of every notice with each attempt.
create table subscriptions (
    id          text        primary key,
    owner       text        not null,
    channel     text        not null,
    target      text        not null,
    types       text        not null,
    proposal    text,
    secret      text,
    created_at  timestamptz not null
);
create index subscriptions_by_owner on subscriptions (owner);

-- One delivery per (subscription, event): written with the consumer's inbox row, so a crash neither
-- loses nor doubles a notice. The worker claims due rows FOR UPDATE SKIP LOCKED and pushes
-- next_attempt_at ahead while it sends, so two replicas never send the same attempt.
create table deliveries (
    id               text        primary key,
    subscription_id  text        not null references subscriptions (id) on delete cascade,
    owner            text        not null,
    event_id         uuid        not null,
    event_type       text        not null,
    proposal_id      text        not null,
    body             text        not null,
    status           text        not null,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    last_status      int,
    last_error       text,
    created_at       timestamptz not null,
    finished_at      timestamptz,
    unique (subscription_id, event_id)
);
create index deliveries_due on deliveries (next_attempt_at) where status = 'PENDING';
create index deliveries_by_owner on deliveries (owner, created_at);

create table delivery_attempts (
    delivery_id  text        not null references deliveries (id) on delete cascade,
    attempt      int         not null,
    at           timestamptz not null,
    status_code  int,
    error        text,
    latency_ms   bigint      not null,
    primary key (delivery_id, attempt)
);
