using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Engine;
using EventsBindings.MockServer.Faults;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Hosting;

// How the pipeline's answer goes on the wire: the contract's rate-limit headers, Retry-After, and the body
// (with the faults that act on the wire: delays, truncation, resets).
internal sealed partial class MockServerApp
{
    /// <summary>Requests per window of an API that reports its limit in headers: the option, else the per-second rate over the window, else the default.</summary>
    private long WindowLimit() => Options.RateLimitPerWindow
        ?? (RateLimiter.PerSecond is { } perSecond ? Math.Max(1, (long)Math.Ceiling(perSecond * Options.RateLimitWindow.TotalSeconds)) : MockServerOptions.DefaultRateLimitPerWindow);

    /// <summary>The declared rate-limit headers of the credential's window, replacing any of the same names.</summary>
    private static MockResponse WithRateLimit(MockResponse response, RateLimitSpec declared, WindowState window)
    {
        var names = new[] { declared.Limit, declared.Remaining, declared.Reset };
        var headers = response.Headers.Where(h => !names.Any(n => string.Equals(n, h.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (declared.Limit is { } limit)
        {
            headers.Add(new KeyValuePair<string, string>(limit, window.Limit.ToString(invariant)));
        }

        if (declared.Remaining is { } remaining)
        {
            headers.Add(new KeyValuePair<string, string>(remaining, window.Remaining.ToString(invariant)));
        }

        var reset = declared.ResetKind == RateLimitResetKind.EpochSeconds
            ? (long)Math.Ceiling((window.ResetAt - DateTimeOffset.UnixEpoch).TotalSeconds)
            : Math.Max(0, (long)Math.Ceiling((window.ResetAt - window.Now).TotalSeconds));
        headers.Add(new KeyValuePair<string, string>(declared.Reset, reset.ToString(invariant)));
        return response with { Headers = headers };
    }

    private static MockResponse WithRetryAfter(MockResponse response, int seconds)
    {
        var headers = response.Headers.Where(h => !string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Add(new KeyValuePair<string, string>("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return response with { Headers = headers };
    }

    private static async Task WriteAsync(HttpContext context, MockResponse response, JournalEntry entry, DateTimeOffset now)
    {
        try
        {
            await WriteBodyAsync(context, response, entry, now).ConfigureAwait(false);
        }
        finally
        {
            response.List?.Dispose();
        }
    }

    private static async Task WriteBodyAsync(HttpContext context, MockResponse response, JournalEntry entry, DateTimeOffset now)
    {
        var faults = entry.Fault ?? string.Empty;
        var list = response.List;
        ReadOnlyMemory<byte> body = response.Body;
        if (faults.Contains("malformed", StringComparison.Ordinal))
        {
            // Cut the JSON and append garbage: a body no JSON reader accepts.
            body = response.Content;
            var cut = Math.Max(1, body.Length / 2);
            body = body.Span[..cut].ToArray().Concat("\u0000<<malformed"u8.ToArray()).ToArray();
            list = null;
        }

        var http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = "application/json; charset=utf-8";
        // The server's Date is the clock it answers by (a fixed or shifted clock too), as a client reading "now" from it expects.
        http.Headers.Date = now.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        var length = list?.Length ?? body.Length;
        http.ContentLength = length;
        var truncate = faults.Contains("truncate", StringComparison.Ordinal);
        var limit = truncate ? length / 2 : length;
        if (list is not null)
        {
            await list.WriteAsync(http.BodyWriter, limit, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await http.Body.WriteAsync(body[..limit], context.RequestAborted).ConfigureAwait(false);
            await http.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (truncate)
        {
            context.Abort();
        }
    }
}
