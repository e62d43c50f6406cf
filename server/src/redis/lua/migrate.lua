-- Moves the oldest messages of a room's log kept by an older store (a
-- stream of messages, IDs <seq>-0) into the room's entries, up to ARGV[1]
-- per call so Redis serves other clients in between; the stream is deleted
-- once empty. Their client ids stay in the dedupe hash as they were.
-- KEYS[1] old log (stream)  KEYS[2] entries (hash seq -> JSON row)
-- KEYS[3] messages (sorted set)  KEYS[4] visible (sorted set)  KEYS[5] first (lowest seq kept)
-- ARGV[1] messages per call  ARGV[2] the identity of authors before identities existed
-- Returns the messages left in the old log.
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))) do
  local id = entry[1]
  local seq = string.sub(id, 1, string.find(id, '-', 1, true) - 1)
  local f = {}
  local flat = entry[2]
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  local row = cjson.encode({seq = tonumber(seq), ts = tonumber(f['ts']), from = f['from'] or '',
    clientId = f['clientId'] or '', text = f['text'] or '', userKey = f['userKey'] or '',
    identity = ARGV[2], bot = false, deleted = false})
  if redis.call('HSETNX', KEYS[2], seq, row) == 1 then
    redis.call('ZADD', KEYS[3], tonumber(seq), seq)
    redis.call('ZADD', KEYS[4], tonumber(seq), seq)
  end
  redis.call('SET', KEYS[5], seq, 'NX')
  redis.call('XDEL', KEYS[1], id)
end
local left = redis.call('XLEN', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[1]) end
return left
