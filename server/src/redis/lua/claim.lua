-- Claims a name for this node [NAME-5], and records who holds it: the
-- identity, name and bot flag of the user's first session [DM-1, BOT-1].
-- Holders whose node died are dropped first, so a dead node's names free up.
-- KEYS[1] name (hash: 's' secret digest, 'i' identity, 'd' name, 'b' bot, 'n:<node>' per holding node)
-- KEYS[2] node names (set of name keys)
-- ARGV[1] secret digest ('' without a key)  ARGV[2] node id
-- ARGV[3], ARGV[4] liveness key of a node: ARGV[3] .. <node id> .. ARGV[4]
-- ARGV[5] identity  ARGV[6] name  ARGV[7] '1' for a bot
-- Returns {identity, name, bot} of the user holding the name when this node
-- may use it, {} when another user holds it.
local fields = redis.call('HGETALL', KEYS[1])
local secret, live = nil, false
for i = 1, #fields, 2 do
  local field = fields[i]
  if field == 's' then
    secret = fields[i + 1]
  elseif string.sub(field, 1, 2) == 'n:' then
    local node = string.sub(field, 3)
    if node == ARGV[2] or redis.call('EXISTS', ARGV[3] .. node .. ARGV[4]) == 1 then
      live = true
    else
      redis.call('HDEL', KEYS[1], field)
    end
  end
end
if live then
  if ARGV[1] == '' or secret ~= ARGV[1] then return {} end
else
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'i', ARGV[5], 'd', ARGV[6], 'b', ARGV[7])
end
redis.call('HSET', KEYS[1], 'n:' .. ARGV[2], '1')
redis.call('SADD', KEYS[2], KEYS[1])
local holder = redis.call('HMGET', KEYS[1], 'i', 'd', 'b')
return {holder[1] or ARGV[5], holder[2] or ARGV[6], holder[3] or ARGV[7]}
