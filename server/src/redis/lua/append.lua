-- Appends a message to a room's log, or finds its duplicate [MSG-3, MSG-5].
-- KEYS[1] epoch  KEYS[2] last seq  KEYS[3] last ts  KEYS[4] log (stream, IDs <seq>-0)
-- KEYS[5] dedupe (hash userKey\0clientId -> seq)  KEYS[6] rooms (hash room -> last seq)
-- ARGV[1] new epoch (used when the room has none)  ARGV[2] room  ARGV[3] userKey
-- ARGV[4] clientId  ARGV[5] from  ARGV[6] text
-- ARGV[7] messages kept per room, 0 to keep every one (PROTOCOL.md §12 Retention)
-- ARGV[8] expected epoch ('' when none: the room's log may be created)
-- ARGV[9] channel to publish the message on ('' for none)
-- Returns {duplicate (0|1), epoch, seq, ts, from, text, clientId}.
--
-- Idempotency after trimming: a client id is remembered exactly as long as
-- its message is in the log. When an append trims the oldest entries, it
-- deletes their dedupe fields, so the hash never points at a missing message.
local function fieldsOf(entry)
  local f = {}
  local flat = entry[2]
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end
local epoch = redis.call('GET', KEYS[1])
if ARGV[8] ~= '' and epoch ~= ARGV[8] then
  return redis.error_reply('EPOCHCHANGED the room log is gone or replaced')
end
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
end
local field = ARGV[3] .. '\0' .. ARGV[4]
local known = redis.call('HGET', KEYS[5], field)
if known then
  local entries = redis.call('XRANGE', KEYS[4], known .. '-0', known .. '-0')
  if #entries == 1 then
    local f = fieldsOf(entries[1])
    return {1, epoch, tonumber(known), tonumber(f['ts']), f['from'], f['text'], f['clientId']}
  end
  redis.call('HDEL', KEYS[5], field)
end
local maxlen = tonumber(ARGV[7])
local excess = 0
if maxlen > 0 then excess = redis.call('XLEN', KEYS[4]) + 1 - maxlen end
if excess > 0 then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[4], '-', '+', 'COUNT', excess)) do
    local f = fieldsOf(entry)
    if f['userKey'] and f['clientId'] then redis.call('HDEL', KEYS[5], f['userKey'] .. '\0' .. f['clientId']) end
  end
end
local seq = redis.call('INCR', KEYS[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ts = math.max(now, tonumber(redis.call('GET', KEYS[3]) or '0'))
local tsText = string.format('%.0f', ts)
local seqText = string.format('%.0f', seq)
redis.call('SET', KEYS[3], tsText)
if maxlen > 0 then
  redis.call('XADD', KEYS[4], 'MAXLEN', '=', maxlen, seqText .. '-0',
    'ts', tsText, 'from', ARGV[5], 'text', ARGV[6], 'clientId', ARGV[4], 'userKey', ARGV[3])
else
  redis.call('XADD', KEYS[4], seqText .. '-0',
    'ts', tsText, 'from', ARGV[5], 'text', ARGV[6], 'clientId', ARGV[4], 'userKey', ARGV[3])
end
redis.call('HSET', KEYS[5], field, seqText)
redis.call('HSET', KEYS[6], ARGV[2], seqText)
if ARGV[9] ~= '' then
  redis.call('PUBLISH', ARGV[9], cjson.encode({k = 'm', e = epoch, s = seqText, t = tsText,
    f = ARGV[5], x = ARGV[6], c = ARGV[4]}))
end
return {0, epoch, seq, ts, ARGV[5], ARGV[6], ARGV[4]}
