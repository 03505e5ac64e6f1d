using System.Diagnostics;
using EventsBindings.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime;

/// <summary>
/// Traces, metrics and logs of calls and attempts. One place for the tag sets, so that every counter of a call
/// carries the same api/operation/method tags, and so that the trace's URL is written only once every secret
/// of the call is known (see <see cref="EndCall"/>).
/// </summary>
internal sealed class PipelineTelemetry(string apiName, ILogger logger, TimeProvider time)
{
    public ILogger Logger { get; } = logger;

    public string ApiName { get; } = apiName;

    public TimeProvider Time { get; } = time;

    /// <summary>Starts the call's client activity (null when nobody listens).</summary>
    public Activity? StartCall(EventsRequest request, Uri uri)
    {
        var activity = EventsTelemetry.ActivitySource.StartActivity(request.Method.Method + " " + request.PathTemplate, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.template", request.PathTemplate);
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("eventsbindings.api", ApiName);
            activity.SetTag("eventsbindings.operation", request.OperationName);
        }

        return activity;
    }

    /// <summary>Records the call's duration and completes its activity.</summary>
    public void EndCall(EventsRequest request, CallInfo call, Activity? activity, long startedTimestamp, string? errorType)
    {
        var elapsed = Time.GetElapsedTime(startedTimestamp);
        var tags = new TagList
        {
            { "api", ApiName },
            { "operation", request.OperationName },
            { "http.request.method", request.Method.Method },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        EventsTelemetry.Duration.Record(elapsed.TotalSeconds, tags);
        if (activity is null)
        {
            return;
        }

        // Set last, once every secret of the call is known to the scrubber.
        activity.SetTag("url.full", call.UrlFull);
        if (call.LastStatus > 0)
        {
            activity.SetTag("http.response.status_code", call.LastStatus);
        }

        if (call.Attempts > 1)
        {
            activity.SetTag("http.request.resend_count", call.Attempts - 1);
        }

        if (errorType is not null)
        {
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>Counts one attempt sent (status 0: no answer).</summary>
    public void CountRequest(CallInfo call, int status, string? errorType)
    {
        var tags = new TagList
        {
            { "api", ApiName },
            { "operation", call.Operation },
            { "http.request.method", call.Method },
        };
        if (status > 0)
        {
            tags.Add("http.response.status_code", status);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        EventsTelemetry.Requests.Add(1, tags);
    }

    /// <summary>Logs and counts a retry that Polly scheduled.</summary>
    public void Retry(CallInfo call, string reason, int retry, int maxRetries, TimeSpan delay)
    {
        Log.Retry(Logger, ApiName, call.Method, call.LogPath, reason, retry, maxRetries, delay.TotalMilliseconds);
        EventsTelemetry.Retries.Add(1, new TagList
        {
            { "api", ApiName },
            { "operation", call.Operation },
            { "http.request.method", call.Method },
            { "reason", reason },
        });
    }

    /// <summary>Logs and counts the items of a list response.</summary>
    public void Items(CallInfo call, int count)
    {
        Log.Page(Logger, ApiName, call.Operation, count);
        EventsTelemetry.Events.Add(count, new TagList { { "api", ApiName }, { "operation", call.Operation } });
    }
}
