-- Commits one entry of a room's log, or finds its duplicate [MSG-3, MSG-5, LOG-3].
-- The store computed the entry and the rows it changes from rows it read
-- (store/redis.ts, with the rules of store/fold.ts); this script commits
-- them only if those rows are still as read (compare-and-set), else the
-- store reads again and retries. Idempotency, the seq and the ts are
-- decided here, atomically with the commit.
-- KEYS[1] epoch  KEYS[2] last seq  KEYS[3] last ts  KEYS[4] entries (hash seq -> JSON row)
-- KEYS[5] dedupe (hash userKey\0clientId -> seq)  KEYS[6] rooms (hash room -> last seq)
-- KEYS[7] messages (sorted set of message seqs)  KEYS[8] visible (sorted set of messages not deleted)
-- KEYS[9] first (the lowest seq kept)
-- ARGV[1] new epoch (used when the room has none)  ARGV[2] room  ARGV[3] userKey\0clientId
-- ARGV[4] expected epoch ('' when none: the room's log may be created)
-- ARGV[5] entries kept per room, 0 to keep every one (PROTOCOL.md §12 Retention)
-- ARGV[6] channel to publish the entry's record on ('' for none)
-- ARGV[7] the entry's row, a template: byte \1 stands for its seq, \2 for its ts
-- ARGV[8] the entry's record as members receive it, a template (\3 the epoch)
-- ARGV[9] '1' when the entry is a message  ARGV[10] seq of the message it deletes ('' none)
-- ARGV[11..] triples: seq of a row, the JSON it was read as ('' not checked),
--   its new JSON as a template ('' unchanged)
-- Returns {0, epoch, seq, ts} once committed; {1, epoch, seq, row} for a
-- duplicate; {2} when a row changed since it was read.
--
-- Idempotency after trimming: a client id is remembered exactly as long as
-- its entry is kept; trimming an entry deletes its dedupe field and indexes.
local epoch = redis.call('GET', KEYS[1])
if ARGV[4] ~= '' and epoch ~= ARGV[4] then
  return redis.error_reply('EPOCHCHANGED the room log is gone or replaced')
end
local known = redis.call('HGET', KEYS[5], ARGV[3])
if known then
  local row = redis.call('HGET', KEYS[4], known)
  if row then return {1, epoch, tonumber(known), row} end
  redis.call('HDEL', KEYS[5], ARGV[3])
end
for i = 11, #ARGV, 3 do
  if ARGV[i + 1] ~= '' and redis.call('HGET', KEYS[4], ARGV[i]) ~= ARGV[i + 1] then return {2} end
end
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
end
local seq = redis.call('INCR', KEYS[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ts = math.max(now, tonumber(redis.call('GET', KEYS[3]) or '0'))
local seqText = string.format('%.0f', seq)
local tsText = string.format('%.0f', ts)
local function fill(template)
  return (string.gsub(string.gsub(string.gsub(template, '\1', seqText), '\2', tsText), '\3', epoch))
end
redis.call('SET', KEYS[3], tsText)
redis.call('HSET', KEYS[4], seqText, fill(ARGV[7]))
for i = 11, #ARGV, 3 do
  if ARGV[i + 2] ~= '' then redis.call('HSET', KEYS[4], ARGV[i], fill(ARGV[i + 2])) end
end
-- Trimmed after the writes: a row this entry changed may itself be the oldest.
local maxlen = tonumber(ARGV[5])
if maxlen > 0 then
  local first = tonumber(redis.call('GET', KEYS[9]) or '1')
  while redis.call('HLEN', KEYS[4]) > maxlen do
    local oldest = string.format('%.0f', first)
    local row = redis.call('HGET', KEYS[4], oldest)
    if row then
      local f = cjson.decode(row)
      redis.call('HDEL', KEYS[5], f['userKey'] .. '\0' .. f['clientId'])
      redis.call('HDEL', KEYS[4], oldest)
      redis.call('ZREM', KEYS[7], oldest)
      redis.call('ZREM', KEYS[8], oldest)
    end
    first = first + 1
  end
  redis.call('SET', KEYS[9], string.format('%.0f', first))
end
if ARGV[9] == '1' then
  redis.call('ZADD', KEYS[7], seq, seqText)
  redis.call('ZADD', KEYS[8], seq, seqText)
end
if ARGV[10] ~= '' then redis.call('ZREM', KEYS[8], ARGV[10]) end
redis.call('HSET', KEYS[5], ARGV[3], seqText)
redis.call('HSET', KEYS[6], ARGV[2], seqText)
if ARGV[6] ~= '' then
  redis.call('PUBLISH', ARGV[6], '{"k":"m","e":' .. cjson.encode(epoch) .. ',"r":' .. fill(ARGV[8]) .. '}')
end
return {0, epoch, seq, ts}
