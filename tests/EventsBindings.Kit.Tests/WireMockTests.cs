using System.Text.Json.Nodes;
using EventsBindings.Kit.Translation;
using EventsBindings.Spec.Model;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

public class WireMockTests
{
    private readonly ITestOutputHelper _output;

    public WireMockTests(ITestOutputHelper output) => _output = output;

    internal static void Authenticate(HttpRequestMessage request, ContractSpec contract, EndpointSpec endpoint)
    {
        if (endpoint.Security.Count == 0)
        {
            return;
        }

        var scheme = contract.FindScheme(endpoint.Security[0])!;
        if (scheme.Kind == AuthKind.ApiKey)
        {
            request.Headers.Add(scheme.Header!, "any-key");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Authorization", scheme.Kind == AuthKind.Basic ? "Basic dTpw" : "Bearer any-token");
        }
    }

    internal static string Target(EndpointSpec endpoint, ExampleSpec example)
    {
        var path = example.RequestPath ?? System.Text.RegularExpressions.Regex.Replace(endpoint.Path, "{[^}]+}", "x");
        var query = string.Join("&", example.RequestQuery.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));
        return path + (query.Length > 0 ? "?" + query : string.Empty);
    }

    [Fact]
    public void Mappings_match_method_path_query_and_carry_the_body_verbatim()
    {
        var contract = Contracts.Named("AdminByRequest");
        var mappings = WireMockTranslator.Mappings(contract);
        var example = mappings.Single(m => m.FileName == "adminbyrequest-event-event-53820480.json").Mapping;
        Assert.Equal("GET", (string?)example["request"]!["method"]);
        Assert.Equal("/events/53820480", (string?)example["request"]!["urlPath"]);
        Assert.Equal(contract.FindEndpoint("Event")!.Examples[0].Body, (string?)example["response"]!["body"]);
        Assert.Equal("application/json", (string?)example["response"]!["headers"]!["Content-Type"]);

        var unauthorized = mappings.Single(m => m.FileName == "adminbyrequest-events-401.json").Mapping;
        Assert.Equal(WireMockTranslator.UnauthorizedPriority, (int)unauthorized["priority"]!);
        Assert.True((bool)unauthorized["request"]!["headers"]!["apikey"]!["absent"]!);
        Assert.True((bool)unauthorized["request"]!["headers"]!["Authorization"]!["absent"]!);

        var prefixed = WireMockTranslator.Mappings(contract, new WireMockTranslationOptions { UseMockPrefix = true });
        Assert.All(prefixed, m => Assert.StartsWith("^/adminbyrequest/", (string?)m.Mapping["request"]!["urlPath"] is { } p ? "^" + p : (string)m.Mapping["request"]!["urlPathPattern"]!, StringComparison.Ordinal));

        // Default layout: one root for every contract, file names prefixed by the contract, URLs under its mock prefix.
        var dir = Contracts.TempDir("wiremock-layout");
        var written = ContractTranslations.WriteWireMock(Contracts.Everything, dir);
        Assert.All(written, f => Assert.Equal(Path.Combine(dir, "mappings"), Path.GetDirectoryName(f)));
        foreach (var c in Contracts.Everything)
        {
            var own = written.Where(f => Path.GetFileName(f).StartsWith(c.Name.ToLowerInvariant() + "-", StringComparison.Ordinal)).ToList();
            Assert.Equal(WireMockTranslator.Mappings(c).Count, own.Count);
            Assert.All(own, f => Assert.StartsWith(c.Mock!.Prefix + "/", Url(JsonNode.Parse(File.ReadAllText(f))!), StringComparison.Ordinal));
        }

        // Per contract: one root each, with the vendor's paths.
        var perContract = Contracts.TempDir("wiremock-per-contract");
        var separate = ContractTranslations.WriteWireMock(Contracts.Everything, perContract, new WireMockTranslationOptions { PerContract = true });
        Assert.All(Contracts.Everything, c => Assert.True(Directory.Exists(Path.Combine(perContract, c.Name.ToLowerInvariant(), "mappings"))));
        Assert.Equal(written.Count, separate.Count);
        Assert.Contains(separate, f => Url(JsonNode.Parse(File.ReadAllText(f))!) == "/events/53820480");
    }

    private static string Url(JsonNode mapping) => ((string?)mapping["request"]!["urlPath"] ?? (string)mapping["request"]!["urlPathPattern"]!).TrimStart('^').Replace("\\", string.Empty, StringComparison.Ordinal);

    [Fact]
    public void An_example_request_query_becomes_equalTo_matchers_with_a_higher_priority()
    {
        var contract = Contracts.Named("AdminByRequest");
        var events = contract.FindEndpoint("Events")!;
        var example = events.Examples[0] with
        {
            Name = "with-query",
            RequestQuery = new EquatableArray<ParameterValue>(new[] { new ParameterValue("take", "3"), new ParameterValue("code", "40") }),
        };
        var changed = contract with
        {
            Endpoints = new EquatableArray<EndpointSpec>(contract.Endpoints.Select(e => e.Name == events.Name ? e with { Examples = new EquatableArray<ExampleSpec>(e.Examples.Append(example).ToArray()) } : e).ToArray()),
        };
        var mapping = WireMockTranslator.Mappings(changed).Single(m => m.FileName == "adminbyrequest-events-with-query.json").Mapping;
        Assert.Equal("3", (string?)mapping["request"]!["queryParameters"]!["take"]!["equalTo"]);
        Assert.Equal("40", (string?)mapping["request"]!["queryParameters"]!["code"]!["equalTo"]);
        var plain = WireMockTranslator.Mappings(changed).Single(m => m.FileName == "adminbyrequest-events-events.json").Mapping;
        Assert.True((int)mapping["priority"]! < (int)plain["priority"]!);
    }

    [Fact]
    public async Task Real_WireMock_loads_the_mappings_and_serves_the_documented_examples_verbatim()
    {
        var jar = ExternalTools.WireMockJar;
        var dir = Contracts.TempDir("wiremock");
        var written = ContractTranslations.WriteWireMock(Contracts.Everything, dir);
        var port = ExternalTools.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        await using var wiremock = await ToolProcess.StartAsync(
            "java",
            new[] { "-jar", jar, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--root-dir", dir, "--disable-banner" },
            new Uri(baseUrl, "/__admin/health"),
            TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUrl };

        var loaded = JsonNode.Parse(await http.GetStringAsync("/__admin/mappings"))!;
        Assert.Equal(written.Count, (int)loaded["meta"]!["total"]!);

        var served = 0;
        foreach (var contract in Contracts.Everything)
        {
            var prefix = contract.Mock!.Prefix;
            foreach (var endpoint in contract.Endpoints)
            {
                var firstPerRequest = new HashSet<string>(StringComparer.Ordinal);
                foreach (var example in endpoint.Examples)
                {
                    var target = prefix + Target(endpoint, example);
                    foreach (var preferred in new[] { true, false })
                    {
                        if (!preferred && !firstPerRequest.Add(target))
                        {
                            continue;
                        }

                        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), target);
                        Authenticate(request, contract, endpoint);
                        if (preferred)
                        {
                            request.Headers.TryAddWithoutValidation("Prefer", "example=" + example.Name);
                        }

                        using var response = await http.SendAsync(request);
                        var body = await response.Content.ReadAsStringAsync();
                        Assert.True(example.Status == (int)response.StatusCode, $"{contract.Name} {endpoint.Name}/{example.Name} (prefer {preferred}): {(int)response.StatusCode} {body}\n{wiremock.Output}");
                        Assert.Equal(example.Body, body);
                        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? string.Empty, StringComparison.Ordinal);
                        served++;
                    }
                }

                if (endpoint.Security.Count > 0 && contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == 401) is { } unauthorized)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), prefix + System.Text.RegularExpressions.Regex.Replace(endpoint.Path, "{[^}]+}", "1"));
                    using var response = await http.SendAsync(request);
                    Assert.Equal(401, (int)response.StatusCode);
                    Assert.Equal(unauthorized.Body, await response.Content.ReadAsStringAsync());
                }

                if (endpoint.Path.Contains('{', StringComparison.Ordinal) && contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == 404) is { } notFound)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), prefix + System.Text.RegularExpressions.Regex.Replace(endpoint.Path, "{[^}]+}", "1"));
                    Authenticate(request, contract, endpoint);
                    using var response = await http.SendAsync(request);
                    Assert.Equal(404, (int)response.StatusCode);
                    Assert.Equal(notFound.Body, await response.Content.ReadAsStringAsync());
                }
            }
        }

        _output.WriteLine($"{served} example responses served verbatim by WireMock from {written.Count} mappings");
        Assert.True(served >= Contracts.Everything.Sum(c => c.Endpoints.Sum(e => e.Examples.Count)));
    }
}
