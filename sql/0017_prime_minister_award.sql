-- The national level's award: the Prime Minister's certificate of merit, for the centre's rounds
-- (their decision symbol, e.g. QĐ-TTg, is typed with the round). After the provincial Bằng khen,
-- which stays first, and the Giấy khen. An administrator may already have added it.
INSERT INTO award_kinds (code, name, name_en, template, sort_order) VALUES
  ('bang_khen_thu_tuong', 'Bằng khen của Thủ tướng Chính phủ', 'Certificate of merit of the Prime Minister', 'bang_khen', 3)
ON CONFLICT (code) DO NOTHING;
