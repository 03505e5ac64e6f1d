using System.Collections.Concurrent;
using System.Diagnostics;
using EventsBindings.Runtime.Json;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime.Diagnostics;

/// <summary>
/// Reports what tolerant reading found in a client's responses: every drift record to the
/// <see cref="EventsTelemetry.DriftMetric"/> counter, one log warning per JSON path pattern and client (a page
/// of a thousand events with the same surprise is one warning, not a thousand), and every rejected item to the
/// log and the user's dead-letter hook. Values are never logged: a drift sample stays in the record.
/// </summary>
internal sealed class DriftReporter(string api, ILogger logger, Action<JsonRejectedItem>? onRejected)
{
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    public void Report(string operation, IReadOnlyList<JsonDrift> drift, IReadOnlyList<JsonRejectedItem> rejected)
    {
        foreach (var d in drift)
        {
            var pattern = d.PathPattern;
            EventsTelemetry.Drift.Add(1, new TagList { { "api", api }, { "operation", operation }, { "path", pattern }, { "kind", d.Kind.ToString() } });
            if (_warned.TryAdd(operation + " " + pattern, true))
            {
                Log.Drift(logger, api, operation, pattern, d.Field, d.Expected, d.Got, d.Kind.ToString());
            }
        }

        foreach (var item in rejected)
        {
            EventsTelemetry.Rejected.Add(1, new TagList { { "api", api }, { "operation", operation } });
            Log.Rejected(logger, api, operation, item.Path, item.Json.Length);
            onRejected?.Invoke(item);
        }
    }
}
