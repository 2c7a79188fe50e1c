-- A bookmark given to groups stays theirs: when its last group is deleted it is shown to nobody
-- (until the admin gives it to everyone again), never to every user.
ALTER TABLE bookmarks ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE bookmarks SET restricted = TRUE WHERE id IN (SELECT bookmark_id FROM bookmark_groups);
