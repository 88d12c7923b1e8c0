-- GET /proposals/{id} answers from a document written with each event, instead of folding the
-- proposal's whole history on every read. Rows written before have none until their next event
-- (or a replay); the read folds the history for them meanwhile.
alter table proposal_summaries add column document text;
