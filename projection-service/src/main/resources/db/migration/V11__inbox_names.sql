-- Inbox names are now derived: <application>.<channel> (projection-service.proposal-events), the channel's
-- consumer group too. Rows written under the former names (projection.proposal-events) keep counting:
-- an event applied before is still applied once.
update inbox set consumer = 'projection-service.' || substr(consumer, length('projection.') + 1)
    where consumer like 'projection.%';
update dead_letter_redrives set consumer = 'projection-service.' || substr(consumer, length('projection.') + 1)
    where consumer like 'projection.%';
