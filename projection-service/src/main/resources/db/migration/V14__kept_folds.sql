-- Each summary says up to which position of the log it was folded: a refresh folds on from the
-- view it kept in memory only when the summary says that view is the one last committed, and then
-- reads only the proposal's events after that position, found by the second index whatever the
-- length of the proposal's log.
alter table proposal_summaries add column folded_up_to bigint;
create index event_log_by_proposal_position on event_log (proposal_id, position);
