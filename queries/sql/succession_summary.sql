-- Number of code changes joined across and left as breaks (area_succession).
SELECT count(DISTINCT change_id) FILTER (WHERE kind <> 'unresolved') AS joined,
       count(DISTINCT change_id) FILTER (WHERE kind = 'unresolved') AS unresolved
FROM area_succession;
