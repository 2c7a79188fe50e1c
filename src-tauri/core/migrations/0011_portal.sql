-- The user portal: whether an application shows a tile there and its image, and bookmarks
-- (a named link shown in the portal, with no single sign-on). Images are PNG or JPEG bytes of at
-- most 1 MB; an SVG was rasterized to PNG when chosen and is never kept as given.
CREATE TABLE app_portal (
    app_id         TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    show_in_portal BOOLEAN NOT NULL DEFAULT FALSE,
    image_type     TEXT CHECK (image_type IN ('image/png', 'image/jpeg')),
    image          BLOB,
    updated_at     TEXT NOT NULL
);

CREATE TABLE bookmarks (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL,
    url            TEXT NOT NULL,
    show_in_portal BOOLEAN NOT NULL DEFAULT TRUE,
    image_type     TEXT CHECK (image_type IN ('image/png', 'image/jpeg')),
    image          BLOB,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
