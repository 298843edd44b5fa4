-- 008 (planned as 014): a reminder level may be addressed to one person of
-- the case (limits.yaml `to: registrant | assignee | FIELD`): the reminder
-- records that person's login. NULL: addressed to the department (and role)
-- only, as before.
ALTER TABLE reminders ADD COLUMN login TEXT;
