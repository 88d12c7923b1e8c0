-- Inbox names are now derived: <application>.<channel> (notification-service.proposal-events), the channel's
-- consumer group too. Rows written under the former names (notification.proposal-events) keep counting:
-- an event applied before is still applied once.
update inbox set consumer = 'notification-service.' || substr(consumer, length('notification.') + 1)
    where consumer like 'notification.%';
update dead_letter_redrives set consumer = 'notification-service.' || substr(consumer, length('notification.') + 1)
    where consumer like 'notification.%';
