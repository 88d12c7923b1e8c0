-- The policy's components as its MAINTAINERS sections describe them (policy-changed's components):
-- the section's title, its F: and X: patterns (one a line), and whether it names a maintainer (M:).
-- A scoped trailer ("Acked-by: ... # x86", "# xen/arch/x86/") counts only for the components its
-- scope names, by a word of their id or title or by a path their patterns cover (docs/mail.md).
-- Replaced with the maintainers by each newer policy; empty when the policy describes none, and
-- until the first policy-changed after this table was made: scopes then name components by the
-- words of their ids alone.
create table components (
    component   text    primary key,
    title       text,
    files       text    not null,
    excluded    text    not null,
    maintained  boolean not null
);
