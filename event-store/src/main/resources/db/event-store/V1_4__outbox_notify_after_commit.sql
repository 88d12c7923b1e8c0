-- The outbox no longer notifies from the writing transaction: PostgreSQL serializes the commits of
-- every transaction that notifies (in the whole database, through the flush to disk), so the six
-- services' commands committed one flush after another. The service wakes its relay after its own
-- commit and notifies the other instances outside the transaction (OutboxNotifications).
drop trigger if exists outbox_notify on outbox;
drop function if exists notify_outbox();
