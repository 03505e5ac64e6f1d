using System.Globalization;
using System.Text.Json.Nodes;
using EventsBindings.ContractTests;
using EventsBindings.ContractTests.Driving;
using EventsBindings.Kit.Translation;
using EventsBindings.Kit.Verify;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using EventsBindings.Testing;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>Stoplight Prism on the translated OpenAPI documents: as a mock, and as a validating proxy in front of the mock server.</summary>
[Collection(MockServerCollection.Name)]
public class PrismTests
{
    private readonly MockServerFixture _mock;
    private readonly ITestOutputHelper _output;

    public PrismTests(MockServerFixture mock, ITestOutputHelper output)
    {
        _mock = mock;
        _output = output;
    }

    [Fact]
    public async Task Prism_mock_starts_on_the_translated_documents_and_answers_the_documented_examples()
    {
        var prism = ExternalTools.Prism;
        var dir = Contracts.TempDir("prism-mock");
        var started = new List<(ContractSpec Contract, Task<ToolProcess> Process, Uri BaseUrl)>();
        foreach (var contract in Contracts.Everything)
        {
            var file = OpenApiTranslator.Write(contract, dir);
            var port = ExternalTools.FreePort();
            var baseUrl = new Uri($"http://127.0.0.1:{port}");
            started.Add((contract, ToolProcess.StartAsync(prism, new[] { "mock", file, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }, baseUrl, TimeSpan.FromSeconds(90)), baseUrl));
        }

        var processes = new List<ToolProcess>();
        try
        {
            foreach (var (_, process, _) in started)
            {
                processes.Add(await process);
            }

            using var http = new HttpClient();
            var answered = 0;
            foreach (var (contract, _, baseUrl) in started)
            {
                foreach (var endpoint in contract.Endpoints)
                {
                    foreach (var example in endpoint.Examples.Where(e => e.RequestPath is not null || !endpoint.Path.Contains('{', StringComparison.Ordinal)))
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(baseUrl, WireMockTests.Target(endpoint, example).TrimStart('/')));
                        WireMockTests.Authenticate(request, contract, endpoint);
                        request.Headers.TryAddWithoutValidation("Prefer", $"example={example.Name}, code={example.Status}");
                        using var response = await http.SendAsync(request);
                        var body = await response.Content.ReadAsStringAsync();
                        Assert.True(example.Status == (int)response.StatusCode, $"{contract.Name} {endpoint.Name}/{example.Name}: {(int)response.StatusCode} {body}");
                        Assert.True(SameJson(JsonNode.Parse(example.Body), JsonNode.Parse(body)), $"{contract.Name} {endpoint.Name}/{example.Name}: {body}");
                        answered++;
                    }
                }
            }

