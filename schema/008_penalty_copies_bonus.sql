-- 008 (the lead renumbers: 010): 奖罚通知单 as copies (联); the monthly bonus table.
--
-- 1. The copies of a 奖罚通知单 move from penalty_notices into copies (005), the
--    table every issued paper form lives in, so `kesu show`, `kesu copies` and
--    `kesu print` handle them like any other copy. Two columns are added:
--    entry_id (the ledger entry a notice is for; NULL for the copies of case
--    forms) and holder_kind ('dept', or 'person' for a copy held by the
--    penalised person; holder is then the staff login). Adding columns does not
--    rewrite the table, so a large data set migrates quickly.
--
--    Each notice is one issue round of its form on its case (form
--    'penalty_notice', rounds numbered per case in entry order), pointing at
--    the case action that booked the entry or, for a decision, at the case's
--    latest event at the time. Its snapshot keeps the entry's facts (`fields`);
--    the printable lines (`items`), the signature boxes and `issued` are
--    derived when printed, since the labels of the rules and the form live in
--    YAML, which SQL cannot read.
--    Names are today's (staff and dept tables): the old table kept none.
--
--    penalty_notices is dropped afterwards: every one of its columns is carried
--    over, two tables saying the same thing would drift apart, and the copy of
--    the database taken before migrating keeps the original. An entry without a
--    case (none are ever booked) would violate copies.case_id NOT NULL and stop
--    the migration rather than lose its notices.
ALTER TABLE copies ADD COLUMN entry_id INTEGER REFERENCES penalty_entries(id);
ALTER TABLE copies ADD COLUMN holder_kind TEXT NOT NULL DEFAULT 'dept';
CREATE INDEX copies_entry ON copies(entry_id) WHERE entry_id IS NOT NULL;

INSERT INTO copies(case_id, form, round, copy_no, holder, holder_name, purpose, event_id, issued_at,
                   issued_by, snapshot, entry_id, holder_kind)
SELECT e.case_id, 'penalty_notice',
       (SELECT COALESCE(MAX(c.round), 0) FROM copies c WHERE c.case_id = e.case_id AND c.form = 'penalty_notice')
         + DENSE_RANK() OVER (PARTITION BY e.case_id ORDER BY e.id),
       n.copy_no, n.holder,
       COALESCE(CASE n.holder_kind WHEN 'person' THEN (SELECT name FROM staff WHERE login = n.holder)
                                   ELSE (SELECT name FROM dept WHERE code = n.holder) END, n.holder),
       n.purpose,
       COALESCE(e.event_id,
                (SELECT ev.id FROM events ev WHERE ev.case_id = e.case_id AND ev.at <= e.at ORDER BY ev.seq DESC LIMIT 1),
                (SELECT ev.id FROM events ev WHERE ev.case_id = e.case_id ORDER BY ev.seq LIMIT 1)),
       n.issued_at, e.by,
       json_object('form', 'penalty_notice', 'title', '奖罚通知单', 'case', k.no, 'entry', e.id,
                   'fields', json_object('entry', e.id, 'case', k.no, 'login', e.login,
                                         'name', COALESCE(s.name, e.login), 'dept', COALESCE(s.dept, ''),
                                         'dept_name', COALESCE(d.name, s.dept, ''), 'month', e.month,
                                         'kind', e.kind, 'rule', e.rule, 'ref', e.ref, 'amount_fen', e.amount_fen,
                                         'capped', json(CASE WHEN e.capped THEN 'true' ELSE 'false' END),
                                         'reverses', e.reverses, 'appeal', e.appeal, 'note', e.note,
                                         'at', e.at, 'by', e.by)),
       e.id, n.holder_kind
FROM penalty_notices n
JOIN penalty_entries e ON e.id = n.entry_id
LEFT JOIN cases k ON k.id = e.case_id
LEFT JOIN staff s ON s.login = e.login
LEFT JOIN dept d ON d.code = s.dept
ORDER BY e.id, n.copy_no;

DROP TRIGGER penalty_notices_frozen_update;
DROP TRIGGER penalty_notices_frozen_delete;
DROP TABLE penalty_notices;

-- 2. The monthly bonus (月效益奖金) and 基点 per person, imported from payroll
--    (`kesu penalty bonus import`). Every import is kept: a month's figures are
--    those of the newest import that covers the month, and an import may cover
--    a month already imported only when asked to replace it (--replace). Rows
--    are never changed or deleted, so every earlier figure stays readable.
CREATE TABLE penalty_bonus_imports (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,                  -- UTC seconds
	by        TEXT NOT NULL,                     -- staff login
	file      TEXT NOT NULL,                     -- the file's name as given
	sha256    TEXT NOT NULL,                     -- of the file's bytes as read
	encoding  TEXT NOT NULL,
	months    TEXT NOT NULL,                     -- 'YYYY-MM[,YYYY-MM…]'
	rows      INTEGER NOT NULL,
	replaced  INTEGER NOT NULL                   -- 1: replaced a month imported before
);
CREATE TABLE penalty_bonus (
	import_id   INTEGER NOT NULL REFERENCES penalty_bonus_imports(id),
	line        INTEGER NOT NULL,                -- in the file
	login       TEXT NOT NULL,
	month       TEXT NOT NULL,
	bonus_fen   INTEGER NOT NULL CHECK (bonus_fen >= 0),
	base_points INTEGER NOT NULL CHECK (base_points >= 0),
	CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
	PRIMARY KEY (month, login, import_id)
);
CREATE TRIGGER penalty_bonus_imports_frozen_update BEFORE UPDATE ON penalty_bonus_imports
BEGIN
	SELECT RAISE(ABORT, 'bonus imports are never changed: import again with --replace');
END;
CREATE TRIGGER penalty_bonus_imports_frozen_delete BEFORE DELETE ON penalty_bonus_imports
BEGIN
	SELECT RAISE(ABORT, 'bonus imports are never deleted');
END;
CREATE TRIGGER penalty_bonus_frozen_update BEFORE UPDATE ON penalty_bonus
BEGIN
	SELECT RAISE(ABORT, 'bonus rows are never changed: import again with --replace');
END;
CREATE TRIGGER penalty_bonus_frozen_delete BEFORE DELETE ON penalty_bonus
BEGIN
	SELECT RAISE(ABORT, 'bonus rows are never deleted');
END;
