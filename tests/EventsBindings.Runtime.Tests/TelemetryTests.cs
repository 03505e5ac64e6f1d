using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventsBindings.Runtime.Diagnostics;
using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Requests_retries_and_events_are_measured_and_traced()
    {
        await using var server = await LoopbackServer.StartAsync((c, n) => n == 1
            ? c.WriteJsonAsync("{}", 503)
            : c.WriteJsonAsync(TestApi.Json(TestApi.Items(1, 3))));
        var measurements = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventsTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        var api = "Test-" + Guid.NewGuid().ToString("N");
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dict = new Dictionary<string, object?>();
            foreach (var t in tags)
            {
                dict[t.Key] = t.Value;
            }

            if (Equals(dict.GetValueOrDefault("api"), api))
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, value, dict));
                }
            }
        });
        meterListener.Start();
        Activity? activity = null;
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EventsTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("eventsbindings.api"), api))
                {
                    activity = a;
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        var descriptor = new ApiDescriptor(api, TestApi.Descriptor.Schemes, TestApi.Descriptor.Errors);
        var logs = new CapturingLoggerFactory();
        var pipeline = new EventsPipeline(new HttpClient(), server.BaseUri, new ApiKeyCredential("k"), descriptor, TestApi.FastOptions(o => o.LoggerFactory = logs));

        await pipeline.GetItemsAsync();

        lock (measurements)
        {
            Assert.Equal(2, measurements.Where(m => m.Name == EventsTelemetry.RequestsMetric).Sum(m => m.Value));
            Assert.Contains(measurements, m => m.Name == EventsTelemetry.RequestsMetric && Equals(m.Tags["http.response.status_code"], 503));
            Assert.Equal(1, measurements.Where(m => m.Name == EventsTelemetry.RetriesMetric).Sum(m => m.Value));
            Assert.Equal(3, measurements.Where(m => m.Name == EventsTelemetry.EventsMetric).Sum(m => m.Value));
        }

        Assert.NotNull(activity);
        Assert.Equal(ActivityKind.Client, activity!.Kind);
        Assert.Equal("GET /items", activity.DisplayName);
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
        Assert.Equal("/items", activity.GetTagItem("url.template"));
        Assert.Equal("127.0.0.1", activity.GetTagItem("server.address"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(1, activity.GetTagItem("http.request.resend_count"));
        Assert.Equal(new[] { "Request", "Retry", "Request", "Page" }, logs.Lines.Select(l => l.Id.Name));
    }
}
