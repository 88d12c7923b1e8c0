-- The latest policy as the consensus service published it, kept for its component descriptions
-- (MAINTAINERS sections: F:/X: patterns), from which a proposal's components are derived from its
-- paths when it names none. One row; a newer version replaces it.
create table policy_components (
    id      int primary key check (id = 1),
    version bigint not null,
    policy  text   not null
);
