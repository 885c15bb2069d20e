// Connector Lab script host loop: reads length-prefixed JSON frames from
// stdin, runs Script.ExecuteAsync per "call" frame and writes frames to
// stdout. Context.SendAsync is a "send" frame answered by Go ("sent").
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ConnectorLab.ScriptHost
{
    public static class Program
    {
        static Stream output;
        static readonly object writeLock = new object();
        static readonly ConcurrentDictionary<string, TaskCompletionSource<JObject>> pending = new ConcurrentDictionary<string, TaskCompletionSource<JObject>>();
        static readonly ConcurrentDictionary<long, CancellationTokenSource> calls = new ConcurrentDictionary<long, CancellationTokenSource>();
        static long subSeq;
        internal static readonly AsyncLocal<long> CurrentCall = new AsyncLocal<long>();
        static Type scriptType;

        // FindScript picks the class deriving from ScriptBase: the one
        // named Script, otherwise the first (the gateway asks for
        // "Script", published connectors also ship "script").
        static Type FindScript()
        {
            Type found = null;
            foreach (var t in typeof(Program).Assembly.GetTypes())
            {
                if (t.IsAbstract || !typeof(ScriptBase).IsAssignableFrom(t)) continue;
                if (t.Name == "Script") return t;
                if (found == null) found = t;
            }
            return found;
        }

        public static int Main(string[] args)
        {
            output = Console.OpenStandardOutput();
            var input = Console.OpenStandardInput();
            // Console writes of the script become log lines, never frames.
            Console.SetOut(new LogWriter("Information"));
            Console.SetError(new LogWriter("Error"));
            Console.SetIn(TextReader.Null);
            scriptType = FindScript();
            if (scriptType == null) { Fatal("the script has no class deriving from ScriptBase"); return 3; }
            Write(new JObject { { "t", "ready" } });
            while (true)
            {
                JObject msg;
                try { msg = Read(input); }
                catch (Exception e) { Fatal("bad frame: " + e.Message); return 3; }
                if (msg == null) return 0;
                string t = (string)msg["t"];
                if (t == "call")
                {
                    var m = msg;
                    Task.Run(() => Call(m));
                }
                else if (t == "sent")
                {
                    TaskCompletionSource<JObject> tcs;
                    if (pending.TryRemove((string)msg["id"] + "/" + (string)msg["sub"], out tcs)) tcs.TrySetResult(msg);
                }
                else if (t == "cancel")
                {
                    CancellationTokenSource cts;
                    if (calls.TryGetValue((long)msg["id"], out cts)) cts.Cancel();
                }
            }
        }

        static JObject Read(Stream s)
        {
            var head = new byte[4];
            if (!ReadFull(s, head, 4)) return null;
            int n = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
            if (n < 0 || n > 256 << 20) throw new InvalidDataException("frame of " + n + " bytes");
            var buf = new byte[n];
            if (!ReadFull(s, buf, n)) throw new EndOfStreamException("truncated frame");
            return JObject.Parse(Encoding.UTF8.GetString(buf));
        }

        static bool ReadFull(Stream s, byte[] buf, int n)
        {
            int off = 0;
            while (off < n)
            {
                int k = s.Read(buf, off, n - off);
                if (k <= 0)
                {
                    if (off == 0) return false;
                    throw new EndOfStreamException("truncated frame");
                }
                off += k;
            }
            return true;
        }

        internal static void Write(JObject msg)
        {
            var body = Encoding.UTF8.GetBytes(msg.ToString(Newtonsoft.Json.Formatting.None));
            var head = new byte[] { (byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length };
            lock (writeLock)
            {
                output.Write(head, 0, 4);
                output.Write(body, 0, body.Length);
                output.Flush();
            }
        }

        static void Fatal(string message)
        {
            try { Write(new JObject { { "t", "fatal" }, { "error", message } }); } catch { }
        }

        internal static void Log(long id, string level, string message)
        {
            Write(new JObject { { "t", "log" }, { "id", id }, { "level", level }, { "msg", message } });
        }

        static async Task Call(JObject msg)
        {
            long id = (long)msg["id"];
            CurrentCall.Value = id;
            var cts = new CancellationTokenSource();
            calls[id] = cts;
            long ms = msg["timeoutMs"] != null ? (long)msg["timeoutMs"] : 5000;
            if (ms > 0) cts.CancelAfter(TimeSpan.FromMilliseconds(ms));
            var reply = new JObject { { "t", "done" }, { "id", id } };
            try
            {
                var ctx = new Context(id, (string)msg["op"], (string)msg["corr"], ToRequest((JObject)msg["req"]));
                var script = (ScriptBase)Activator.CreateInstance(scriptType);
                script.Context = ctx;
                script.CancellationToken = cts.Token;
                var resp = await script.ExecuteAsync().ConfigureAwait(false);
                if (resp == null) throw new InvalidOperationException("ExecuteAsync returned null instead of an HttpResponseMessage");
                reply["resp"] = await FromResponse(resp).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var inner = e;
                if (e is AggregateException && e.InnerException != null) inner = e.InnerException;
                reply["error"] = inner.Message;
                reply["type"] = inner.GetType().FullName;
                reply["stack"] = inner.StackTrace ?? "";
            }
            finally
            {
                CancellationTokenSource gone;
                calls.TryRemove(id, out gone);
                cts.Dispose();
            }
            Write(reply);
        }

        internal static async Task<HttpResponseMessage> Send(long id, HttpRequestMessage req, CancellationToken ct)
        {
            if (req == null) throw new ArgumentNullException("request");
            long sub = Interlocked.Increment(ref subSeq);
            var tcs = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            string key = id + "/" + sub;
            pending[key] = tcs;
            var frame = new JObject { { "t", "send" }, { "id", id }, { "sub", sub.ToString() }, { "req", await FromRequest(req).ConfigureAwait(false) } };
            Write(frame);
            JObject res;
            using (ct.Register(() => tcs.TrySetCanceled()))
            {
                try { res = await tcs.Task.ConfigureAwait(false); }
                finally { TaskCompletionSource<JObject> gone; pending.TryRemove(key, out gone); }
            }
            if (res["error"] != null) throw new HttpRequestException((string)res["error"]);
            var resp = ToResponse((JObject)res["resp"]);
            resp.RequestMessage = req;
            return resp;
        }

        static byte[] Bytes(JToken t)
        {
            if (t == null || t.Type == JTokenType.Null) return new byte[0];
            return Convert.FromBase64String((string)t);
        }

        static HttpRequestMessage ToRequest(JObject j)
        {
            var req = new HttpRequestMessage(new HttpMethod((string)j["method"]), new Uri((string)j["url"]));
            var body = Bytes(j["body"]);
            string m = req.Method.Method.ToUpperInvariant();
            bool content = body.Length > 0 || m == "POST" || m == "PUT" || m == "PATCH";
            var pairs = j["headers"] is JArray ? (JArray)j["headers"] : new JArray();
            foreach (JArray p in pairs)
            {
                if (p[0].ToString().StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) content = true;
            }
            if (content) req.Content = new ByteArrayContent(body);
            foreach (JArray p in pairs)
            {
                string k = (string)p[0], v = (string)p[1];
                if (!req.Headers.TryAddWithoutValidation(k, v) && req.Content != null) req.Content.Headers.TryAddWithoutValidation(k, v);
            }
            return req;
        }

        static HttpResponseMessage ToResponse(JObject j)
        {
            var resp = new HttpResponseMessage((HttpStatusCode)(int)j["status"]);
            if (j["reason"] != null && (string)j["reason"] != "") resp.ReasonPhrase = (string)j["reason"];
            var body = Bytes(j["body"]);
            resp.Content = new ByteArrayContent(body);
            foreach (JArray p in j["headers"] is JArray ? (JArray)j["headers"] : new JArray())
            {
                string k = (string)p[0], v = (string)p[1];
                if (!resp.Headers.TryAddWithoutValidation(k, v)) resp.Content.Headers.TryAddWithoutValidation(k, v);
            }
            return resp;
        }

        static JArray Headers(System.Net.Http.Headers.HttpHeaders a, System.Net.Http.Headers.HttpHeaders b)
        {
            var arr = new JArray();
            foreach (var h in new[] { a, b })
            {
                if (h == null) continue;
                foreach (var kv in h)
                {
                    foreach (var v in kv.Value) arr.Add(new JArray(kv.Key, v));
                }
            }
            return arr;
        }

        static async Task<JObject> FromRequest(HttpRequestMessage req)
        {
            byte[] body = req.Content != null ? await req.Content.ReadAsByteArrayAsync().ConfigureAwait(false) : new byte[0];
            return new JObject {
                { "method", req.Method.Method },
                { "url", req.RequestUri == null ? "" : req.RequestUri.IsAbsoluteUri ? req.RequestUri.AbsoluteUri : req.RequestUri.OriginalString },
                { "headers", Headers(req.Headers, req.Content != null ? req.Content.Headers : null) },
                { "body", Convert.ToBase64String(body) },
            };
        }

        static async Task<JObject> FromResponse(HttpResponseMessage resp)
        {
            byte[] body = resp.Content != null ? await resp.Content.ReadAsByteArrayAsync().ConfigureAwait(false) : new byte[0];
            return new JObject {
                { "status", (int)resp.StatusCode },
                { "reason", resp.ReasonPhrase ?? "" },
                { "headers", Headers(resp.Headers, resp.Content != null ? resp.Content.Headers : null) },
                { "body", Convert.ToBase64String(body) },
            };
        }
    }

    sealed class Context : IScriptContext
    {
        readonly long id;
        public Context(long id, string op, string corr, HttpRequestMessage req)
        {
            this.id = id;
            OperationId = op ?? "";
            CorrelationId = corr ?? "";
            Request = req;
            OriginalRequestUri = req.RequestUri;
            Logger = new FrameLogger(id);
        }
        public string CorrelationId { get; private set; }
        public string OperationId { get; private set; }
        public HttpRequestMessage Request { get; private set; }
        public Uri OriginalRequestUri { get; private set; }
        public ILogger Logger { get; private set; }
        public Uri CreateNotificationUri(string relativePath)
        {
            var root = new Uri(OriginalRequestUri.GetLeftPart(UriPartial.Authority));
            return new Uri(root, relativePath ?? "");
        }
        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            return Program.Send(id, request, cancellationToken);
        }
    }

    sealed class FrameLogger : ILogger
    {
        readonly long id;
        public FrameLogger(long id) { this.id = id; }
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
        {
            if (logLevel == LogLevel.None) return;
            string text = formatter != null ? formatter(state, exception) : Convert.ToString(state);
            Program.Log(id, logLevel.ToString(), text);
        }
        public bool IsEnabled(LogLevel logLevel) { return logLevel != LogLevel.None; }
        public IDisposable BeginScope<TState>(TState state) { return new Scope(); }
        sealed class Scope : IDisposable { public void Dispose() { } }
    }

    sealed class LogWriter : TextWriter
    {
        readonly string level;
        readonly StringBuilder line = new StringBuilder();
        public LogWriter(string level) { this.level = level; }
        public override Encoding Encoding { get { return Encoding.UTF8; } }
        public override void Write(char value)
        {
            lock (line)
            {
                if (value == '\n') { Flush(); return; }
                if (value != '\r') line.Append(value);
            }
        }
        public override void Flush()
        {
            lock (line)
            {
                if (line.Length == 0) return;
                Program.Log(Program.CurrentCall.Value, level, line.ToString());
                line.Clear();
            }
        }
    }
}
