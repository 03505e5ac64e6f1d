using System.Globalization;
using System.Text.Json.Nodes;
using EventsBindings.Kit.Export;
using EventsBindings.Kit.Verify;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>Stoplight Prism on the exported OpenAPI documents: as a mock, and as a validating proxy in front of the mock server.</summary>
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
    public async Task Prism_mock_starts_on_the_exported_documents_and_answers_the_documented_examples()
    {
        var prism = ExternalTools.Prism;
        var dir = Contracts.TempDir("prism-mock");
        var started = new List<(EventsBindings.Spec.Model.ContractSpec Contract, Task<ToolProcess> Process, Uri BaseUrl)>();
        foreach (var contract in Contracts.Everything)
        {
            var file = OpenApiExporter.Export(contract, dir);
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
        var prism = ExternalTools.Prism;
        var contract = Contracts.Named(name);
        var (upstream, credential) = _mock.Api(name);
        var file = OpenApiExporter.Export(contract, Contracts.TempDir("prism-proxy"));
        var port = ExternalTools.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        await using var proxy = await ToolProcess.StartAsync(
            prism,
            new[] { "proxy", file, upstream.ToString(), "--errors", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) },
            baseUrl,
            TimeSpan.FromSeconds(90));

        var recorder = new ViolationRecorder(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        var report = await ContractVerifier.RunAsync(contract, baseUrl, credential, new VerifyOptions { Pace = TimeSpan.Zero, HttpClient = http, NegativeChecks = false });
        _output.WriteLine(report.ToString());
        _output.WriteLine(proxy.Output.Length > 4000 ? proxy.Output[^4000..] : proxy.Output);

        Assert.True(recorder.Responses > 10);
        Assert.True(recorder.Violations.Count == 0, string.Join("\n", recorder.Violations));
        Assert.True(report.Succeeded, report.ToString());
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
    private sealed class ViolationRecorder : DelegatingHandler
    {
        public ViolationRecorder(HttpMessageHandler inner)
            : base(inner)
        {
        }

        public List<string> Violations { get; } = new();

        public int Responses { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Responses++;
            if (response.Headers.TryGetValues("sl-violations", out var values))
            {
                Violations.Add($"{request.Method} {request.RequestUri}: {string.Join(" ", values)}");
            }

            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                Violations.Add($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return response;
        }
    }
}
