using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// Every response the contract tests receive is validated against the kit's JSON Schemas (see
/// <see cref="RecordingHandler"/>); these tests show that the validation runs and that it bites.
/// </summary>
public abstract class SchemaValidationTests
{
    private readonly ClientsFixture _fx;

    protected SchemaValidationTests(ClientsFixture fx) => _fx = fx;

    [Theory]
    [MemberData(nameof(CallableEndpoints))]
    public async Task Every_response_a_client_reads_is_validated_against_its_schema(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        using var client = ClientDriver.Create(_fx, contract);
        await client.CallAsync(endpoint, await _fx.WholeAsync(contract, endpoint));
        Assert.Equal(client.Handler.Sent.Count, client.Handler.Validated);
    }

    public static TheoryData<string, string> CallableEndpoints() => Cases.Endpoints(_ => true);

    public static TheoryData<string, string> EndpointsWithExamples() => Cases.Endpoints(e => e.Examples.Any(x => x.Status == 200));

    [Theory]
    [MemberData(nameof(EndpointsWithExamples))]
    public void A_body_of_the_wrong_shape_is_rejected_with_its_path(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var schemas = ResponseSchemas.For(contract, _fx.ApiBaseAddress(api));
        var example = endpoint.Examples.First(e => e.Status == 200);
        Assert.Empty(schemas.Validate(endpoint, 200, example.Body).Errors);

        // The payload replaced by a value of another JSON type: an object where an array, a number or an object belongs.
        var node = JsonNode.Parse(example.Body)!;
        var wrong = endpoint.Response.Kind == ResponseKind.List || endpoint.Response.Kind == ResponseKind.Count ? (JsonNode)new JsonObject { ["x"] = 1 } : new JsonArray(1);
        if (endpoint.Response.Envelope is { } envelope)
        {
            node[envelope] = wrong;
        }
        else
        {
            node = wrong;
        }

        var (errors, schema) = schemas.Validate(endpoint, 200, node.ToJsonString());
        Assert.NotEmpty(errors);
        Assert.Contains(endpoint.Name, schema, StringComparison.Ordinal);

        if (endpoint.Response.Kind == ResponseKind.List)
        {
            // An item that is no object, after items that conform (and are remembered as conforming).
            var list = JsonNode.Parse(example.Body)!;
            var items = (endpoint.Response.Envelope is { } e ? list[e]! : list).AsArray();
            Assert.NotEmpty(items);
            Assert.Empty(schemas.Validate(endpoint, 200, list.ToJsonString()).Errors);
            items.Add(42);
            var itemErrors = schemas.Validate(endpoint, 200, list.ToJsonString()).Errors;
            Assert.NotEmpty(itemErrors);
            Assert.All(itemErrors, e => Assert.Contains($"[{items.Count - 1}]", e, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_response_that_departs_from_its_schema_fails_the_request_naming_it_the_schema_and_the_errors()
    {
        var contract = TestContracts.Get("AdminByRequest");
        var endpoint = contract.Endpoints.First(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal));
        var baseAddress = _fx.ApiBaseAddress(contract.Name);
        var item = JsonNode.Parse(endpoint.Examples.First(e => e.Status == 200).Body)!.AsArray()[0]!.AsObject();
        var wrong = item.First(p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number).Key;
        item[wrong] = "not a number";
        using var handler = new RecordingHandler(new StubHandler(new JsonArray(item.DeepClone()).ToJsonString())) { Schemas = ResponseSchemas.For(contract, baseAddress) };
        using var http = new HttpClient(handler);
        var target = new Uri(baseAddress, endpoint.Path.TrimStart('/') + "?x=1");

        var ex = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => http.GetAsync(target));
        Assert.Contains("GET " + target, ex.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.Name + ".response.schema.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("#[0]/" + wrong, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Validated);
    }

    private sealed class StubHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });
    }

    [Fact]
    public void Error_bodies_are_validated_against_the_declared_error_model()
    {
        foreach (var contract in Cases.Contracts)
        {
            var schemas = ResponseSchemas.For(contract, _fx.ApiBaseAddress(contract.Name));
            foreach (var endpoint in Cases.Callable(contract))
            {
                foreach (var error in contract.ErrorsFor(endpoint).Where(e => e.Model is not null && e.Body is not null))
                {
                    Assert.Empty(schemas.Validate(endpoint, error.Status, error.Body!).Errors);
                    Assert.NotEmpty(schemas.Validate(endpoint, error.Status, "[]").Errors);
                }
            }
        }
    }

    [Fact]
    public void Requests_are_matched_to_their_endpoint_by_method_and_path()
    {
        foreach (var contract in Cases.Contracts)
        {
            var baseAddress = _fx.ApiBaseAddress(contract.Name);
            var schemas = ResponseSchemas.For(contract, baseAddress);
            foreach (var endpoint in contract.Endpoints)
            {
                var path = System.Text.RegularExpressions.Regex.Replace(endpoint.Path.TrimStart('/'), "{[^}]+}", "123");
                Assert.Same(endpoint, schemas.Match(new HttpMethod(endpoint.Method), new Uri(baseAddress, path + "?a=1")));
            }

            Assert.Null(schemas.Match(HttpMethod.Get, new Uri(baseAddress, "no/such/path")));
        }
    }
}
