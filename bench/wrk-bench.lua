-- wrk script for bench/run.sh. The mode comes from the environment (BENCH_MODE):
--   get         the URL as given (no per-request Lua)
--   put         PUT BENCH_FILE's bytes to <URL path><thread>-<n>.jpg: a new file each request (WebDAV, S3 PUT Object)
--   basic       POST a multipart upload form (fileName, file) with the header Authorization: BENCH_AUTHORIZATION
--   v1          POST a multipart upload form with client-side v1 credentials: one line of BENCH_TOKENS
--               ("token expire signature") per request, never one twice; the threads share the file out by line
-- done() prints one line: RESULT <requests/s> <p50 ms> <errors> (errors: non-2xx answers and socket errors).
local mode = os.getenv("BENCH_MODE") or "get"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local boundary = "----upfrontbench7MA4YWxkTrZu0gW"
local function field(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
local function file_part(bytes)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
    .. "Content-Type: image/jpeg\r\n\r\n" .. bytes .. "\r\n--" .. boundary .. "--\r\n"
end
local form_type = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }

if mode ~= "get" then
  local bytes, path, n, tokens, next_token
  function init(args)
    bytes = slurp(os.getenv("BENCH_FILE"))
    path = wrk.path
    n = 0
    if mode == "basic" then
      form_type["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
      wrk.body = field("fileName", "photo.jpg") .. file_part(bytes)
    elseif mode == "v1" then
      tokens = {}
      local line_no = 0
      for line in io.lines(os.getenv("BENCH_TOKENS")) do
        if line_no % tonumber(os.getenv("BENCH_THREADS")) == id then table.insert(tokens, line) end
        line_no = line_no + 1
      end
      next_token = 1
      public_key = os.getenv("BENCH_PUBLIC_KEY")
    end
  end

  function request()
    n = n + 1
    if mode == "put" then
      return wrk.format("PUT", path .. id .. "-" .. n .. ".jpg", nil, bytes)
    elseif mode == "basic" then
      return wrk.format("POST", path, form_type, wrk.body)
    else
      local line = tokens[next_token]
      if line == nil then
        -- Out of fresh credentials: stop this thread rather than send a replay.
        if wrk.thread then wrk.thread:stop() end
        line = tokens[#tokens]
      end
      next_token = next_token + 1
      local token, expire, signature = line:match("(%S+) (%S+) (%S+)")
      local body = field("fileName", "photo.jpg") .. field("publicKey", public_key) .. field("token", token)
        .. field("expire", expire) .. field("signature", signature) .. file_part(bytes)
      return wrk.format("POST", path, form_type, body)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT %.1f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, errors))
end
