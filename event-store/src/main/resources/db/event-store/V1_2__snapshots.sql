-- An aggregate's state as its decider folded it up to a version, kept so that a command on a long
-- history folds only the events after it. Derived data: deleting a row only costs a longer fold.
create table snapshots (
    aggregate_id  text   not null,
    name          text   not null,  -- the decider's state and its shape, e.g. proposal.v1
    version       bigint not null,
    state         text   not null,
    primary key (aggregate_id, name)
);
