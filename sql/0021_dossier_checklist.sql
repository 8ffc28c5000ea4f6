-- The dossier checklist of each award kind (Law on Emulation and Commendation 2022, art. 84): the
-- documents a nomination must carry before it is submitted. A Bằng khen needs the proposal (tờ
-- trình), the minutes of the committee that considered it (biên bản) and the achievement report (báo
-- cáo thành tích); a Giấy khen, decided by the unit's own head, the proposal and the report. An
-- administrator may change a kind's list; a forwarded nomination carries the lower body's files.
ALTER TABLE award_kinds
  ADD COLUMN required_files text[] NOT NULL DEFAULT '{}'
    CHECK (required_files <@ ARRAY['proposal', 'minutes', 'achievement_report', 'other']::text[]);

UPDATE award_kinds SET required_files = ARRAY['proposal', 'minutes', 'achievement_report'] WHERE code IN ('bang_khen_chu_tich_ubnd_tinh', 'bang_khen_thu_tuong');
UPDATE award_kinds SET required_files = ARRAY['proposal', 'achievement_report'] WHERE code = 'giay_khen';
