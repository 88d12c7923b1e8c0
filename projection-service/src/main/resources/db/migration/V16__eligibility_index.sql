-- A fold page reads the payload of a proposal's latest eligibility-changed only (each carries every
-- open objection), and finds that event here: through event_log_by_proposal it walked back past
-- every later event of the proposal (thousands of revisions), once per page that holds one. Only eligibility
-- changes are in this index, so the other events' inserts do not write to it. The type must be the
-- one LogFolds writes into its statement (FoldPagePlanIT checks that the plan uses this index).
-- Built in the migration's transaction, which holds the log's writers back meanwhile: 0.3 s on a log
-- of 300,000 events. CONCURRENTLY would wait for Flyway's own lock transaction, and never end.
create index event_log_eligibility_by_proposal on event_log (proposal_id, occurred_at, position)
    where type = 'pv.consensus.eligibility-changed.v1';
