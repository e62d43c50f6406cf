-- Moves a read marker forward only [READ-1]; a marker of another epoch counts as 0.
-- KEYS[1] the room's read markers (hash identity -> '<seq> <epoch>')
-- ARGV[1] identity  ARGV[2] epoch  ARGV[3] seq
-- Returns 1 when the marker moved, else 0.
local marker = 0
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local space = string.find(current, ' ', 1, true)
  if string.sub(current, space + 1) == ARGV[2] then marker = tonumber(string.sub(current, 1, space - 1)) end
end
if tonumber(ARGV[3]) <= marker then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ' ' .. ARGV[2])
return 1
