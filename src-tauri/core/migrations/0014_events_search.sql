-- The Events page's text search (issue 9): every word must be in the detail, target, name,
-- application or error code, in any case. Scanning 100,000 events with LIKE over five columns took
-- longer than a filter change may; a trigram full-text index finds the events holding a word's
-- letters in order without reading the others. The query still checks each event it finds with the
-- same LIKE as before, so the index makes the search quicker and never changes what it finds.
--
-- search_text is the five fields on separate lines (a word has no whitespace, so it cannot match
-- across two fields). It is a virtual column: computed when read, never stored.
ALTER TABLE events ADD COLUMN search_text TEXT GENERATED ALWAYS AS (
    detail || char(10) || ifnull(target, '') || char(10) || name || char(10)
        || ifnull(app_name, '') || char(10) || ifnull(error_code, '')
) VIRTUAL;

-- An external-content index over events.search_text: it keeps no second copy of the text. The
-- triggers keep it in step with events: every event inserted is indexed, every event deleted (the
-- retention on start, or anything else) is taken out with the text it was indexed with. Plain
-- expressions only (no concat_ws): another SQLite that writes events, such as Python's sqlite3 in
-- tests/e2e/app/bench-events.js, runs these triggers too and needs 3.34 or later (trigram). A
-- later migration that rebuilds the events table must drop and recreate the triggers and run
-- 'rebuild' as below.
CREATE VIRTUAL TABLE events_search USING fts5(
    search_text,
    content = 'events',
    content_rowid = 'id',
    tokenize = 'trigram',
    columnsize = 0
);

CREATE TRIGGER events_search_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_search (events_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER events_search_update AFTER UPDATE ON events BEGIN
    INSERT INTO events_search (events_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO events_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- The events already recorded.
INSERT INTO events_search (events_search) VALUES ('rebuild');
