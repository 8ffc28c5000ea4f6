-- Vietnamese sort order on both backends (issue 22). PGlite has no ICU, and a server's "vi-x-icu"
-- collation depends on how PostgreSQL was built; so lists sort by a key made in plain SQL, which orders
-- as ICU's Vietnamese collation does for names and titles (test/db/vietnamese-order.test.ts compares it
-- with Intl.Collator('vi') and, where the server has it, with COLLATE "vi-x-icu"):
--   primary:   the letters in the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư v x y), tones and
--              case ignored, each mapped to one character from U+0100 on, so that spaces, punctuation and
--              digits (below U+0100) come before letters, as ICU puts them;
--   secondary: the tone of each letter (none, huyền, hỏi, ngã, sắc, nặng), 0 for anything else;
--   tertiary:  lower case before upper case.
-- Compared byte by byte: ORDER BY vi_sort_key(x) COLLATE "C" (server/db/vietnamese.ts).
CREATE FUNCTION vi_sort_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT translate(value, 'aAàÀảẢãÃáÁạẠăĂằẰẳẲẵẴắẮặẶâÂầẦẩẨẫẪấẤậẬbBcCdDđĐeEèÈẻẺẽẼéÉẹẸêÊềỀểỂễỄếẾệỆfFgGhHiIìÌỉỈĩĨíÍịỊjJkKlLmMnNoOòÒỏỎõÕóÓọỌôÔồỒổỔỗỖốỐộỘơƠờỜởỞỡỠớỚợỢpPqQrRsStTuUùÙủỦũŨúÚụỤưƯừỪửỬữỮứỨựỰvVwWxXyYỳỲỷỶỹỸýÝỵỴzZ', 'ĀĀĀĀĀĀĀĀĀĀĀĀāāāāāāāāāāāāĂĂĂĂĂĂĂĂĂĂĂĂăăĄĄąąĆĆććććććććććććĈĈĈĈĈĈĈĈĈĈĈĈĉĉĊĊċċČČČČČČČČČČČČččĎĎďďĐĐđđĒĒĒĒĒĒĒĒĒĒĒĒēēēēēēēēēēēēĔĔĔĔĔĔĔĔĔĔĔĔĕĕĖĖėėĘĘęęĚĚĚĚĚĚĚĚĚĚĚĚěěěěěěěěěěěěĜĜĝĝĞĞğğğğğğğğğğğğĠĠ')
    || chr(1) || translate(regexp_replace(value, '[^aAàÀảẢãÃáÁạẠăĂằẰẳẲẵẴắẮặẶâÂầẦẩẨẫẪấẤậẬbBcCdDđĐeEèÈẻẺẽẼéÉẹẸêÊềỀểỂễỄếẾệỆfFgGhHiIìÌỉỈĩĨíÍịỊjJkKlLmMnNoOòÒỏỎõÕóÓọỌôÔồỒổỔỗỖốỐộỘơƠờỜởỞỡỠớỚợỢpPqQrRsStTuUùÙủỦũŨúÚụỤưƯừỪửỬữỮứỨựỰvVwWxXyYỳỲỷỶỹỸýÝỵỴzZ]', '0', 'g'), 'aAàÀảẢãÃáÁạẠăĂằẰẳẲẵẴắẮặẶâÂầẦẩẨẫẪấẤậẬbBcCdDđĐeEèÈẻẺẽẼéÉẹẸêÊềỀểỂễỄếẾệỆfFgGhHiIìÌỉỈĩĨíÍịỊjJkKlLmMnNoOòÒỏỎõÕóÓọỌôÔồỒổỔỗỖốỐộỘơƠờỜởỞỡỠớỚợỢpPqQrRsStTuUùÙủỦũŨúÚụỤưƯừỪửỬữỮứỨựỰvVwWxXyYỳỲỷỶỹỸýÝỵỴzZ', '001122334455001122334455001122334455000000000011223344550011223344550000000011223344550000000000001122334455001122334455001122334455000000000000112233445500112233445500000000112233445500')
    || chr(1) || translate(regexp_replace(value, '[^AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆFGHIÌỈĨÍỊJKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVWXYỲỶỸÝỴZ]', '0', 'g'), 'AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆFGHIÌỈĨÍỊJKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVWXYỲỶỸÝỴZ', '111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111')
$$;

-- The models list sorted by title ("Tên mô hình, A → Z") reads this index in order.
CREATE INDEX models_title_vi_idx ON models ((vi_sort_key(title) COLLATE "C"), id);
