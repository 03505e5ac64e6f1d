using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventsBindings.Runtime.Diagnostics;

/// <summary>
/// The runtime's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <see cref="Name"/>.
/// Activities follow the OpenTelemetry HTTP client conventions (<c>http.request.method</c>,
/// <c>url.template</c>, <c>server.address</c>, <c>http.response.status_code</c>, <c>error.type</c>,
/// <c>http.request.resend_count</c>); URLs never carry credentials.
/// </summary>
public static class EventsTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "EventsBindings.Runtime";

    /// <summary>Metric: requests sent (every attempt), tagged with method, operation, api and status.</summary>
    public const string RequestsMetric = "eventsbindings.client.requests";

    /// <summary>Metric: retries scheduled, tagged with method, operation, api and reason.</summary>
    public const string RetriesMetric = "eventsbindings.client.retries";

    /// <summary>Metric: items (events) received in list responses, tagged with operation and api.</summary>
    public const string EventsMetric = "eventsbindings.client.events";

    /// <summary>Metric: duration of calls including retries, in seconds.</summary>
    public const string DurationMetric = "eventsbindings.client.request.duration";

    /// <summary>Metric: events delivered to sinks by checkpointed exports.</summary>
    public const string ExportedMetric = "eventsbindings.export.events";

    /// <summary>Metric: values that departed from the contract and were read tolerantly, tagged with api, operation, path (indices as <c>[*]</c>) and kind.</summary>
    public const string DriftMetric = "eventsbindings.client.drift";

    /// <summary>Metric: list items that could not be read at all and were set aside, tagged with api and operation.</summary>
    public const string RejectedMetric = "eventsbindings.client.rejected";

    private static readonly string? Version = typeof(EventsTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>The activity source of the runtime.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>The meter of the runtime.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    internal static Counter<long> Requests { get; } = Meter.CreateCounter<long>(RequestsMetric, "{request}", "HTTP requests sent, every attempt counted.");

    internal static Counter<long> Retries { get; } = Meter.CreateCounter<long>(RetriesMetric, "{retry}", "Retries scheduled after a transient failure.");

    internal static Counter<long> Events { get; } = Meter.CreateCounter<long>(EventsMetric, "{event}", "Items received in list responses.");

    internal static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>(DurationMetric, "s", "Duration of calls, including retries.");

    internal static Counter<long> Drift { get; } = Meter.CreateCounter<long>(DriftMetric, "{value}", "Values that departed from the contract, read tolerantly.");

    internal static Counter<long> Rejected { get; } = Meter.CreateCounter<long>(RejectedMetric, "{item}", "List items that could not be read at all and were set aside.");

    internal static Counter<long> Exported { get; } = Meter.CreateCounter<long>(ExportedMetric, "{event}", "Events delivered to sinks by checkpointed exports.");
}
