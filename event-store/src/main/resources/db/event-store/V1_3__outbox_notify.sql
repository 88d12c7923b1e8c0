-- Each statement that adds outbox rows notifies 'pvl_outbox_<schema>'. PostgreSQL delivers a
-- notification only when its transaction commits, so a relay listening on the channel (every
-- instance of the service) looks at the outbox just after the rows became visible, instead of at
-- its next tick; a notification raised by a transaction that rolls back is never delivered.
create or replace function notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('pvl_outbox_' || current_schema(), '');
    return null;
end
$$;

create trigger outbox_notify after insert on outbox for each statement execute function notify_outbox();
