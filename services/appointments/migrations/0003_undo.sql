-- Undoing a mistaken check-in or no-show (UndoAppointmentStatus): the
-- state before it, and the last undo (who, when, why).
ALTER TABLE appointments.appointments
  ADD COLUMN prior_state smallint CHECK (prior_state IN (1, 2)),
  ADD COLUMN undo_state smallint CHECK (undo_state IN (3, 5)),
  ADD COLUMN undo_staff text NOT NULL DEFAULT '',
  ADD COLUMN undo_time timestamptz,
  ADD COLUMN undo_reason text NOT NULL DEFAULT ''
    CHECK (length(undo_reason) <= 500);
