-- This node unloaded a room: it leaves the node's room set unless the node
-- still holds a user there (a leave still on its way), so a dead node's sweep
-- visits only rooms it held at its end.
-- KEYS[1] room holders (hash userKey -> ',node,node,')  KEYS[2] node rooms
-- ARGV[1] node id  ARGV[2] escaped room
-- Returns 1 when the room left the set, else 0.
local needle = ',' .. ARGV[1] .. ','
for _, list in ipairs(redis.call('HVALS', KEYS[1])) do
  if string.find(list, needle, 1, true) then return 0 end
end
redis.call('SREM', KEYS[2], ARGV[2])
return 1
