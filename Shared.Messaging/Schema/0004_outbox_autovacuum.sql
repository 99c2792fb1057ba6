-- The outbox is a queue table: every row is updated once and deleted later.
-- Vacuum it early so the pending index stays lean. (A script of its own: 0001 has run in existing databases.)
alter table outbox set (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.05
);
