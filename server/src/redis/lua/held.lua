-- Helper (prepended to scripts that need it): whether a name hash still has
-- a holding node ('n:<node>' field); the rest ('s', 'i', 'd', 'b') describes the user.
local function held(nameKey)
  for _, field in ipairs(redis.call('HKEYS', nameKey)) do
    if string.sub(field, 1, 2) == 'n:' then return true end
  end
  return false
end
