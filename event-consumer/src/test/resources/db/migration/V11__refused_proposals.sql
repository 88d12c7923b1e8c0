-- Proposals the test consumer refuses to apply, to make a dead letter whose cause can be fixed.
create table refused_proposals (
    proposal_id text primary key
);
