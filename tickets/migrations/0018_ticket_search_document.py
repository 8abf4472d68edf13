"""PostgreSQL only: one search document per ticket, kept by the database on every write.

The queue search used to look each way of matching up on its own (the thread entries'
GIN index, the subject's and the names' trigram indexes) and join their union to the
tickets: a word in most entries made that union hundreds of thousands of ids long, and the
search took seconds at 100,000 tickets and minutes at a million. One document per ticket
(its number, subject, requester, and every thread entry's text) is one condition the
planner can read either way: through its GIN index for a rare word, or along the queue's
own sort order, testing each ticket in turn, for a word most tickets have.

The document lives in its own table, not in the ticket's row: the queues read ticket rows
by the thousand and should not carry kilobytes of words each, and a ticket's many updates
should not copy it. Triggers keep it in step with whatever writes the tickets, their
entries and their requesters (services, the admin, a bulk import), as SQLite's FTS5
triggers do for its entry index (migration 0010). See tickets.search.
"""

from django.db import migrations

from helpdesk.migration_operations import PostgreSQLOnly

# The text of a ticket's thread in its document stops here: a tsvector holds at most 1 MB,
# and an enormous thread must not stop the entry that makes it so from being saved.
THREAD_TEXT_LIMIT = 300_000

# Words only (strip): the search matches words and ranks nothing, and a document without
# the words' positions is about a third smaller.
DOCUMENT = f"""
CREATE OR REPLACE FUNCTION tickets_search_requester(full_name text, email text)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT strip(
        to_tsvector('english',
            full_name || ' ' || email || ' ' || translate(email, '@.+_-', '     '))
        -- The start of each word of the name and address ("tay" of Taylor), as a word of its
        -- own: someone typing a name often stops halfway.
        || to_tsvector('simple', coalesce((
               SELECT string_agg(left(word, size), ' ')
               FROM regexp_split_to_table(lower(full_name || ' ' || email), '[^[:alnum:]]+')
                        AS word,
                    generate_series(2, length(word) - 1) AS size
           ), ''))
    )
$$;

CREATE OR REPLACE FUNCTION tickets_search_thread(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
    SELECT strip(to_tsvector('english', left(body, {THREAD_TEXT_LIMIT})))
$$;

CREATE OR REPLACE FUNCTION tickets_search_document(ticket bigint) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT strip(to_tsvector('english', t.number || ' ' || t.subject))
        || tickets_search_requester(u.full_name, u.email)
        || coalesce((
               SELECT tickets_search_thread(string_agg(e.body, ' ' ORDER BY e.id))
               FROM tickets_threadentry e WHERE e.ticket_id = t.id
           ), ''::tsvector)
    FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id
    WHERE t.id = ticket
$$;

CREATE OR REPLACE FUNCTION tickets_search_refresh(ticket bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tickets_ticket_search (ticket_id, document)
    SELECT ticket, tickets_search_document(ticket)
    WHERE EXISTS (SELECT 1 FROM tickets_ticket WHERE id = ticket)
    ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document;
EXCEPTION WHEN program_limit_exceeded THEN
    -- Too many words for one document: the ticket keeps the one it had; the write stands.
    RAISE WARNING 'ticket % search document not updated: %', ticket, SQLERRM;
END $$;
"""

