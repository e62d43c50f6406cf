-- Claims a name for this node [NAME-5]. Holders whose node died are dropped
-- first, so a dead node's names free up.
-- KEYS[1] name (hash: 's' secret digest, 'n:<node>' per holding node)
-- KEYS[2] node names (set of name keys)
-- ARGV[1] secret digest ('' without a key)  ARGV[2] node id
-- ARGV[3], ARGV[4] liveness key of a node: ARGV[3] .. <node id> .. ARGV[4]
-- Returns 1 when this node may use the name, 0 when it is taken.
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
  if ARGV[1] == '' or secret ~= ARGV[1] then return 0 end
else
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 's', ARGV[1])
end
redis.call('HSET', KEYS[1], 'n:' .. ARGV[2], '1')
redis.call('SADD', KEYS[2], KEYS[1])
return 1
