-- What the review service learns from other services' events (never by asking them).

-- Each proposal's owner, stage and components (pv.proposal.events), and the end of its current
-- stage's review window as the consensus service announced it (eligibility-changed).
create table known_proposals (
    proposal_id     text primary key,
    owner           text not null,
    stage           text not null,
    components      text not null,
    window_stage    text,
    window_ends_at  timestamptz
);

-- The policy values the review service applies (policy-changed): one row.
create table review_policy (
    id                     int     primary key,
    version                bigint  not null,
    response_window        text    not null,
    late_objections_block  boolean not null
);

-- Objections the consensus service declared lapsed (objection-lapsed).
create table objection_lapses (
    objection_id  text        primary key,
    proposal_id   text        not null,
    lapsed_at     timestamptz not null
);
create index objection_lapses_by_proposal on objection_lapses (proposal_id);
