using System.Text.Json.Nodes;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>The documented examples, fetched through the client by their id (or their request), equal the documented JSON.</summary>
public abstract class ExampleTests
{
    private readonly ClientsFixture _fx;

    protected ExampleTests(ClientsFixture fx) => _fx = fx;

    /// <summary>Examples of list and item endpoints of models that carry the dataset's id field.</summary>
    public static TheoryData<string, string, string> Examples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind is ResponseKind.List or ResponseKind.Item))
            {
                foreach (var example in endpoint.Examples.Where(x => x.Status == 200))
                {
                    data.Add(contract.Name, endpoint.Name, example.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_documented_example_fetched_through_the_client_equals_the_documented_json(string api, string endpointName, string exampleName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var example = endpoint.Examples.Single(x => x.Name == exampleName);
        var idField = contract.Mock!.Id!.Field;
        using var client = ClientDriver.Create(_fx, contract);
        var payload = JsonNode.Parse(example.Body)!;

        if (endpoint.Response.Kind == ResponseKind.Item)
        {
            // The example's request, or else its id, gives the path values.
            var wire = example.RequestPath is { } requestPath ? PathValues(endpoint, requestPath) : new Dictionary<string, string> { [endpoint.Parameters.Single(p => p.In == ParameterLocation.Path).WireName] = payload[idField]!.ToString() };
            foreach (var q in example.RequestQuery)
            {
                wire[q.Name] = q.Value;
            }

            var item = await client.ItemAsync(endpoint, wire);
            Assert.True(JsonNode.DeepEquals(payload, JsonNode.Parse(item.GetRawText())), $"documented {example.Body}\nclient {item.GetRawText()}");
            return;
        }

        var items = (endpoint.Response.Envelope is { } env ? payload[env] : payload)!.AsArray();
        Assert.NotEmpty(items);

        // A filter of this endpoint that selects by the id, or else the whole list.
        var byId = endpoint.Parameters.FirstOrDefault(p => p.In != ParameterLocation.Path && p.Semantics.Kind == SemanticsKind.EqualTo && p.Semantics.Field == idField);
        var whole = await _fx.WholeAsync(contract, endpoint);
        if (endpoint.Pagination?.PageSizeParameter is { } size && endpoint.FindParameter(size)!.Maximum is { } max)
        {
            whole[size] = ClientsFixture.Text(max);
        }

        var all = byId is null ? await client.ListAsync(endpoint, whole) : null;
        foreach (var documented in items)
        {
            var id = documented![idField]!.ToString();
            var found = byId is null
                ? all!.Where(i => Walker.Id(i, contract) == id).ToList()
                : await client.ListAsync(endpoint, new Dictionary<string, string>(whole) { [byId.WireName] = id });
            var item = Assert.Single(found);
            Assert.True(JsonNode.DeepEquals(documented, JsonNode.Parse(item.GetRawText())), $"documented {documented.ToJsonString()}\nclient {item.GetRawText()}");
        }
    }

    /// <summary>The path values of a concrete request path, read against the endpoint's template.</summary>
    private static Dictionary<string, string> PathValues(EndpointSpec endpoint, string requestPath)
    {
        var template = endpoint.Path.Split('/');
        var actual = requestPath.Split('?')[0].Split('/');
        Assert.Equal(template.Length, actual.Length);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{') && template[i].EndsWith('}'))
            {
                values[template[i][1..^1]] = Uri.UnescapeDataString(actual[i]);
            }
            else
            {
                Assert.Equal(template[i], actual[i]);
            }
        }

        return values;
    }
}

/// <summary>
/// Every auth scheme of every contract, through the client against the mock: the scheme's demo credential
/// reads, sent where the scheme says; a refresh token is exchanged at the contract's endpoint first.
/// </summary>
public abstract class AuthTests
{
    private readonly ClientsFixture _fx;

    protected AuthTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string> Schemes()
    {
        var data = new TheoryData<string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var scheme in contract.AuthSchemes)
            {
                data.Add(contract.Name, scheme.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task The_schemes_demo_credential_reads_through_the_client(string api, string schemeName)
    {
        var contract = TestContracts.Get(api);
        var scheme = contract.FindScheme(schemeName)!;
        var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal));
        var readers = contract.Mock!.Credentials.Where(c => c.Access == CredentialAccess.Read).ToList();

        // The scheme's own demo credential, or else (a scheme that carries the same key differently, such
        // as Basic with the API key as password) the value of another reading credential.
        var value = (readers.FirstOrDefault(c => c.Scheme == scheme.Name) ?? readers.First(c => contract.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken)).Value;
        EventsCredential credential = scheme.Kind == AuthKind.RefreshToken ? new RefreshTokenCredential(value) : new EventsKeyCredential(value);
        using var client = ClientDriver.Create(_fx, contract, credential, o => o.AuthScheme = scheme.Name);

        var page = await client.PageAsync(endpoint, await _fx.WholeAsync(contract, endpoint));
        Assert.NotEmpty(page.Items);

        var requests = client.Handler.Requests;
        var read = requests[^1];
        switch (scheme.Kind)
        {
            case AuthKind.ApiKey:
                Assert.Contains(scheme.Header!, read.HeaderNames, StringComparer.OrdinalIgnoreCase);
                Assert.Null(read.Authorization);
                break;
            case AuthKind.Basic:
                Assert.StartsWith("Basic ", read.Authorization, StringComparison.Ordinal);
                break;
            case AuthKind.Bearer:
                Assert.Equal("Bearer " + value, read.Authorization);
                break;
            case AuthKind.Authorization:
                Assert.Equal(scheme.AuthorizationScheme + " " + value, read.Authorization);
                break;
            case AuthKind.RefreshToken:
                var exchange = contract.FindEndpoint(scheme.ExchangeEndpoint!)!;
                Assert.Equal(2, requests.Count);
                Assert.Equal(exchange.Method, requests[0].Method.Method);
                Assert.EndsWith(exchange.Path, requests[0].Uri.AbsolutePath, StringComparison.Ordinal);
                Assert.Equal("Bearer " + value, requests[0].Authorization);
                Assert.StartsWith("Bearer ", read.Authorization, StringComparison.Ordinal);
                Assert.NotEqual("Bearer " + value, read.Authorization);
                break;
        }
    }

    /// <summary>The schemes whose credential is sent as it is (a refresh token is exchanged first: see the theory above).</summary>
    public static TheoryData<string, string> SentSchemes()
    {
        var data = new TheoryData<string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var scheme in contract.AuthSchemes.Where(s => s.Kind != AuthKind.RefreshToken))
            {
                data.Add(contract.Name, scheme.Name);
            }
        }

        return data;
    }

    /// <summary>
    /// Over plain HTTP: the scheme's demo credential, sent as the scheme says, reads (200); no credential is 401;
    /// a token of a custom Authorization scheme is 401 under another scheme name (Bearer), without the space,
    /// or empty, and still reads with the scheme name in another case.
    /// </summary>
    [Theory]
    [MemberData(nameof(SentSchemes))]
    public async Task The_scheme_reads_and_other_presentations_are_401(string api, string schemeName)
    {
        var contract = TestContracts.Get(api);
        var scheme = contract.FindScheme(schemeName)!;

        var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal) && e.Security.Contains(scheme.Name));
        var path = endpoint.Path.TrimStart('/') + "?" + Walker.Query(await _fx.WholeAsync(contract, endpoint));
        async Task<int> Status(Action<HttpRequestMessage> authorize)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fx.ApiBaseAddress(api), path));
            authorize(request);
            var (status, _, response) = await _fx.SendAsync(request);
            response.Dispose();
            return status;
        }

        Assert.Equal(401, await Status(_ => { }));

        var credential = _fx.Apis.Single(a => a.Name == api).Credentials.FirstOrDefault(c => c.Scheme == scheme.Name && c.CanRead)
            ?? _fx.Credential(api);
        Assert.Equal(200, await Status(r => MockServerFixture.Authorize(r, credential with { Kind = scheme.Kind.ToString(), Header = scheme.Header, AuthorizationScheme = scheme.AuthorizationScheme })));
        if (scheme.Kind == AuthKind.Authorization && scheme.AuthorizationScheme is { } name)
        {
            var token = credential.Value;
            Assert.Equal(200, await Status(r => r.Headers.TryAddWithoutValidation("Authorization", name.ToLowerInvariant() + " " + token)));
            if (!endpoint.Security.Any(s => contract.FindScheme(s)!.Kind is AuthKind.Bearer or AuthKind.RefreshToken) || contract.Mock!.Credentials.Any(c => c.Value == token && contract.FindScheme(c.Scheme)!.Kind == AuthKind.Authorization))
            {
                Assert.Equal(401, await Status(r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token)));
            }

            Assert.Equal(401, await Status(r => r.Headers.TryAddWithoutValidation("Authorization", name + token)));
            Assert.Equal(401, await Status(r => r.Headers.TryAddWithoutValidation("Authorization", name + " ")));
        }
    }

    /// <summary>
    /// A relative default (<c>default: { relativeTo, offset }</c>) is executed: leaving the parameter out
    /// answers as sending (relativeTo's value, or now) plus the offset, per the oracle.
    /// </summary>
    [Fact]
    public async Task An_absent_parameter_with_a_relative_default_answers_as_its_computed_value()
    {
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract).Where(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal)))
            {
                foreach (var p in endpoint.Parameters.Where(p => p.RelativeDefault is not null))
                {
                    var anchorValues = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var withAnchor in new[] { false, true })
                    {
                        if (withAnchor && p.RelativeDefault!.RelativeTo is { } other && endpoint.FindParameter(other) is { } anchor)
                        {
                            anchorValues[other] = Oracle.WireText(anchor.Type, TestMockServerFixture.Now.AddDays(-3));
                        }
                        else if (withAnchor)
                        {
                            continue;
                        }

                        var computed = new Dictionary<string, string>(anchorValues, StringComparer.Ordinal) { [p.WireName] = Oracle.RelativeDefault(endpoint, p, anchorValues, TestMockServerFixture.Now) };
                        var absent = await Walker.AllAsync(_fx, contract, endpoint, new Dictionary<string, string>(anchorValues));
                        var sent = await Walker.AllAsync(_fx, contract, endpoint, computed);
                        Assert.Equal(sent.Select(i => Walker.Id(i, contract)), absent.Select(i => Walker.Id(i, contract)));
                        var universe = await _fx.UniverseAsync(contract, endpoint);
                        Assert.Equal(Universe.Expected(contract, endpoint, anchorValues, universe, TestMockServerFixture.Now).Select(i => Walker.Id(i, contract)), absent.Select(i => Walker.Id(i, contract)));
                    }
                }
            }
        }
    }

    public static TheoryData<string, string> RefreshSchemes()
    {
        var data = new TheoryData<string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var scheme in contract.AuthSchemes.Where(s => s.Kind == AuthKind.RefreshToken))
            {
                data.Add(contract.Name, scheme.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefreshSchemes))]
    public async Task A_wrong_refresh_token_is_the_runtimes_authentication_exception_without_the_token(string api, string schemeName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List);
        var secret = "wrong-refresh-" + Guid.NewGuid().ToString("N");
        using var client = ClientDriver.Create(_fx, contract, new RefreshTokenCredential(secret), o => o.AuthScheme = schemeName);
        var ex = await Assert.ThrowsAsync<EventsAuthenticationException>(() => client.PageAsync(endpoint, new Dictionary<string, string>()));
        Assert.Equal(401, ex.Status);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }
}