TRIGGERS = f"""
CREATE TABLE IF NOT EXISTS tickets_ticket_search (
    ticket_id bigint PRIMARY KEY,
    document tsvector NOT NULL
);

CREATE OR REPLACE FUNCTION tickets_search_ticket_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM tickets_ticket_search WHERE ticket_id = OLD.id;
        RETURN NULL;
    END IF;
    PERFORM tickets_search_refresh(NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_search_tickets_emptied() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE tickets_ticket_search;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_search_entry_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The common case, made cheap: the new text is added to the document as it is.
        BEGIN
            UPDATE tickets_ticket_search
            SET document = document || tickets_search_thread(NEW.body)
            WHERE ticket_id = NEW.ticket_id;
            IF NOT FOUND THEN
                PERFORM tickets_search_refresh(NEW.ticket_id);
            END IF;
        EXCEPTION WHEN program_limit_exceeded THEN
            RAISE WARNING 'ticket % search document not updated: %', NEW.ticket_id, SQLERRM;
        END;
        RETURN NULL;
    END IF;
    PERFORM tickets_search_refresh(OLD.ticket_id);
    IF TG_OP = 'UPDATE' AND NEW.ticket_id <> OLD.ticket_id THEN
        PERFORM tickets_search_refresh(NEW.ticket_id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_search_requester_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tickets_search_refresh(id) FROM tickets_ticket WHERE requester_id = NEW.id;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tickets_search_insert ON tickets_ticket;
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_search_ticket_changed();
DROP TRIGGER IF EXISTS tickets_search_update ON tickets_ticket;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF number, subject, requester_id
    ON tickets_ticket FOR EACH ROW
    WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.subject IS DISTINCT FROM NEW.subject
          OR OLD.requester_id IS DISTINCT FROM NEW.requester_id)
    EXECUTE FUNCTION tickets_search_ticket_changed();
DROP TRIGGER IF EXISTS tickets_search_delete ON tickets_ticket;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_search_ticket_changed();
DROP TRIGGER IF EXISTS tickets_search_truncate ON tickets_ticket;
CREATE TRIGGER tickets_search_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_tickets_emptied();

DROP TRIGGER IF EXISTS tickets_search_entry_insert ON tickets_threadentry;
CREATE TRIGGER tickets_search_entry_insert AFTER INSERT ON tickets_threadentry
    FOR EACH ROW EXECUTE FUNCTION tickets_search_entry_changed();
DROP TRIGGER IF EXISTS tickets_search_entry_update ON tickets_threadentry;
CREATE TRIGGER tickets_search_entry_update AFTER UPDATE OF body, ticket_id
    ON tickets_threadentry FOR EACH ROW
    WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.ticket_id IS DISTINCT FROM NEW.ticket_id)
    EXECUTE FUNCTION tickets_search_entry_changed();
DROP TRIGGER IF EXISTS tickets_search_entry_delete ON tickets_threadentry;
CREATE TRIGGER tickets_search_entry_delete AFTER DELETE ON tickets_threadentry
    FOR EACH ROW EXECUTE FUNCTION tickets_search_entry_changed();

DROP TRIGGER IF EXISTS tickets_search_requester ON accounts_user;
CREATE TRIGGER tickets_search_requester AFTER UPDATE OF full_name, email
    ON accounts_user FOR EACH ROW
    WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION tickets_search_requester_changed();
"""

# Every ticket written before this migration, in one statement (bench/data.py runs it too,
# after loading its data set with the triggers off): each requester's words and each
# thread's text made once, joined, rather than a document made ticket by ticket.
FILL = """
INSERT INTO tickets_ticket_search (ticket_id, document)
SELECT t.id,
       strip(to_tsvector('english', t.number || ' ' || t.subject))
       || r.document || coalesce(e.document, ''::tsvector)
FROM tickets_ticket t
JOIN (
    SELECT id, tickets_search_requester(full_name, email) AS document FROM accounts_user
) r ON r.id = t.requester_id
LEFT JOIN (
    SELECT ticket_id, tickets_search_thread(string_agg(body, ' ' ORDER BY id)) AS document
    FROM tickets_threadentry GROUP BY ticket_id
) e ON e.ticket_id = t.id
ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document;
"""

# Made after the fill: one index build is much faster than a million index inserts.
# Statistics right away: the planner's choice between the index and the sort's own order
# rests on how many documents each word is in.
INDEX = """
CREATE INDEX IF NOT EXISTS ticket_search_document ON tickets_ticket_search USING gin (document);
ANALYZE tickets_ticket_search;
"""

UNDO = """
DROP TRIGGER IF EXISTS tickets_search_requester ON accounts_user;
DROP TRIGGER IF EXISTS tickets_search_entry_delete ON tickets_threadentry;
DROP TRIGGER IF EXISTS tickets_search_entry_update ON tickets_threadentry;
DROP TRIGGER IF EXISTS tickets_search_entry_insert ON tickets_threadentry;
DROP TRIGGER IF EXISTS tickets_search_truncate ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_search_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_search_update ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_search_insert ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_search_requester_changed();
DROP FUNCTION IF EXISTS tickets_search_entry_changed();
DROP FUNCTION IF EXISTS tickets_search_tickets_emptied();
DROP FUNCTION IF EXISTS tickets_search_ticket_changed();
DROP FUNCTION IF EXISTS tickets_search_refresh(bigint);
DROP FUNCTION IF EXISTS tickets_search_document(bigint);
DROP FUNCTION IF EXISTS tickets_search_thread(text);
DROP FUNCTION IF EXISTS tickets_search_requester(text, text);
DROP TABLE IF EXISTS tickets_ticket_search;
"""

# The thread entries' own index served the search before; nothing reads it now, and every
# new entry paid for it.
THREAD_INDEX = (
    'CREATE INDEX IF NOT EXISTS "thread_body_search" ON "tickets_threadentry" '
    "USING gin (to_tsvector('english'::regconfig, COALESCE(\"body\", '')))"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0017_report_indexes"),
    ]

    operations = [
        PostgreSQLOnly(DOCUMENT + TRIGGERS + FILL + INDEX, reverse_sql=UNDO),
        PostgreSQLOnly('DROP INDEX IF EXISTS "thread_body_search"', reverse_sql=THREAD_INDEX),
    ]
