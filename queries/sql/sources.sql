-- Every column: publisher_en and title_en are missing from a database built before they were added.
SELECT * FROM sources ORDER BY source_id;
