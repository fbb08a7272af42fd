SELECT source_id, publisher, title, table_id, url, retrieved, licence, note FROM sources ORDER BY source_id;
