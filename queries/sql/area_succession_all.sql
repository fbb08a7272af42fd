-- The whole code-succession table (a few thousand rows), read once per database file (queries.succession).
SELECT change_id, kind, old_code, old_name, new_code, new_name, last_seen, first_seen FROM area_succession
ORDER BY first_seen DESC, change_id, old_code;
