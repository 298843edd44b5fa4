-- 015 (assigned 016; renumbered at merge): disposal of personal data after
-- retention (retention.yaml, kesu archive dispose).
--
-- A copy stays frozen, with one exception: disposal replaces its snapshot
-- with the marker {"_disposed":true}; nothing else of the row may change.
DROP TRIGGER IF EXISTS copies_frozen_update;
CREATE TRIGGER copies_frozen_update BEFORE UPDATE ON copies
WHEN NEW.snapshot IS NOT '{"_disposed":true}'
  OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.form IS NOT OLD.form
  OR NEW.round IS NOT OLD.round OR NEW.copy_no IS NOT OLD.copy_no OR NEW.holder IS NOT OLD.holder
  OR NEW.holder_name IS NOT OLD.holder_name OR NEW.purpose IS NOT OLD.purpose
  OR NEW.event_id IS NOT OLD.event_id OR NEW.issued_at IS NOT OLD.issued_at
  OR NEW.issued_by IS NOT OLD.issued_by OR NEW.entry_id IS NOT OLD.entry_id
  OR NEW.holder_kind IS NOT OLD.holder_kind
BEGIN
	SELECT RAISE(ABORT, 'copies are never changed once issued');
END;
