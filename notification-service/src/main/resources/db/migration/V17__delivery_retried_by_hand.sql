-- A dead delivery can be retried by hand (POST /deliveries/{id}/retry): it is pending again with a new series
-- of attempts, numbered after the earlier ones, which stay in its log. The retry policy (the backoff, the
-- number of attempts before it is dead) counts only the attempts after earlier_attempts.
alter table deliveries add column earlier_attempts int not null default 0;
