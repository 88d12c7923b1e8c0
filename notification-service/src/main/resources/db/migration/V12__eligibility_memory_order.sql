-- The eligibility a proposal was last seen with is kept only if it is newer (by the consensus
-- aggregate's sequence) than what is stored: a replay of the topics re-reads old events.
alter table proposal_facts add column memory_sequence bigint not null default 0;
