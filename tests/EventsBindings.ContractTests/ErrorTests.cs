using System.Text.Json.Nodes;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// Every endpoint the client calls, for each of 400, 401, 403, 404, 429 and 500 (and any other status its
/// contract declares): the status surfaces as the runtime's typed exception, with the contract's meaning
/// for that endpoint, and the credential appears nowhere in it. Statuses are provoked where the mock can
/// (a wrong credential, a credential without access, an unknown id, a bad value forced onto the wire),
/// otherwise injected with the mock's fault header.
/// </summary>
public abstract class ErrorTests
{
    private static readonly int[] Statuses = { 400, 401, 403, 404, 429, 500 };

    private readonly ClientsFixture _fx;

    protected ErrorTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, int> EndpointStatuses()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                foreach (var status in Statuses.Union(contract.ErrorsFor(endpoint).Select(e => e.Status)).Order())
                {
                    data.Add(contract.Name, endpoint.Name, status);
                }
            }
        }

        return data;
    }

    public static Type ExpectedType(int status) => status switch
    {
        401 => typeof(EventsAuthenticationException),
        403 => typeof(EventsAuthorizationException),
        404 => typeof(EventsNotFoundException),
        429 => typeof(EventsThrottledException),
        >= 500 => typeof(EventsServerException),
        _ => typeof(EventsRequestException),
    };

    [Theory]
    [MemberData(nameof(EndpointStatuses))]
    public async Task The_status_surfaces_as_the_runtimes_typed_exception_with_the_contracts_meaning_and_no_secret(string api, string endpointName, int status)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var universe = await _fx.UniverseAsync(contract, endpoint);
        var wire = await _fx.WholeAsync(contract, endpoint);
        var secret = contract.Mock!.Credentials.First(c => c.Access == CredentialAccess.Read && contract.FindScheme(c.Scheme)!.Kind != AuthKind.RefreshToken).Value;
        var injected = false;
        Action<ClientDriver>? arrange = null;

        switch (status)
        {
            case 401:
                secret = "wrong-" + Guid.NewGuid().ToString("N");
                break;
            case 403 when contract.Mock.Credentials.FirstOrDefault(c => c.Access == CredentialAccess.None) is { } none:
                secret = none.Value;
                break;
            case 404 when endpoint.Response.Kind == ResponseKind.Item:
                var idParam = endpoint.Parameters.First(p => p.In == ParameterLocation.Path);
                wire[idParam.WireName] = Unknown(contract, idParam, universe);
                break;
            case 400 when endpoint.Parameters.FirstOrDefault(p => p.In != ParameterLocation.Path && (p.Maximum ?? p.Minimum) is not null) is { } bounded:
                var (bound, beyond) = bounded.Maximum is { } max ? (max, max + 1) : (bounded.Minimum!.Value, bounded.Minimum.Value - 1);
                wire[bounded.WireName] = ClientsFixture.Text(bound);
                arrange = c => c.Handler.Rewrite = uri => BoundsTests.Rewrite(uri, bounded.WireName, ClientsFixture.Text(beyond));
                break;
            default:
                injected = true;
                break;
        }

        using var client = ClientDriver.Create(_fx, contract, new EventsKeyCredential(secret));
        arrange?.Invoke(client);
        if (injected)
        {
            client.Handler.Headers["X-Mock-Fault"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => client.CallAsync(endpoint, wire));
        Assert.Equal(ExpectedType(status), ex.GetType());
        Assert.Equal(status, ex.Status);
        Assert.Single(client.Handler.Sent);
        var declared = contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == status);
        if (declared is not null)
        {
            Assert.Equal(declared.Meaning, ex.Meaning);
            Assert.Contains(declared.Meaning.TrimEnd('.'), ex.Message, StringComparison.Ordinal);
            if (declared.Body is { } body && status != 400)
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(ex.BodyExcerpt!)), ex.BodyExcerpt);
            }

            if (status == 429 && declared.Headers.FirstOrDefault(h => h.Name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)) is { } retryAfter)
            {
                Assert.Equal(TimeSpan.FromSeconds(double.Parse(retryAfter.Value, System.Globalization.CultureInfo.InvariantCulture)), ((EventsThrottledException)ex).RetryAfter);
            }
        }

        Assert.Equal(status is 408 or 429 or >= 500, ex.IsTransient);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.BodyExcerpt ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>An id that no item has, of the path parameter's type.</summary>
    public static string Unknown(ContractSpec contract, ParameterSpec idParam, IEnumerable<System.Text.Json.JsonElement> universe) =>
        idParam.Type.Kind is TypeKind.Int32 or TypeKind.Int64
            ? ClientsFixture.Text(universe.Max(i => long.Parse(Walker.Id(i, contract), System.Globalization.CultureInfo.InvariantCulture)) + 1_000_000)
            : Guid.NewGuid().ToString();

    public static TheoryData<string, int> TransientStatuses()
    {
        var data = new TheoryData<string, int>();
        foreach (var contract in Cases.Contracts)
        {
            data.Add(contract.Name, 429);
            data.Add(contract.Name, 500);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public async Task With_retries_on_a_persistent_transient_status_is_retried_then_surfaces_typed(string api, int status)
    {
        var contract = TestContracts.Get(api);
        var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List);
        var wire = await _fx.WholeAsync(contract, endpoint);
        using var client = ClientDriver.Create(_fx, contract, configure: o =>
        {
            o.Retry.MaxRetries = 2;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Retry.UseJitter = false;
            o.AttemptTimeout = null;
            o.OverallTimeout = null;
            o.TimeProvider = new ScaledTimeProvider();
        });
        client.Handler.Headers["X-Mock-Fault"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var marker = ClientsFixture.Mark(client);

        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => client.CallAsync(endpoint, wire));
        Assert.Equal(ExpectedType(status), ex.GetType());
        Assert.Equal(3, client.Handler.Sent.Count);
        if (ex is EventsThrottledException throttled)
        {
            Assert.NotNull(throttled.RetryAfter);
        }

        var journaled = await _fx.JournaledAsync(marker);
        Assert.Equal(3, journaled.Count);
        Assert.All(journaled, j => Assert.Equal(status, j.Status));
    }

    public static TheoryData<string, string, int> MeaningsOfOtherEndpoints()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                var own = contract.ErrorsFor(endpoint).Select(e => e.Status).ToHashSet();
                foreach (var status in contract.Endpoints.SelectMany(e => contract.ErrorsFor(e)).Select(e => e.Status).Distinct().Where(s => !own.Contains(s)))
                {
                    data.Add(contract.Name, endpoint.Name, status);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MeaningsOfOtherEndpoints))]
    public async Task A_status_the_endpoint_does_not_declare_carries_no_other_endpoints_meaning(string api, string endpointName, int status)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var wire = await _fx.WholeAsync(contract, endpoint);
        using var client = ClientDriver.Create(_fx, contract);
        client.Handler.Headers["X-Mock-Fault"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => client.CallAsync(endpoint, wire));
        Assert.Equal(status, ex.Status);
        Assert.Null(ex.Meaning);
    }
}
