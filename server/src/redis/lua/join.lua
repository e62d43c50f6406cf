-- This node holds a user in a room (its first session here joined).
-- KEYS[1] room holders (hash userKey -> ',node,node,')
-- KEYS[2] room members (hash userKey -> name)
-- KEYS[3] room presence version
-- KEYS[4] node rooms (set of escaped room names)
-- KEYS[5] room bots (set of the userKeys of members that are bots)
-- ARGV[1] userKey  ARGV[2] name  ARGV[3] node id  ARGV[4] room channel  ARGV[5] escaped room
-- ARGV[6] '1' when the user is a bot [BOT-1]
-- Returns {version} when the user became a member, else {}.
local list = redis.call('HGET', KEYS[1], ARGV[1]) or ','
if not string.find(list, ',' .. ARGV[3] .. ',', 1, true) then
  redis.call('HSET', KEYS[1], ARGV[1], list .. ARGV[3] .. ',')
end
redis.call('SADD', KEYS[4], ARGV[5])
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return {} end
local bot = nil
if ARGV[6] == '1' then
  bot = '1'
  redis.call('SADD', KEYS[5], ARGV[1])
end
return {publishPresence(KEYS[3], ARGV[4], '1', ARGV[1], ARGV[2], bot)}
