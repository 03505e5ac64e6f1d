using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>Every class of bad input, generated from the contracts, gets 400 with a JSON body naming the parameter and the rule.</summary>
[Collection(MockCollection.Name)]
public sealed class BadInputTests
{
    private readonly TestMockServerFixture _fx;

    public BadInputTests(TestMockServerFixture fx) => _fx = fx;

    public static IEnumerable<object[]> Cases()
    {
        foreach (var contract in TestContracts.Specs)
        {
            foreach (var endpoint in contract.Endpoints.Where(e => e.Response.Kind != ResponseKind.Token))
            {
                foreach (var p in endpoint.Parameters)
                {
                    foreach (var (value, rule) in BadValues(contract, p))
                    {
                        yield return new object[] { contract.Name, endpoint.Name, p.WireName, value, rule };
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Value, string Rule)> BadValues(ContractSpec contract, ParameterSpec p)
    {
        var type = p.Type.Element;
        var kind = type.Kind == TypeKind.Enum ? contract.FindEnum(type.Name!)!.UnderlyingType : type.Kind;
        switch (kind)
        {
            case TypeKind.Int32:
            case TypeKind.Int64:
                yield return ("abc", "type");
                yield return ("1.5", "type");
                yield return (kind == TypeKind.Int32 ? "2147483648" : "9223372036854775808", "type");
                if (p.Maximum is { } max)
                {
                    yield return ((max + 1).ToString(CultureInfo.InvariantCulture), "maximum");
                }

                if (p.Minimum is { } min)
                {
                    yield return ((min - 1).ToString(CultureInfo.InvariantCulture), "minimum");
                }

                break;
            case TypeKind.Date:
                yield return ("2024-02-30", "type");
                yield return ("yesterday", "type");
                yield return ("2024-1-5", "type");
                break;
            case TypeKind.Timestamp:
                yield return ("yesterday", "type");
                if (type.Encoding is TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos)
                {
                    yield return ("2024-01-01T00:00:00Z", "type");
                }

                break;
        }

        if (type.Kind == TypeKind.Enum && p.Semantics.Kind is SemanticsKind.AtLeast or SemanticsKind.SortOrder)
        {
            yield return ("bogus", "enum");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_value_gets_400_naming_the_parameter_and_the_rule(string api, string endpointName, string parameter, string value, string rule)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var path = endpoint.Path;
        foreach (var p in endpoint.Parameters.Where(p => p.In == ParameterLocation.Path))
        {
            path = path.Replace("{" + p.WireName + "}", Uri.EscapeDataString(p.WireName == parameter ? value : "1"), StringComparison.Ordinal);
        }

        if (endpoint.FindParameter(parameter)!.In != ParameterLocation.Path)
        {
            path += "?" + parameter + "=" + Uri.EscapeDataString(value);
        }

        var (status, body, response) = await _fx.GetAsync(api, path);
        Assert.Equal(400, status);
        AssertNames(api, body, parameter, rule, response);
    }

    internal static void AssertNames(string api, string body, string parameter, string rule, HttpResponseMessage response)
    {
        // The mock adds no property the contract's 400 body lacks (issue 14, bug 4): the answer has exactly
        // the documented body's properties, and the contract's message field names the parameter (and its
        // parameter field, where the contract has one, holds it).
        var error = TestContracts.Get(api).Errors.Single(e => e.Status == 400);
        var fields = error.Fields!;
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(
            JsonDocument.Parse(error.Body!).RootElement.EnumerateObject().Select(p => p.Name),
            json.EnumerateObject().Select(p => p.Name));
        Assert.Contains("'" + parameter + "'", json.GetProperty(fields.Message!).GetString(), StringComparison.Ordinal);
        if (fields.Parameter is { } named)
        {
            Assert.Equal(parameter, json.GetProperty(named).GetString());
        }

        // The engine's rule is the mock's own header, never the vendor's code: the code field (and the body's copies
        // of the code) carry the documented code of the 400 (issue 14: "errorCode":"maximum" was written).
        Assert.Equal(rule, Assert.Single(response.Headers.GetValues("X-Mock-Rule")));
        if (fields.Code is { } code)
        {
            var documented = JsonDocument.Parse(error.Body!).RootElement.GetProperty(code).GetString();
            Assert.Equal(documented, json.GetProperty(code).GetString());
            Assert.All(fields.CodeCopies, copy => Assert.Equal(documented, json.GetProperty(copy).GetString()));
        }
    }

    [Theory]
    [InlineData("limit=5000", "limit", "maximum", "E0000001")]
    [InlineData("limit=3&limit=4", "limit", "single", "E0000001")]
    [InlineData("filter=eventType%20eq", "filter", "scim", "E0000031")]
    [InlineData("filter=(severity%20eq%20%22WARN%22", "filter", "scim", "E0000031")]
    public async Task An_Okta_400_carries_the_vendors_code_and_keeps_its_copies_consistent(string query, string parameter, string rule, string code)
    {
        var (status, body, response) = await _fx.GetAsync("Okta", "/api/v1/logs?" + query);

        Assert.Equal(400, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("errorCode").GetString());
        Assert.Equal(code, json.GetProperty("errorLink").GetString());
        Assert.Contains("'" + parameter + "'", json.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
        Assert.Equal("oaeQ1w2E3r4T5y6U7i8O9p0", json.GetProperty("errorId").GetString());
        Assert.DoesNotContain(rule, body, StringComparison.Ordinal);
        Assert.Equal(rule, Assert.Single(response.Headers.GetValues("X-Mock-Rule")));
    }

    [Theory]
    [InlineData("AdminByRequest", "/events?take=10001", "take")]
    [InlineData("AdminByRequest", "/events?take=3&take=4", "take")]
    [InlineData("Banyan", "/events?limit=3&limit=4", "limit")]
    public async Task A_400_without_a_code_field_is_the_documented_body_with_only_the_message_written(string api, string path, string parameter)
    {
        var (status, body, _) = await _fx.GetAsync(api, path);

        Assert.Equal(400, status);
        var error = TestContracts.Get(api).Errors.Single(e => e.Status == 400);
        Assert.Null(error.Fields!.Code);
        var json = JsonDocument.Parse(body).RootElement;
        var documented = JsonDocument.Parse(error.Body!).RootElement;
        Assert.Equal(documented.EnumerateObject().Select(p => p.Name), json.EnumerateObject().Select(p => p.Name));
        foreach (var property in documented.EnumerateObject().Where(p => p.Name != error.Fields.Message))
        {
            Assert.Equal(property.Value.GetRawText(), json.GetProperty(property.Name).GetRawText());
        }

        Assert.Contains("'" + parameter + "'", json.GetProperty(error.Fields.Message!).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_400_body_has_the_contracts_error_shape()
    {
        var (status, body, _) = await _fx.GetAsync("AdminByRequest", "/events?take=10001");
        Assert.Equal(400, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Contains("take", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains("10000", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_or_header_parameter_is_validated_as_a_header_too()
    {
        var request = _fx.Request("AdminByRequest", "/events");
        request.Headers.Add("take", "lots");
        var (status, body, response) = await _fx.SendAsync(request);
        Assert.Equal(400, status);
        AssertNames("AdminByRequest", body, "take", "type", response);
    }

    [Fact]
    public async Task A_query_or_header_parameter_works_as_a_header()
    {
        var request = _fx.Request("AdminByRequest", "/events");
        request.Headers.Add("take", "3");
        var (status, body, _) = await _fx.SendAsync(request);
        Assert.Equal(200, status);
        Assert.Equal(3, JsonDocument.Parse(body).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Query_and_header_with_different_values_conflict()
    {
        var request = _fx.Request("AdminByRequest", "/events?take=3");
        request.Headers.Add("take", "4");
        var (status, body, response) = await _fx.SendAsync(request);
        Assert.Equal(400, status);
        AssertNames("AdminByRequest", body, "take", "conflict", response);
    }

    [Fact]
    public async Task A_parameter_given_twice_is_refused()
    {
        var (status, body, response) = await _fx.GetAsync("Banyan", "/events?limit=3&limit=4");
        Assert.Equal(400, status);
        AssertNames("Banyan", body, "limit", "single", response);
    }

    [Fact]
    public async Task An_empty_value_of_a_typed_parameter_is_refused()
    {
        var (status, body, response) = await _fx.GetAsync("Banyan", "/events?after=");
        Assert.Equal(400, status);
        AssertNames("Banyan", body, "after", "type", response);
    }

    [Fact]
    public async Task An_unknown_parameter_is_accepted()
    {
        var colour = "blue-" + Guid.NewGuid().ToString("N");
        var (status, _, _) = await _fx.GetAsync("Banyan", "/events?colour=" + colour);
        Assert.Equal(200, status);
        var entry = Assert.Single(_fx.Requests(new() { Api = "Banyan", Status = 200 }), r => r.Query.Contains(colour, StringComparison.Ordinal));
        Assert.Equal(new[] { "colour" }, entry.UnknownParameters);
        Assert.Equal("Events", entry.Endpoint);
    }

    [Fact]
    public async Task An_unknown_route_is_404_and_a_wrong_method_405()
    {
        Assert.Equal(404, (await _fx.GetAsync("Banyan", "/nothing/here")).Status);
        Assert.Equal(404, (await _fx.Http.GetAsync("/elsewhere")).StatusCode is var s ? (int)s : 0);
        var post = _fx.Request("AdminByRequest", "/events", HttpMethod.Post);
        Assert.Equal(405, (await _fx.SendAsync(post)).Status);
    }

    [Fact]
    public async Task A_bad_fault_header_is_refused()
    {
        var request = _fx.Request("Banyan", "/events");
        request.Headers.Add("X-Mock-Fault", "explode");
        var (status, body, response) = await _fx.SendAsync(request);
        Assert.Equal(400, status);
        AssertNames("Banyan", body, "X-Mock-Fault", "fault", response);
    }
}
