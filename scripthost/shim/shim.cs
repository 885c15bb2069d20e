// Connector Lab script host shim: the part of the Power Platform gateway's
// custom-code surface a script.csx sees (ScriptBase, IScriptContext,
// ILogger), compiled together with the script and the host loop.
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.Extensions.Logging
{
    public enum LogLevel { Trace = 0, Debug = 1, Information = 2, Warning = 3, Error = 4, Critical = 5, None = 6 }

    public struct EventId
    {
        public EventId(int id, string name = null) { Id = id; Name = name; }
        public int Id { get; private set; }
        public string Name { get; private set; }
        public static implicit operator EventId(int i) { return new EventId(i); }
        public override string ToString() { return Name ?? Id.ToString(); }
    }

    public interface ILogger
    {
        void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter);
        bool IsEnabled(LogLevel logLevel);
        IDisposable BeginScope<TState>(TState state);
    }

    public static class LoggerExtensions
    {
        // Format replaces the message template's placeholders ({Name} or
        // {0}) with args in order, like Microsoft.Extensions.Logging.
        public static string Format(string message, object[] args)
        {
            if (message == null) return "";
            if (args == null || args.Length == 0) return message;
            var sb = new StringBuilder();
            int next = 0;
            for (int i = 0; i < message.Length; i++)
            {
                char ch = message[i];
                if (ch == '{' && i + 1 < message.Length && message[i + 1] == '{') { sb.Append('{'); i++; continue; }
                if (ch == '}' && i + 1 < message.Length && message[i + 1] == '}') { sb.Append('}'); i++; continue; }
                if (ch == '{')
                {
                    int end = message.IndexOf('}', i);
                    if (end > i)
                    {
                        sb.Append(next < args.Length ? Convert.ToString(args[next], System.Globalization.CultureInfo.InvariantCulture) : message.Substring(i, end - i + 1));
                        next++;
                        i = end;
                        continue;
                    }
                }
                sb.Append(ch);
            }
            return sb.ToString();
        }

        static void Write(ILogger logger, LogLevel level, EventId id, Exception ex, string message, object[] args)
        {
            if (logger == null) return;
            string text = Format(message, args);
            logger.Log<string>(level, id, text, ex, (s, e) => e == null ? s : s + ": " + e.Message);
        }

        public static void Log(this ILogger logger, LogLevel level, string message, params object[] args) { Write(logger, level, 0, null, message, args); }
        public static void Log(this ILogger logger, LogLevel level, EventId eventId, string message, params object[] args) { Write(logger, level, eventId, null, message, args); }
        public static void Log(this ILogger logger, LogLevel level, Exception exception, string message, params object[] args) { Write(logger, level, 0, exception, message, args); }
        public static void Log(this ILogger logger, LogLevel level, EventId eventId, Exception exception, string message, params object[] args) { Write(logger, level, eventId, exception, message, args); }

        public static void LogTrace(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Trace, 0, null, message, args); }
        public static void LogTrace(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Trace, 0, exception, message, args); }
        public static void LogTrace(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Trace, eventId, null, message, args); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Debug, 0, null, message, args); }
        public static void LogDebug(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Debug, 0, exception, message, args); }
        public static void LogDebug(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Debug, eventId, null, message, args); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Information, 0, null, message, args); }
        public static void LogInformation(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Information, 0, exception, message, args); }
        public static void LogInformation(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Information, eventId, null, message, args); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Warning, 0, null, message, args); }
        public static void LogWarning(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Warning, 0, exception, message, args); }
        public static void LogWarning(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Warning, eventId, null, message, args); }
        public static void LogError(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Error, 0, null, message, args); }
        public static void LogError(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Error, 0, exception, message, args); }
        public static void LogError(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Error, eventId, null, message, args); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Critical, 0, null, message, args); }
        public static void LogCritical(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Critical, 0, exception, message, args); }
        public static void LogCritical(this ILogger logger, EventId eventId, string message, params object[] args) { Write(logger, LogLevel.Critical, eventId, null, message, args); }
    }
}

// IScriptContext is what the gateway hands a script for one call.
public interface IScriptContext
{
    string CorrelationId { get; }
    string OperationId { get; }
    HttpRequestMessage Request { get; }
    // OriginalRequestUri is the request's URI before the script changed
    // it (not in the public docs; published scripts read it).
    Uri OriginalRequestUri { get; }
    // CreateNotificationUri makes a URL on the gateway that forwards to
    // this connector's relativePath (not in the public docs; DocuSign's
    // script uses it for webhooks). Here: relativePath on the request's
    // own host.
    Uri CreateNotificationUri(string relativePath);
    Microsoft.Extensions.Logging.ILogger Logger { get; }
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

// ScriptBase is the base class of the connector's Script class.
public abstract class ScriptBase
{
    public IScriptContext Context { get; set; }
    public CancellationToken CancellationToken { get; set; }

    public static StringContent CreateJsonContent(string serializedJson)
    {
        return new StringContent(serializedJson ?? "", Encoding.UTF8, "application/json");
    }

    public abstract Task<HttpResponseMessage> ExecuteAsync();
}

// The gateway's own namespace, which certified scripts import.
namespace Microsoft.PowerPlatform.Connectors.CustomCode.CSharp
{
    internal static class NamespaceMarker { }
}

// Members newer Newtonsoft.Json versions (the gateway's) have and the
// Debian package's does not: extension methods fill the gap.
public static class ConnectorLabNewtonsoftCompat
{
    public static bool ContainsKey(this Newtonsoft.Json.Linq.JObject o, string propertyName)
    {
        return o != null && o.Property(propertyName) != null;
    }
}
