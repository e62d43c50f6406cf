-- Opens a room's log, creating its epoch if needed; lists the room with seq 0
-- like the SQLite store.
-- KEYS[1] epoch  KEYS[2] last seq  KEYS[3] rooms (hash room -> last seq)
-- ARGV[1] new epoch  ARGV[2] room
-- Returns {epoch, lastSeq}.
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('HSETNX', KEYS[3], ARGV[2], '0')
return {redis.call('GET', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
