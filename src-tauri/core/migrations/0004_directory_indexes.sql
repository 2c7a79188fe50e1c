-- The users table's server-side paging (src/directory/query.rs): sorting, searching and filtering
-- 100,000 users in SQLite instead of in the window.

-- Each sortable column the table shows at first gets an index on (column, id) in the collation
-- the sort uses, so the first page of a sort is read from the index instead of sorting every
-- row. The email sort uses the unique index on email_key; the hidden columns sort on demand.
CREATE INDEX users_displayname_nocase ON users (displayname COLLATE NOCASE, id);
CREATE INDEX users_department_nocase ON users (department COLLATE NOCASE, id);
CREATE INDEX users_suspended ON users (suspended, id);

-- The global search: one text per user (the fields the search looks in, space-separated) in an
-- FTS5 trigram index, so `text LIKE '%term%'` for a term of 3+ characters reads the index (about
-- 1 ms at 100,000 users, against ~60 ms scanning `users`). detail=none: LIKE needs no positions.
-- Keyed by the users row's rowid; triggers keep it in sync. (A VACUUM may renumber the rowids
-- of a table without an INTEGER PRIMARY KEY: rebuild this table after one.)
CREATE VIRTUAL TABLE users_search USING fts5(text, tokenize = 'trigram', detail = 'none');
-- How many users contain each trigram: the query reads the index only for terms whose rarest
-- trigram is uncommon, and scans the narrow table for the others (faster for those).
CREATE VIRTUAL TABLE users_search_vocab USING fts5vocab(users_search, 'row');

INSERT INTO users_search (rowid, text)
SELECT rowid, email || ' ' || displayname || ' ' || firstname || ' ' || lastname || ' ' || department || ' ' || job_title || ' ' || company || ' ' || employee_identifier || ' ' || locality || ' ' || coalesce(federation_id, '')
FROM users;

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, text) VALUES (new.rowid,
        new.email || ' ' || new.displayname || ' ' || new.firstname || ' ' || new.lastname || ' ' || new.department || ' ' || new.job_title || ' ' || new.company || ' ' || new.employee_identifier || ' ' || new.locality || ' ' || coalesce(new.federation_id, ''));
END;

CREATE TRIGGER users_search_update AFTER UPDATE OF email, displayname, firstname, lastname, department, job_title, company, employee_identifier, locality, federation_id ON users BEGIN
    DELETE FROM users_search WHERE rowid = old.rowid;
    INSERT INTO users_search (rowid, text) VALUES (new.rowid,
        new.email || ' ' || new.displayname || ' ' || new.firstname || ' ' || new.lastname || ' ' || new.department || ' ' || new.job_title || ' ' || new.company || ' ' || new.employee_identifier || ' ' || new.locality || ' ' || coalesce(new.federation_id, ''));
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_search WHERE rowid = old.rowid;
END;
