-- Whose review a window waits on (docs/rules.md): besides those who reviewed the proposal, the
-- maintainers of its components, as the newest policy names them. Both are learnt from events:
-- the components from submitted (they never change after it), the maintainers from policy-changed.

-- One row per proposal whose submission was learnt since this table exists; a proposal submitted
-- before has none until an operator replays the topics (POST /admin/replay).
create table proposal_components (
    proposal_id  text   primary key,
    components   text[] not null
);

-- The newest policy version learnt; an older one read after it (a redelivery, a replay) changes nothing.
-- Empty until the next policy-changed, or a replay of the topics, brings one.
create table policy_version (
    id       int    primary key check (id = 1),
    version  bigint not null
);

-- Each component's acking maintainers (THE REST's for a section without M:), tagged with the policy
-- version that named them: only rows of the version in policy_version count, so rows that another
-- version's write left (a replay runs beside the live consumer) are never read.
create table policy_maintainers (
    version     bigint not null,
    component   text   not null,
    maintainer  text   not null,
    primary key (version, component, maintainer)
);
