-- public.uuidv7() for PostgreSQL 15, which has neither a native uuidv7() (18+)
-- nor Debian's pg_uuidv7 extension. Tasker's first migration falls back to
-- `SELECT uuidv7()` when the extension is absent; this is that function.
-- Layout (RFC 9562): 48 bits of Unix time in milliseconds, the version nibble
-- 7, 12 random bits, the variant bits 10, then 62 random bits.
CREATE OR REPLACE FUNCTION public.uuidv7() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  millis bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  bytes bytea := uuid_send(gen_random_uuid());  -- 16 random bytes, core since PG 13
BEGIN
  -- Bytes 0..5: the timestamp, most significant byte first.
  FOR i IN 0..5 LOOP
    bytes := set_byte(bytes, i, ((millis >> ((5 - i) * 8)) & 255)::int);
  END LOOP;
  -- Byte 6: version 7 in the high nibble; byte 8: variant 10 in the top bits.
  bytes := set_byte(bytes, 6, (get_byte(bytes, 6) & 15) | 112);
  bytes := set_byte(bytes, 8, (get_byte(bytes, 8) & 63) | 128);
  RETURN encode(bytes, 'hex')::uuid;
END
$$;
