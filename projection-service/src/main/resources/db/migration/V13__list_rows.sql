-- GET /proposals answers from each row's JSON written with the row, instead of reading its columns
-- (and parsing its blockers) and serializing them again on every read. The JSON is kept in two
-- parts, before and after the value of timeInStage, which the read writes between them (it
-- depends on the time of the request). Rows written before have none until their next event (or
-- a replay); the read builds them from their columns meanwhile.
alter table proposal_summaries
    add column row_before_time_in_stage text,
    add column row_after_time_in_stage text;
