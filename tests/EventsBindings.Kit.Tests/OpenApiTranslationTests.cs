using System.Text.Json.Nodes;
using EventsBindings.Kit.Translation;
using EventsBindings.Spec.Model;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace EventsBindings.Kit.Tests;

public class OpenApiTranslationTests
{
    private static (OpenApiDocument Document, OpenApiDiagnostic Diagnostic, JsonObject Raw) RoundTrip(ContractSpec contract, OpenApiTranslationOptions? options = null)
    {
        var json = OpenApiTranslator.ToJson(contract, options);
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.NotNull(result.Document);
        return (result.Document!, result.Diagnostic!, JsonNode.Parse(json)!.AsObject());
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Document_reads_back_without_errors_as_OpenAPI_3_1(string name)
    {
        var (_, diagnostic, raw) = RoundTrip(Contracts.Named(name));
        Assert.True(diagnostic.Errors.Count == 0, string.Join("\n", diagnostic.Errors.Select(e => e.Pointer + ": " + e.Message)));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.StartsWith("3.1", (string?)raw["openapi"]);
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Component_schemas_are_the_json_schema_mapping_of_the_same_models_and_enums(string name)
    {
        // One mapping of the contract's types: OpenAPI 3.1 components are the JSON Schema translator's nodes
        // (only the reference base differs: #/components/schemas/ against #/definitions/).
        var contract = Contracts.Named(name);
        var (_, _, raw) = RoundTrip(contract);
        var components = raw["components"]!["schemas"]!.AsObject();
        foreach (var model in contract.Models)
        {
            var expected = Normalized(JsonSchemaTranslator.ObjectSchema(contract, model));
            var actual = Normalized(components[model.Name]!);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{model.Name}\nJSON Schema: {expected.ToJsonString()}\nOpenAPI:     {actual.ToJsonString()}");
        }

        foreach (var e in contract.Enums)
        {
            var expected = Normalized(JsonSchemaTranslator.EnumSchema(e));
            var actual = Normalized(components[e.Name]!);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{e.Name}\nJSON Schema: {expected.ToJsonString()}\nOpenAPI:     {actual.ToJsonString()}");
        }
    }

    /// <summary>A schema with references reduced to the name they point at, type lists ordered and defaults left out.</summary>
    private static JsonNode Normalized(JsonNode node)
    {
        var copy = node.DeepClone();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    if (o["allOf"] is JsonArray { Count: 1 } all && all[0] is JsonObject { Count: 1 } only && only["$ref"] is not null && o["type"] is null)
                    {
                        o.Remove("allOf"); // a reference wrapped to carry extensions (OpenAPI references carry only a description)
                        o["$ref"] = only["$ref"]!.DeepClone();
                    }

                    if (o["$ref"] is JsonValue r)
                    {
                        o["$ref"] = ((string)r!).Split('/')[^1];
                    }

                    if (o["additionalProperties"] is JsonValue additional && (bool)additional!)
                    {
                        o.Remove("additionalProperties"); // true is JSON Schema's default, which the OpenAPI writer leaves out
                    }

                    if (o["type"] is JsonArray types)
                    {
                        o["type"] = new JsonArray(types.Select(t => (string)t!).Order(StringComparer.Ordinal).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(copy);
        return copy;
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Next_link_and_rate_limit_headers_are_declared_where_the_contract_has_them(string name)
    {
        var contract = Contracts.Named(name);
        var (document, _, _) = RoundTrip(contract);
        var rateLimit = contract.RateLimit is { } r ? new[] { r.Limit, r.Remaining, r.Reset }.OfType<string>().ToList() : new List<string>();
        foreach (var endpoint in contract.Endpoints)
        {
            var operation = document.Paths[endpoint.Path].Operations![new HttpMethod(endpoint.Method)];
            foreach (var (status, response) in operation.Responses!)
            {
                var headers = response.Headers?.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase) ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                Assert.All(rateLimit, h => Assert.True(headers.Contains(h), $"{endpoint.Name} {status}: no {h}"));
                var link = endpoint.Pagination?.NextLink?.Header;
                Assert.Equal(link is not null && status == "200", link is not null && headers.Contains(link));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Document_contains_every_endpoint_and_parameter(string name)
    {
        var contract = Contracts.Named(name);
        var (document, _, _) = RoundTrip(contract);
        foreach (var endpoint in contract.Endpoints)
        {
            Assert.True(document.Paths.TryGetValue(endpoint.Path, out var item), endpoint.Path);
            var operation = item!.Operations![new HttpMethod(endpoint.Method)];
            Assert.Equal(endpoint.Name, operation.OperationId);
            var parameters = operation.Parameters ?? new List<IOpenApiParameter>();
            foreach (var parameter in endpoint.Parameters)
            {
                var expected = parameter.In switch
                {
                    EventsBindings.Spec.Model.ParameterLocation.Path => new[] { Microsoft.OpenApi.ParameterLocation.Path },
                    EventsBindings.Spec.Model.ParameterLocation.Header => new[] { Microsoft.OpenApi.ParameterLocation.Header },
                    EventsBindings.Spec.Model.ParameterLocation.QueryOrHeader => new[] { Microsoft.OpenApi.ParameterLocation.Query, Microsoft.OpenApi.ParameterLocation.Header },
                    _ => new[] { Microsoft.OpenApi.ParameterLocation.Query },
                };
                foreach (var location in expected)
                {
                    var p = parameters.SingleOrDefault(x => x.Name == parameter.WireName && x.In == location);
                    Assert.True(p is not null, $"{endpoint.Name}: {parameter.WireName} in {location}");
                    Assert.Equal(parameter.In == EventsBindings.Spec.Model.ParameterLocation.Path || (parameter.Required && parameter.In != EventsBindings.Spec.Model.ParameterLocation.QueryOrHeader), p!.Required);
                    if (parameter.Type.IsArray && location == Microsoft.OpenApi.ParameterLocation.Query && parameter.Separator == "|")
                    {
                        Assert.Equal(ParameterStyle.PipeDelimited, p.Style);
                        Assert.False(p.Explode);
                        Assert.Equal(JsonSchemaType.Array, p.Schema!.Type);
                    }

                    if (parameter.Maximum is { } max)
                    {
                        Assert.Equal(max.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Schema!.Maximum);
                    }

                    if (parameter.Default is not null)
                    {
                        Assert.NotNull(p.Schema!.Default);
                    }
                }
            }

            Assert.Equal(parameters.Count, endpoint.Parameters.Sum(p => p.In == EventsBindings.Spec.Model.ParameterLocation.QueryOrHeader ? 2 : 1));
            foreach (var error in contract.ErrorsFor(endpoint))
            {
                Assert.True(operation.Responses!.ContainsKey(error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"{endpoint.Name} {error.Status}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Contracts.Names), MemberType = typeof(Contracts))]
    public void Examples_and_error_bodies_are_carried_verbatim(string name)
    {
        var contract = Contracts.Named(name);
        var (_, _, raw) = RoundTrip(contract);
        foreach (var endpoint in contract.Endpoints)
        {
            var operation = raw["paths"]![endpoint.Path]![endpoint.Method.ToLowerInvariant()]!;
            foreach (var example in endpoint.Examples)
            {
                var value = operation["responses"]![example.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]!["application/json"]!["examples"]![example.Name]!["value"];
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example.Body), value), $"{endpoint.Name}/{example.Name}");
            }

            foreach (var error in contract.ErrorsFor(endpoint).Where(e => e.Body is not null))
            {
                var response = operation["responses"]![error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(error.Body!), response["content"]!["application/json"]!["examples"]!["error"]!["value"]));
                foreach (var header in error.Headers)
                {
                    Assert.NotNull(response["headers"]![header.Name]);
                }
            }
        }
    }

    [Fact]
    public void Security_schemes_pagination_sync_and_provenance_are_described()
    {
        var abr = RoundTrip(Contracts.Named("AdminByRequest")).Raw;
        var schemes = abr["components"]!["securitySchemes"]!;
        Assert.Equal("apiKey", (string?)schemes["apiKey"]!["type"]);
        Assert.Equal("header", (string?)schemes["apiKey"]!["in"]);
        Assert.Equal("apikey", (string?)schemes["apiKey"]!["name"]);
        Assert.Equal("basic", (string?)schemes["basic"]!["scheme"]);
        Assert.Equal(2, abr["security"]!.AsArray().Count);
        var events = abr["paths"]!["/events"]!["get"]!;
        Assert.Equal("cursor", (string?)events["x-pagination"]!["strategy"]);
        Assert.Equal("startid", (string?)events["x-pagination"]!["cursor"]!["parameter"]);
        Assert.Equal("idCursor", (string?)events["x-sync"]!["strategy"]);
        Assert.NotNull(abr["x-provenance"]);
        Assert.Contains(events["parameters"]!.AsArray(), p => (string?)p!["name"] == "take" && (string?)p["in"] == "header" && ((string?)p["description"])!.Contains("either", StringComparison.Ordinal));

        var banyan = RoundTrip(Contracts.Named("Banyan"), new OpenApiTranslationOptions { MockServerUrl = new Uri("http://127.0.0.1:5080") }).Raw;
        Assert.Equal("bearer", (string?)banyan["components"]!["securitySchemes"]!["bearer"]!["scheme"]);
        Assert.NotNull(banyan["components"]!["securitySchemes"]!["refresh"]!["x-token-exchange"]);
        Assert.NotNull(banyan["paths"]!["/refresh_token"]!["post"]!["x-token-exchange"]);
        Assert.Equal("refresh", banyan["paths"]!["/refresh_token"]!["post"]!["security"]![0]!.AsObject().Single().Key);
        Assert.Contains(banyan["servers"]!.AsArray(), s => (string?)s!["url"] == "http://127.0.0.1:5080/banyan/api/v1");
        var list = banyan["paths"]!["/events"]!["get"]!;
        Assert.Equal("timeCursor", (string?)list["x-sync"]!["strategy"]);
        Assert.Equal("Retry-After", list["responses"]!["429"]!["headers"]!.AsObject().Single().Key);
        var type = list["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "type")!;
        Assert.Equal("pipeDelimited", (string?)type["style"]);
        Assert.False((bool?)type["explode"] ?? false); // OpenAPI: explode defaults to false for every style but form
    }
}
