/**
 * Lua scripts of the Redis file index. They live here as strings, not in
 * `redis/lua/` (which the build copies), because the file module is
 * self-contained. Every script takes the index's key prefix as ARGV[1] and
 * builds its key names from it (layout in redis.ts); no KEYS.
 *
 * @module
 */

/** ARGV: prefix, slot, slotExpires, leaseUntil, now → {'started'} | {'busy'} | {'done', fileId}. */
export const BEGIN_UPLOAD = `
local p = ARGV[1]
local slotKey = p .. 'slot:' .. ARGV[2]
local s = redis.call('HMGET', slotKey, 'fileId', 'lease')
if s[1] then
  if redis.call('EXISTS', p .. 'file:' .. s[1]) == 1 then return {'done', s[1]} end
  return {'busy'}
end
if s[2] and tonumber(s[2]) > tonumber(ARGV[5]) then return {'busy'} end
redis.call('HSET', slotKey, 'lease', ARGV[4])
redis.call('PEXPIREAT', slotKey, ARGV[3])
return {'started'}
`;

/** ARGV: prefix, hash, now → the blob's JSON when it is live (and marks it used), else nil. */
export const TOUCH_BLOB = `
local p = ARGV[1]
local blobKey = p .. 'blob:' .. ARGV[2]
local b = redis.call('HMGET', blobKey, 'json', 'deleting')
if not b[1] or b[2] == '1' then return false end
redis.call('HSET', blobKey, 'lastUsed', ARGV[3])
redis.call('ZADD', p .. 'idle', 'XX', ARGV[3], ARGV[2])
return b[1]
`;

/**
 * ARGV: prefix, fileId, slot, hash, gen, size, ownerEscaped, owner, room, createdAt, fileJson,
 * blobJson, newBlob (1|0), quota, now, slotExpires
 * → {'stored'} | {'done', fileId} | {'blobGone'} | {'blobExists', blobJson} | {'quota', usage}.
 */
export const COMMIT = `
local p = ARGV[1]
local slotKey = p .. 'slot:' .. ARGV[3]
local doneId = redis.call('HGET', slotKey, 'fileId')
if doneId and redis.call('EXISTS', p .. 'file:' .. doneId) == 1 then return {'done', doneId} end
local blobKey = p .. 'blob:' .. ARGV[4]
local blob = redis.call('HMGET', blobKey, 'gen', 'deleting', 'json')
local live = blob[1] and blob[2] ~= '1'
if ARGV[13] == '0' then
  if not live or blob[1] ~= ARGV[5] then return {'blobGone'} end
elseif live then
  return {'blobExists', blob[3]}
end
local usageKey = p .. 'usage:' .. ARGV[7]
local usage = tonumber(redis.call('GET', usageKey) or '0')
if usage + tonumber(ARGV[6]) > tonumber(ARGV[14]) then return {'quota', tostring(usage)} end
if ARGV[13] == '1' then
  redis.call('HSET', blobKey, 'gen', ARGV[5], 'deleting', '0', 'json', ARGV[12], 'lastUsed', ARGV[15])
else
  redis.call('HSET', blobKey, 'lastUsed', ARGV[15])
end
redis.call('ZREM', p .. 'idle', ARGV[4])
redis.call('SADD', p .. 'blobfiles:' .. ARGV[4], ARGV[2])
redis.call('HSET', p .. 'file:' .. ARGV[2], 'json', ARGV[11], 'owner', ARGV[8], 'ownerEsc', ARGV[7],
  'room', ARGV[9], 'hash', ARGV[4], 'size', ARGV[6])
redis.call('INCRBY', usageKey, ARGV[6])
redis.call('ZADD', p .. 'unattached', ARGV[10], ARGV[2])
redis.call('HDEL', slotKey, 'lease')
redis.call('HSET', slotKey, 'fileId', ARGV[2])
redis.call('PEXPIREAT', slotKey, ARGV[16])
return {'stored'}
`;

/**
 * ARGV: prefix, owner, room, ref, refEscaped, fileId… →
 * {'ok', json1, json2…} | {'invalid', fileId, why}.
 */
