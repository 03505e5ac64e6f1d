using System.Net;
using System.Text;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>
/// The generated checkpointed exports send what the contract's <c>sync</c> says on every request:
/// each value of <c>sync.set</c> (an enum for Banyan), whatever filter the caller passed, and each
/// value of <c>sync.defaults</c> (a date for ABR, which switches off its 30-day window) unless the
/// caller's filter gives that parameter itself.
/// </summary>
public sealed class ExportSyncTests
{
    private static readonly Uri Base = new("http://sync.test/");

    public static TheoryData<string, string> SyncEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "adminbyrequest.events.yaml", "banyan.events.yaml" })
        {
            foreach (var endpoint in Contract(file).Endpoints.Where(e => e.Sync is not null))
            {
                data.Add(file, endpoint.Name);
            }
        }

        return data;
    }

    [Fact]
    public void Every_ABR_list_endpoint_has_a_sync_that_switches_off_the_days_window()
    {
        var contract = Contract("adminbyrequest.events.yaml");
        foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List))
        {
            var sync = Assert.IsType<SyncSpec>(endpoint.Sync);
            var window = endpoint.Parameters.Single(p => p.Semantics.Kind == SemanticsKind.RelativeWindow);
            Assert.Contains(sync.Set.Concat(sync.Defaults), v => window.IgnoredWhen.Contains(v.Name));
        }
    }

    [Theory]
    [MemberData(nameof(SyncEndpoints))]
    public async Task An_export_sends_every_sync_value_the_filter_leaves_unset(string file, string endpointName)
    {
        var endpoint = Contract(file).Endpoints.Single(e => e.Name == endpointName);
        var handler = new RecordingHandler(endpoint.Response.Envelope);
        using var http = new HttpClient(handler);
        var credential = new EventsKeyCredential("k");
        var store = new InMemoryCheckpointStore();
        var result = (file, endpointName) switch
        {
            // The caller's own window filter must not survive: the sync switches it off.
            ("adminbyrequest.events.yaml", "Events") => await new Abr.AdminByRequestClient(http, Base, credential).CreateEventsExport(store, new NullSink<Abr.Event>(), new Abr.EventsQuery { Days = 7 }).RunOnceAsync(),
            ("adminbyrequest.events.yaml", "ComputerEvents") => await new Abr.AdminByRequestClient(http, Base, credential).CreateComputerEventsExport("FTWIN11", store, new NullSink<Abr.Event>()).RunOnceAsync(),
            ("adminbyrequest.events.yaml", "UserEvents") => await new Abr.AdminByRequestClient(http, Base, credential).CreateUserEventsExport("TEST", store, new NullSink<Abr.Event>()).RunOnceAsync(),
            ("banyan.events.yaml", "Events") => await new Banyan.BanyanClient(http, Base, credential).CreateEventsExport(store, new NullSink<Banyan.Event>()).RunOnceAsync(),
            _ => throw new InvalidOperationException($"No export is known for {file} {endpointName}: add it to this test."),
        };

        Assert.Equal(0, result.Fetched);
        var query = Assert.Single(handler.Queries);
        var values = endpoint.Sync!.Set.Concat(endpoint.Sync.Defaults).ToList();
        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            Assert.Equal(value.Value, query.GetValueOrDefault(value.Name));
        }

    }

    [Fact]
    public async Task A_callers_filter_beats_a_sync_default_but_not_a_sync_set_value()
    {
        var abrSync = Contract("adminbyrequest.events.yaml").Endpoints.Single(e => e.Name == "Events").Sync!;
        var banyanEndpoint = Contract("banyan.events.yaml").Endpoints.Single(e => e.Name == "Events");
        Assert.Contains(abrSync.Defaults, v => v.Name == "startdate");
        Assert.Contains(banyanEndpoint.Sync!.Set, v => v.Name == "order");
        var credential = new EventsKeyCredential("k");

        var abr = new RecordingHandler(null);
        using (var http = new HttpClient(abr))
        {
            await new Abr.AdminByRequestClient(http, Base, credential)
                .CreateEventsExport(new InMemoryCheckpointStore(), new NullSink<Abr.Event>(), new Abr.EventsQuery { StartDate = new DateOnly(2024, 3, 1) })
                .RunOnceAsync();
        }

        Assert.Equal("2024-03-01", Assert.Single(abr.Queries)["startdate"]);

        var banyan = new RecordingHandler(banyanEndpoint.Response.Envelope);
        using (var http = new HttpClient(banyan))
        {
            await new Banyan.BanyanClient(http, Base, credential)
                .CreateEventsExport(new InMemoryCheckpointStore(), new NullSink<Banyan.Event>(), new Banyan.EventsQuery { Order = Banyan.SortOrder.Descending })
                .RunOnceAsync();
        }

        Assert.Equal(banyanEndpoint.Sync.Set.Single(v => v.Name == "order").Value, Assert.Single(banyan.Queries)["order"]);
    }

    private static ContractSpec Contract(string file) =>
        ContractReader.ParseFile(Path.Combine(AppContext.BaseDirectory, "contracts", file)).Contract!;

    private sealed class RecordingHandler(string? envelope) : HttpMessageHandler
    {
        public List<Dictionary<string, string>> Queries { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Queries.Add(request.RequestUri!.Query.TrimStart('?')
                .Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : string.Empty), StringComparer.Ordinal));

            // An empty page, so that the export stops after one request.
            var body = envelope is null ? "[]" : $"{{\"{envelope}\":[]}}";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private sealed class NullSink<T> : IEventSink<T>
    {
        public Task WriteAsync(IReadOnlyList<T> items, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<T, string> idOf, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>(Array.Empty<string>());
    }
}
