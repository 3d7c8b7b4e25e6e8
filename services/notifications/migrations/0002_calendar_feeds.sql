-- Therapists' calendar feeds (NotificationService.CreateCalendarFeed): one
-- per therapist; only the SHA-256 of the URL's token is kept, and making a
-- new one replaces (revokes) the old.
CREATE TABLE notifications.calendar_feeds (
  therapist text PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now(),
  last_read_time timestamptz
);
