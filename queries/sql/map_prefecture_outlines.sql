-- Prefecture outlines for the maps' basemap, simplified once by the build (loaders.boundaries.prefecture_outlines):
-- level 'prefecture' (whole-Japan maps) and 'prefecture_fine' (neighbours around a prefecture), geojson Polygon.
SELECT area_code, level, geojson FROM boundaries
WHERE level IN ('prefecture', 'prefecture_fine')
ORDER BY level, area_code;
