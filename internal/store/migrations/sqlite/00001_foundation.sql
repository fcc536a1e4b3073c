-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- 行政区划: 省2位/市4位/县6位/乡镇9位, codes are prefixes of their children.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    parent_code TEXT,
    active      BOOLEAN NOT NULL DEFAULT TRUE -- FALSE: 撤销 (abolished)
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES units (id),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX units_region ON units (region_code);
CREATE INDEX units_kind ON units (kind, region_code);
CREATE UNIQUE INDEX units_name ON units (name) WHERE kind <> 'enterprise';

CREATE TABLE unit_aliases (
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    alias   TEXT NOT NULL,
    PRIMARY KEY (unit_id, alias)
);
CREATE INDEX unit_aliases_alias ON unit_aliases (alias);

-- 安委会 membership: 成员单位, 专业委员会, 办公室.
CREATE TABLE committee_members (
    committee_id INTEGER NOT NULL REFERENCES units (id),
    member_id    INTEGER NOT NULL REFERENCES units (id),
    role         TEXT NOT NULL,
    PRIMARY KEY (committee_id, member_id)
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    unit_id             INTEGER NOT NULL REFERENCES units (id),
    phone               TEXT NOT NULL DEFAULT '',
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    roles               TEXT NOT NULL DEFAULT '', -- comma-separated role names
    password_hash       TEXT NOT NULL DEFAULT '',
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);


CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);

-- Explicit grants: a unit may see an object outside its region subtree.
CREATE TABLE scope_grants (
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    object_kind TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, object_kind, object_id)
);

-- 三管三必须: the enterprises (units of kind enterprise) a department supervises.
CREATE TABLE supervisions (
    dept_id       INTEGER NOT NULL REFERENCES units (id),
    enterprise_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (dept_id, enterprise_id)
);
CREATE INDEX supervisions_enterprise ON supervisions (enterprise_id);

CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    unit_id     INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_region ON audit_events (region_code, seq);
CREATE INDEX audit_events_object ON audit_events (object_kind, object_id);

-- One row: the latest event's sequence number and hash. Updated in the same
-- transaction as every append, so deleting the newest events is detected.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE supervisions;
DROP TABLE scope_grants;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE committee_members;
DROP TABLE unit_aliases;
DROP TABLE units;
DROP TABLE regions;
DROP TABLE settings;
