-- This node no longer holds a user in a room.
-- KEYS[1] room holders  KEYS[2] room members  KEYS[3] room presence version  KEYS[4] room bots
-- ARGV[1] userKey  ARGV[2] node id  ARGV[3] room channel
-- Returns {version, name} when no node holds the user any more, else {}.
local list = redis.call('HGET', KEYS[1], ARGV[1])
if not list then return {} end
list = without(list, ARGV[2])
if list ~= ',' then
  redis.call('HSET', KEYS[1], ARGV[1], list)
  return {}
end
redis.call('HDEL', KEYS[1], ARGV[1])
local name = redis.call('HGET', KEYS[2], ARGV[1])
if not name then return {} end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return {publishPresence(KEYS[3], ARGV[3], '0', ARGV[1], name), name}
