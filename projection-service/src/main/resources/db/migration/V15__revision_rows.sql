-- A proposal with more revisions than its full view holds in its document (256) keeps them one row
-- each, joined between the two parts of the rest of its document when read: each event then writes the
-- document without them and only the revisions it adds, not the whole list again.
-- Rows written before keep their whole document until their next event (or a replay).
create table proposal_revisions (
    proposal_id     text not null,
    revision_index  int  not null,
    json            text not null,
    primary key (proposal_id, revision_index)
);
alter table proposal_summaries
    add column document_before_revisions text,
    add column document_after_revisions text;
