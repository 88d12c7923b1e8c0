-- Notices people get without asking (docs/api.md): who subscribed with the czar role, which notice a
-- delivery carries ('' for an event asked for by its type), and what the events told us about
-- who is concerned by a proposal.
alter table subscriptions add column czar boolean not null default false;

alter table deliveries add column notice text not null default '';
alter table deliveries add column objection_id text;
alter table deliveries drop constraint deliveries_subscription_id_event_id_key;
-- One event may give one subscription both a notice and a later reminder: one row each, still once each.
alter table deliveries add constraint deliveries_once unique (subscription_id, event_id, notice);
create index deliveries_reminders on deliveries (objection_id) where status = 'PENDING' and notice = 'RESPONSE_DUE_SOON';

create table proposal_facts (
    proposal_id     text    primary key,
    owner           text,
    window_ends_at  timestamptz,
    eligible        boolean not null default false
);

create table proposal_reviewers (
    proposal_id  text not null,
    reviewer     text not null,
    primary key (proposal_id, reviewer)
);

create table objection_authors (
    objection_id  text primary key,
    proposal_id   text not null,
    author        text not null
);

-- A notice whose addressee is not known yet: the topics are read independently, so an objection
-- can be read before the proposal that names its owner. It is addressed when the fact arrives.
create table unaddressed_notices (
    event_id      uuid        not null,
    notice        text        not null,
    proposal_id   text        not null,
    audience      text        not null,
    objection_id  text,
    event_type    text        not null,
    actor         text        not null,
    send_at       timestamptz not null,
    webhook_body  text        not null,
    email_body    text        not null,
    primary key (event_id, notice)
);
create index unaddressed_by_proposal on unaddressed_notices (proposal_id);
