using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventsBindings.Runtime.Diagnostics;
using EventsBindings.Runtime.Infrastructure;
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
        using var activities = new ActivityCapture(api);
        var descriptor = new ApiDescriptor(api, TestApi.Descriptor.Schemes, TestApi.Descriptor.Errors);
        var logs = new CapturingLoggerFactory();
        // User info in the base URL, and the key echoed into the query: neither may reach url.full.
        var baseWithUserInfo = new UriBuilder(server.BaseUri) { UserName = "user", Password = "pass-word" }.Uri;
        var pipeline = new EventsPipeline(new HttpClient(), baseWithUserInfo, new EventsKeyCredential("key-in-query-123"), descriptor, TestApi.FastOptions(o => o.LoggerFactory = logs));
        var request = TestApi.Get();
        request.AddQuery("key", "key-in-query-123");
        request.AddQuery("sig", "signed");
        request.AddQuery("from", "a b");

        await pipeline.GetItemsAsync(request: request);

        lock (measurements)
        {
            Assert.Equal(2, measurements.Where(m => m.Name == EventsTelemetry.RequestsMetric).Sum(m => m.Value));
            Assert.Contains(measurements, m => m.Name == EventsTelemetry.RequestsMetric && Equals(m.Tags["http.response.status_code"], 503));
            Assert.Equal(1, measurements.Where(m => m.Name == EventsTelemetry.RetriesMetric).Sum(m => m.Value));
            Assert.Equal(3, measurements.Where(m => m.Name == EventsTelemetry.EventsMetric).Sum(m => m.Value));
        }

        var activity = activities.Last;
        Assert.NotNull(activity);
        Assert.Equal(ActivityKind.Client, activity!.Kind);
        Assert.Equal("GET /items", activity.DisplayName);
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
        Assert.Equal("/items", activity.GetTagItem("url.template"));
        Assert.Equal("127.0.0.1", activity.GetTagItem("server.address"));
        Assert.Equal(server.BaseUri.Port, activity.GetTagItem("server.port"));
        Assert.Equal($"http://127.0.0.1:{server.BaseUri.Port}/api/items?key=REDACTED&sig=REDACTED&from=a%20b", activity.GetTagItem("url.full"));
        Assert.Null(activity.GetTagItem("error.type"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(1, activity.GetTagItem("http.request.resend_count"));
        Assert.Equal(new[] { "Request", "Retry", "Request", "Page" }, logs.Lines.Select(l => l.Id.Name));
    }
}

public sealed class TelemetryErrorTests
{
    [Fact]
    public async Task A_failed_call_is_traced_with_its_status_and_error_type()
    {
        await using var server = await LoopbackServer.StartAsync(c => c.WriteJsonAsync("{}", 404));
        var api = "Test-" + Guid.NewGuid().ToString("N");
        using var activities = new ActivityCapture(api);
        var pipeline = new EventsPipeline(new HttpClient(), server.BaseUri, new EventsKeyCredential("k"), new ApiDescriptor(api, TestApi.Descriptor.Schemes, TestApi.Descriptor.Errors), TestApi.FastOptions());

        await Assert.ThrowsAsync<EventsNotFoundException>(() => pipeline.GetItemsAsync());

        var activity = activities.Last;
        Assert.NotNull(activity);
        Assert.Equal(404, activity!.GetTagItem("http.response.status_code"));
        Assert.Equal("404", activity.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal($"http://127.0.0.1:{server.BaseUri.Port}/api/items", activity.GetTagItem("url.full"));
    }
}
