using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime.Diagnostics;

/// <summary>The runtime's log events. Messages carry methods, paths and counts; never a header, a body or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Debug, Message = "{Api} {Method} {Path} answered {Status} in {ElapsedMs:0.0} ms (attempt {Attempt})")]
    public static partial void Request(ILogger logger, string api, string method, string path, int status, double elapsedMs, int attempt);

    [LoggerMessage(EventId = 2, EventName = "Retry", Level = LogLevel.Warning, Message = "{Api} {Method} {Path} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    public static partial void Retry(ILogger logger, string api, string method, string path, string reason, int retry, int maxRetries, double delayMs);

    [LoggerMessage(EventId = 3, EventName = "Throttled", Level = LogLevel.Warning, Message = "{Api} {Method} {Path} was throttled (429); Retry-After {RetryAfterMs} ms")]
    public static partial void Throttled(ILogger logger, string api, string method, string path, double? retryAfterMs);

    [LoggerMessage(EventId = 4, EventName = "Page", Level = LogLevel.Debug, Message = "{Api} {Operation} returned a page of {Count} items")]
    public static partial void Page(ILogger logger, string api, string operation, int count);

    [LoggerMessage(EventId = 5, EventName = "RequestFailed", Level = LogLevel.Warning, Message = "{Api} {Method} {Path} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string api, string method, string path, string reason);

    [LoggerMessage(EventId = 6, EventName = "TokenExchanged", Level = LogLevel.Information, Message = "{Api} exchanged its refresh token for an access token")]
    public static partial void TokenExchanged(ILogger logger, string api);

    [LoggerMessage(EventId = 7, EventName = "TokenRejected", Level = LogLevel.Information, Message = "{Api} {Method} {Path} answered 401 with a cached access token; exchanging the refresh token again")]
    public static partial void TokenRejected(ILogger logger, string api, string method, string path);

    [LoggerMessage(EventId = 8, EventName = "Drift", Level = LogLevel.Warning, Message = "{Api} {Operation}: {Path} departs from the contract ({Field}: expected {Expected}, got {Got}; {Kind}); read tolerantly. Further drift at this path is counted, not logged")]
    public static partial void Drift(ILogger logger, string api, string operation, string path, string field, string expected, string got, string kind);

    [LoggerMessage(EventId = 9, EventName = "Rejected", Level = LogLevel.Warning, Message = "{Api} {Operation}: the item at {Path} ({Length} bytes) could not be read and was set aside")]
    public static partial void Rejected(ILogger logger, string api, string operation, string path, int length);

    [LoggerMessage(EventId = 20, EventName = "ExportPage", Level = LogLevel.Information, Message = "Export delivered {Delivered} events ({Duplicates} duplicates dropped); checkpoint {Cursor}")]
    public static partial void ExportPage(ILogger logger, int delivered, int duplicates, string cursor);

    [LoggerMessage(EventId = 21, EventName = "ExportRecovery", Level = LogLevel.Warning, Message = "Export resumes after an interrupted delivery of {Pending} events; the sink already holds {Held} of them")]
    public static partial void ExportRecovery(ILogger logger, int pending, int held);

    [LoggerMessage(EventId = 22, EventName = "ExportRun", Level = LogLevel.Information, Message = "Export run finished: {Pages} pages, {Delivered} events delivered, {Duplicates} duplicates dropped")]
    public static partial void ExportRun(ILogger logger, int pages, long delivered, long duplicates);

    [LoggerMessage(EventId = 23, EventName = "FollowWait", Level = LogLevel.Debug, Message = "Follow: waiting {DelayMs:0} ms before the next poll")]
    public static partial void FollowWait(ILogger logger, double delayMs);

    [LoggerMessage(EventId = 24, EventName = "FollowError", Level = LogLevel.Warning, Message = "Follow: the poll failed ({Reason}); retrying in {DelayMs:0} ms")]
    public static partial void FollowError(ILogger logger, string reason, double delayMs);
}
