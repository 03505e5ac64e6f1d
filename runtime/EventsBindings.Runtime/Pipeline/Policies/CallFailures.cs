using System.Globalization;
using EventsBindings.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace EventsBindings.Runtime;

/// <summary>
/// Turns what ended a call without an HTTP answer (a timeout, a broken connection) into the typed exception the
/// caller sees: scrubbed of every secret of the call, logged once, and without the inner exception where its
/// message could carry what the scrubber masked.
/// </summary>
internal static class CallFailures
{
    /// <summary>A Polly timeout: the attempt's, or the call's overall deadline.</summary>
    public static EventsTimeoutException Timeout(CallInfo call, TimeoutRejectedException ex, TimeSpan? attemptTimeout, TimeSpan? overallTimeout, PipelineTelemetry telemetry)
    {
        var which = attemptTimeout == ex.Timeout && overallTimeout != ex.Timeout
            ? string.Create(CultureInfo.InvariantCulture, $"within the attempt timeout of {ex.Timeout.TotalSeconds:0.###} s")
            : string.Create(CultureInfo.InvariantCulture, $"within the overall deadline of {ex.Timeout.TotalSeconds:0.###} s");
        var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} got no answer {which} ({call.AttemptsText}).");
        Log.RequestFailed(telemetry.Logger, telemetry.ApiName, call.Method, call.LogPath, "timeout");
        return new EventsTimeoutException(message, call.Method, call.DisplayPath, ex);
    }

    /// <summary>A cancellation the caller did not ask for (<see cref="HttpClient.Timeout"/>).</summary>
    public static EventsTimeoutException TimedOut(CallInfo call, OperationCanceledException ex, PipelineTelemetry telemetry)
    {
        var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} timed out ({call.AttemptsText}).");
        Log.RequestFailed(telemetry.Logger, telemetry.ApiName, call.Method, call.LogPath, "timeout");
        return new EventsTimeoutException(message, call.Method, call.DisplayPath, ex);
    }

    /// <summary>No connection, or one that broke.</summary>
    public static EventsConnectionException Connection(CallInfo call, Exception ex, PipelineTelemetry telemetry)
    {
        var detail = call.Scrubber.Scrub(Innermost(ex).Message);
        var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} could not reach {call.Uri.Host}:{call.Uri.Port.ToString(CultureInfo.InvariantCulture)} or the connection broke: {detail} ({call.AttemptsText}).");
        Log.RequestFailed(telemetry.Logger, telemetry.ApiName, call.Method, call.LogPath, ex.GetType().Name);

        // No inner exception: its message (and stack) may hold what the scrubber masked above.
        return new EventsConnectionException(message, call.Method, call.DisplayPath, null);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