            Assert.True(answered >= 5);
        }
        finally
        {
            foreach (var process in processes)
            {
                _output.WriteLine(process.Output.Length > 4000 ? process.Output[^4000..] : process.Output);
                await process.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public async Task Prism_proxy_in_front_of_the_mock_server_sees_no_violation_in_the_verify_traffic(string name)
    {
        var contract = Contracts.Named(name);
        var (upstream, credential) = _mock.Api(name);
        await using var proxy = await StartProxyAsync(contract, upstream);

        // The proxy is where the client is, so the mock's absolute next links must name the proxy: the client
        // says so in X-Forwarded-Host, as a reverse proxy does, and Prism passes request headers on.
        var recorder = new ViolationRecorder(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        http.DefaultRequestHeaders.Add("X-Forwarded-Host", proxy.BaseUrl.Authority);
        var report = await ContractVerifier.RunAsync(contract, proxy.BaseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero, HttpClient = http, NegativeChecks = false });
        _output.WriteLine(report.ToString());
        _output.WriteLine(proxy.Tail);

        Assert.True(recorder.Responses > 10);
        Assert.True(recorder.Violations.Count == 0, string.Join("\n", recorder.Violations));
        Assert.True(report.Succeeded, report.ToString());
    }

    /// <summary>A Prism proxy with <c>--errors</c> on the contract's translated OpenAPI, in front of <paramref name="upstream"/>.</summary>
    /// <remarks>
    /// The proxy forwards to the mock's root and the document's paths carry the API's mock prefix, so that the
    /// proxy's paths are the mock's: an absolute next link the mock writes (with the proxy's host, from
    /// <c>X-Forwarded-Host</c>) then names a path the proxy knows. <see cref="PrismProxy.BaseUrl"/> is the API's
    /// base URL on the proxy (its origin and the prefix).
    /// </remarks>
    internal static async Task<PrismProxy> StartProxyAsync(ContractSpec contract, Uri upstream)
    {
        var prefix = contract.Mock!.Prefix.TrimEnd('/');
        var apiBase = upstream.ToString().TrimEnd('/');
        Assert.EndsWith(prefix, apiBase, StringComparison.Ordinal);
        var root = apiBase[..^prefix.Length];

        var document = JsonNode.Parse(OpenApiTranslator.ToJson(contract))!.AsObject();
        var paths = document["paths"]!.AsObject();
        var prefixed = new JsonObject();
        foreach (var (path, item) in paths.ToList())
        {
            paths.Remove(path);
            prefixed[prefix + path] = item;
        }

        document["paths"] = prefixed;
        var file = Path.Combine(Contracts.TempDir("prism-proxy"), contract.Name.ToLowerInvariant() + ".openapi.json");
        File.WriteAllText(file, document.ToJsonString());

        var port = ExternalTools.FreePort();
        var origin = new Uri($"http://127.0.0.1:{port}");
        var process = await ToolProcess.StartAsync(
            ExternalTools.Prism,
            new[] { "proxy", file, root, "--errors", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) },
            origin,
            TimeSpan.FromSeconds(90));
        return new PrismProxy(process, new Uri(origin + prefix.TrimStart('/')));
    }

    /// <summary>A running Prism proxy; stopped when disposed.</summary>
    internal sealed record PrismProxy(ToolProcess Process, Uri BaseUrl) : IAsyncDisposable
    {
        public string Tail => Process.Output.Length > 4000 ? Process.Output[^4000..] : Process.Output;

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    /// <summary>
    /// JSON equality where numbers compare as doubles: Prism (JavaScript) re-serializes examples, and
    /// integers beyond 2^53 (epoch nanoseconds) come back rounded. WireMock serves them verbatim.
    /// </summary>
    private static bool SameJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && SameJson(p.Value, v)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => SameJson(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == System.Text.Json.JsonValueKind.Number && y.GetValueKind() == System.Text.Json.JsonValueKind.Number => x.GetValue<double>() == y.GetValue<double>(),
        _ => JsonNode.DeepEquals(a, b),
    };

    /// <summary>Records Prism's <c>sl-violations</c> headers and its own error responses.</summary>
    internal sealed class ViolationRecorder : DelegatingHandler
    {
        public ViolationRecorder(HttpMessageHandler? inner = null)
            : base(inner ?? new SocketsHttpHandler())
        {
        }

        public System.Collections.Concurrent.ConcurrentQueue<string> Violations { get; } = new();

        public int Responses => _responses;

        private int _responses;

        /// <summary>Records what Prism says of one response.</summary>
        public async Task InspectAsync(HttpRequestMessage request, HttpResponseMessage response)
        {
            Interlocked.Increment(ref _responses);
            if (response.Headers.TryGetValues("sl-violations", out var values))
            {
                Violations.Enqueue($"{request.Method} {request.RequestUri}: {string.Join(" ", values)}");
            }

            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                Violations.Enqueue($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await InspectAsync(request, response);
            return response;
        }
    }
}

/// <summary>
/// The generated clients, driven as the contract tests drive them (<see cref="ClientDriver"/>), through
/// <c>prism proxy --errors</c> in front of the mock server: every endpoint with its defaults, every
/// parameter of every endpoint, a walk over all pages, and every error status the contract declares for
/// the endpoint (the mock's fault header). Prism validates each request and response against the translated
/// OpenAPI document; the clients' handler validates each body against the translated JSON Schemas. Then
/// the mock is made to answer a status the endpoint does not declare, and Prism must report it: the
/// translation declares exactly the contract's statuses, so the check can fail.
/// </summary>
public sealed class PrismClientTrafficTests : IClassFixture<ClientsFixture>
{
    /// <summary>Candidates for a status an endpoint does not declare, in order of preference.</summary>
    private static readonly int[] UndeclaredCandidates = { 404, 409, 418, 502, 503 };

    private readonly ClientsFixture _fx;
    private readonly ITestOutputHelper _output;

    public PrismClientTrafficTests(ClientsFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _output = output;
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public async Task Prism_proxy_sees_no_violation_in_the_generated_clients_contract_test_traffic_and_reports_an_undeclared_status(string name)
    {
        var contract = EventsBindings.Testing.TestContracts.Get(name);
        await using var proxy = await PrismTests.StartProxyAsync(contract, _fx.Host.ApiBaseAddress(name));
        using var recorder = new PrismTests.ViolationRecorder();
        using var client = ClientDriver.Create(proxy.BaseUrl, contract);
        client.Handler.Observe = recorder.InspectAsync;
        client.Handler.Headers["X-Forwarded-Host"] = proxy.BaseUrl.Authority; // next links name the proxy (see above)
        var drive = new List<string>();
        try
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                var whole = await _fx.WholeAsync(contract, endpoint);
                var universe = await _fx.UniverseAsync(contract, endpoint);
                await client.CallAsync(endpoint, whole);
                drive.Add($"{endpoint.Name}: defaults");

                foreach (var p in endpoint.Parameters.Where(p => p.In != ParameterLocation.Path))
                {
                    foreach (var value in Values(contract, endpoint, p, universe))
                    {
                        await client.CallAsync(endpoint, new Dictionary<string, string>(whole, StringComparer.Ordinal) { [p.WireName] = value });
                        drive.Add($"{endpoint.Name}: {p.WireName}={value}");
                    }
                }

                if (endpoint.Response.Kind == ResponseKind.List && endpoint.Pagination?.PageSizeParameter is { } sizeName)
                {
                    var size = endpoint.FindParameter(sizeName)!;
                    var all = await client.PageAsync(endpoint, new Dictionary<string, string>(whole, StringComparer.Ordinal) { [sizeName] = ClientsFixture.Text(size.Maximum ?? 1000) });
                    var small = Math.Max(size.Minimum ?? 1, (all.Items.Count / 3) + 1);
                    var pages = await client.PagesAsync(endpoint, new Dictionary<string, string>(whole, StringComparer.Ordinal) { [sizeName] = ClientsFixture.Text(small) });
                    Assert.Equal(all.Items.Count, pages.Sum(p => p.Items.Count));
                    drive.Add($"{endpoint.Name}: {pages.Count} pages of {small}");
                }

                foreach (var status in contract.ErrorsFor(endpoint).Select(e => e.Status))
                {
                    await FaultAsync(client, endpoint, whole, status);
                    drive.Add($"{endpoint.Name}: {status}");
                }
            }
        }
        finally
        {
            _output.WriteLine(string.Join("\n", drive));
            _output.WriteLine(proxy.Tail);
        }

        Assert.Equal(client.Handler.Sent.Count, recorder.Responses);
        Assert.True(recorder.Responses >= drive.Count, $"{recorder.Responses} responses for {drive.Count} calls");
        Assert.True(recorder.Violations.IsEmpty, string.Join("\n", recorder.Violations));

        // The negative check: a status the endpoint does not declare is reported.
        var target = Cases.Callable(contract).First();
        var declared = contract.ErrorsFor(target).Select(e => e.Status).ToHashSet();
        var undeclared = UndeclaredCandidates.First(s => !declared.Contains(s));
        await FaultAsync(client, target, await _fx.WholeAsync(contract, target), undeclared);
        var violation = Assert.Single(recorder.Violations);
        _output.WriteLine($"{target.Name}: {undeclared} (undeclared) → {violation}");
        Assert.Contains("Unable to match the returned status code", violation, StringComparison.Ordinal);
    }

    /// <summary>Calls <paramref name="endpoint"/> with the mock's fault header asking for <paramref name="status"/>; the client raises it as a typed error.</summary>
    private static async Task FaultAsync(ClientDriver client, EndpointSpec endpoint, IReadOnlyDictionary<string, string> whole, int status)
    {
        client.Handler.Headers[RecordingHandler.FaultHeader] = ClientsFixture.Text(status);
        try
        {
            var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => client.CallAsync(endpoint, whole));
            Assert.Equal(status, ex.Status);
        }
        finally
        {
            client.Handler.Headers.Remove(RecordingHandler.FaultHeader);
        }
    }

    /// <summary>Values that exercise a parameter: a filter's value chosen from the data, or one per kind of control parameter.</summary>
    private static IEnumerable<string> Values(ContractSpec contract, EndpointSpec endpoint, ParameterSpec p, IReadOnlyList<System.Text.Json.JsonElement> universe)
    {
        var s = p.Semantics;
        if (Oracle.IsFilter(s.Kind) && s.Field is not null)
        {
            return new[] { ValueChooser.Choose(contract, endpoint, p, universe) };
        }

        return s.Kind switch
        {
            SemanticsKind.PageSize => new[] { ClientsFixture.Text(p.Maximum ?? long.Parse(p.Default ?? "10", CultureInfo.InvariantCulture)) },
            SemanticsKind.Offset => new[] { "1" },
            SemanticsKind.NewestN => new[] { "3" },
            SemanticsKind.SortOrder => new[] { s.Ascending!, s.Descending! },
            // Filter expressions and keyword queries made from the data; the opaque page token is only sent as
            // the server issued it (the page walk below follows the next links).
            SemanticsKind.Scim => ScimOracle.Expressions(contract, contract.FindModel(endpoint.Response.Model!)!, s, universe).Select(e => e.Filter).Take(3),
            SemanticsKind.Keywords => ScimOracle.KeywordQueries(contract, contract.FindModel(endpoint.Response.Model!)!, s, universe).Take(2),
            SemanticsKind.PageToken => Array.Empty<string>(),
            _ => new[] { p.Default ?? throw new Xunit.Sdk.XunitException($"{endpoint.Name}: no value to send for {p.WireName} ({s.Kind}).") },
        };
    }
}
