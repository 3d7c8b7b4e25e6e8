-- What a patient allows the practice to send (notifications service).
ALTER TABLE patients.patients
  ADD COLUMN email_opt_out boolean NOT NULL DEFAULT false,
  ADD COLUMN reminders_opt_out boolean NOT NULL DEFAULT false;
