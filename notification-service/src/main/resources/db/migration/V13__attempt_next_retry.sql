-- Each attempt keeps when the next one was planned for (null after the last one).
alter table delivery_attempts add column next_attempt_at timestamptz;
