-- 0002: cases, subjects, decisions, assets and their legal life cycle.
SELECT 1;