export const ATTACH = `
local p = ARGV[1]
local seen = {}
local jsons = {'ok'}
for i = 6, #ARGV do
  local id = ARGV[i]
  if seen[id] then return {'invalid', id, 'the file is listed twice'} end
  seen[id] = true
  local f = redis.call('HMGET', p .. 'file:' .. id, 'owner', 'room', 'releasedAt', 'ref', 'json')
  if not f[1] or f[1] ~= ARGV[2] then return {'invalid', id, 'unknown file'} end
  if f[2] ~= ARGV[3] then return {'invalid', id, 'the file was uploaded for another room'} end
  if f[3] then return {'invalid', id, 'the file was deleted'} end
  if f[4] and f[4] ~= ARGV[4] then return {'invalid', id, 'the file is attached to another message'} end
  jsons[#jsons + 1] = f[5]
end
for i = 6, #ARGV do
  redis.call('HSET', p .. 'file:' .. ARGV[i], 'ref', ARGV[4], 'refEsc', ARGV[5])
  redis.call('ZREM', p .. 'unattached', ARGV[i])
  redis.call('SADD', p .. 'ref:' .. ARGV[5], ARGV[i])
end
return jsons
`;

/** ARGV: prefix, refEscaped, now → how many files were released. */
export const RELEASE = `
local p = ARGV[1]
local refKey = p .. 'ref:' .. ARGV[2]
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', refKey)) do
  local fileKey = p .. 'file:' .. id
  if redis.call('EXISTS', fileKey) == 1 and redis.call('HSETNX', fileKey, 'releasedAt', ARGV[3]) == 1 then
    redis.call('ZADD', p .. 'released', ARGV[3], id)
    n = n + 1
  end
end
redis.call('DEL', refKey)
return n
`;

/**
 * ARGV: prefix, unattachedBefore, releasedBefore, limit →
 * {json, ref, releasedAt, …} per deleted file ('' for absent fields).
 */
export const TAKE_EXPIRED = `
local p = ARGV[1]
local limit = tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', p .. 'released', '-inf', ARGV[3], 'LIMIT', 0, limit)
if #ids < limit then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'unattached', '-inf', ARGV[2], 'LIMIT', 0, limit - #ids)) do
    ids[#ids + 1] = id
  end
end
local out = {}
for _, id in ipairs(ids) do
  local fileKey = p .. 'file:' .. id
  local f = redis.call('HMGET', fileKey, 'json', 'ref', 'releasedAt', 'hash', 'size', 'ownerEsc', 'refEsc')
  redis.call('ZREM', p .. 'released', id)
  redis.call('ZREM', p .. 'unattached', id)
  if f[1] then
    redis.call('DEL', fileKey)
    if f[7] then redis.call('SREM', p .. 'ref:' .. f[7], id) end
    local filesKey = p .. 'blobfiles:' .. f[4]
    redis.call('SREM', filesKey, id)
    if redis.call('SCARD', filesKey) == 0 then
      local lastUsed = redis.call('HGET', p .. 'blob:' .. f[4], 'lastUsed')
      if lastUsed then redis.call('ZADD', p .. 'idle', lastUsed, f[4]) end
    end
    redis.call('DECRBY', p .. 'usage:' .. f[6], f[5])
    out[#out + 1] = f[1]
    out[#out + 1] = f[2] or ''
    out[#out + 1] = f[3] or ''
  end
end
return out
`;

/** ARGV: prefix, before, limit → JSON of each blob taken (marked deleting). */
export const TAKE_ORPHANS = `
local p = ARGV[1]
local out = {}
for _, hash in ipairs(redis.call('ZRANGEBYSCORE', p .. 'idle', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  redis.call('ZREM', p .. 'idle', hash)
  local blobKey = p .. 'blob:' .. hash
  local b = redis.call('HMGET', blobKey, 'json', 'deleting')
  if b[1] and b[2] ~= '1' and redis.call('SCARD', p .. 'blobfiles:' .. hash) == 0 then
    redis.call('HSET', blobKey, 'deleting', '1')
    out[#out + 1] = b[1]
  end
end
return out
`;

/** ARGV: prefix, hash, gen → 1 when the taken blob was forgotten. */
export const DROP_BLOB = `
local blobKey = ARGV[1] .. 'blob:' .. ARGV[2]
local b = redis.call('HMGET', blobKey, 'gen', 'deleting')
if b[1] == ARGV[3] and b[2] == '1' then return redis.call('DEL', blobKey) end
return 0
`;

/**
 * ARGV: prefix, escaped userKey, per second, burst, now → 0, or the ms until a
 * slot is available: one token bucket per user for every node [LIMIT-9],
 * forgotten once it would be full again.
 */
export const TAKE_SLOT = `
local key = ARGV[1] .. 'rate:' .. ARGV[2]
local rate, burst, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local b = redis.call('HMGET', key, 't', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
end
redis.call('HSET', key, 't', tostring(tokens), 'at', ARGV[5])
redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
return wait
`;
