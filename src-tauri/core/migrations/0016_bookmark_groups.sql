-- Who sees a bookmark in the portal: the members of these groups, or every user when it has none.
CREATE TABLE bookmark_groups (
    bookmark_id TEXT NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE,
    group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (bookmark_id, group_id)
);
