-- Helper (prepended to scripts that need it): removes `id` from a `,a,b,`
-- list, with a plain find since ids may hold pattern characters.
local function without(list, id)
  local i = string.find(list, ',' .. id .. ',', 1, true)
  if not i then return list end
  return string.sub(list, 1, i) .. string.sub(list, i + #id + 2)
end
