-- The event store every writing service shares (each in its own schema). Service migrations
-- live in db/migration and start at V10 so that these versions never collide with theirs.

-- The append-only log: one row per event, one version per aggregate without gaps.
create table events (
    position      bigserial   primary key,
    event_id      uuid        not null unique,
    aggregate_id  text        not null,
    version       bigint      not null check (version > 0),
    type          text        not null,
    source        text        not null,
    actor         text        not null,
    occurred_at   timestamptz not null,
    payload       text        not null,
    constraint events_one_version_per_aggregate unique (aggregate_id, version)
);

create function events_are_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the event log is append-only (% refused)', tg_op;
end
$$;
create trigger events_append_only before update or delete on events
    for each row execute function events_are_append_only();

-- The transactional outbox: written in the same transaction as the events, emptied by the relay
-- once Kafka has acknowledged each record.
create table outbox (
    id        bigserial primary key,
    event_id  uuid      not null references events (event_id),
    topic     text      not null
);

-- One relay at a time publishes, whatever the number of replicas: it holds this lease.
create table outbox_lease (
    name        text        primary key,
    holder      text,
    expires_at  timestamptz not null
);
insert into outbox_lease (name, holder, expires_at) values ('relay', null, '-infinity');

-- The idempotent consumer: an event id is applied once per consumer, in the effect's transaction.
create table inbox (
    consumer     text        not null,
    event_id     uuid        not null,
    received_at  timestamptz not null default now(),
    primary key (consumer, event_id)
);
