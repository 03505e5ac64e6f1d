using System.Text.Json;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Tests;

/// <summary>
/// The WireMock.Net host answers as the Kestrel host does over the same dataset: one engine, two thin hosts.
/// Every callable endpoint through the generated clients, and raw requests (successes and refusals) byte for byte.
/// </summary>
[Collection(HostsCollection.Name)]
public sealed class SameAnswersTests(HostsFixture hosts)
{
    public static TheoryData<string, string> Endpoints => Cases.Endpoints(_ => true);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_generated_client_gets_the_same_answer_from_both_hosts(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.Endpoints.Single(e => e.Name == endpointName);
        var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
        using var onKestrel = ClientDriver.Create(hosts.Kestrel, contract);
        using var onWireMock = ClientDriver.Create(hosts.WireMock.ApiBaseAddress(api), contract);

        var expected = await onKestrel.CallAsync(endpoint, wire);
        var actual = await onWireMock.CallAsync(endpoint, wire);

        Assert.Equal(expected.GetRawText(), actual.GetRawText());
        if (endpoint.Response.Kind == ResponseKind.List)
        {
            Assert.NotEqual(0, actual.GetArrayLength());
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Raw_answers_are_byte_identical(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.Endpoints.Single(e => e.Name == endpointName);
        var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
        var pathAndQuery = HostsFixture.PathAndQuery(endpoint, wire);

        await AssertSameAsync(api, pathAndQuery, authorized: true, expectedStatus: 200);
        await AssertSameAsync(api, pathAndQuery, authorized: false, expectedStatus: 401);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_parameter_given_twice_is_refused_alike(string api, string endpointName)
    {
        // WireMock.Net's parsed query would keep one value (or split it): the adapter hands the engine the raw query.
        var contract = TestContracts.Get(api);
        var endpoint = contract.Endpoints.Single(e => e.Name == endpointName);
        var wire = await hosts.Kestrel.WholeAsync(contract, endpoint);
        var query = endpoint.Parameters.FirstOrDefault(p => p.In != ParameterLocation.Path && p.Semantics.Kind == SemanticsKind.PageSize)
            ?? endpoint.Parameters.FirstOrDefault(p => p.In != ParameterLocation.Path && wire.ContainsKey(p.WireName));
        if (query is null)
        {
            // Nothing to give twice: the endpoint takes path values only. The answer is still compared.
            await AssertSameAsync(api, HostsFixture.PathAndQuery(endpoint, wire), authorized: true, expectedStatus: 200);
            return;
        }

        var value = wire.TryGetValue(query.WireName, out var given) ? given : "5";
        var pathAndQuery = HostsFixture.PathAndQuery(endpoint, wire);
        pathAndQuery += (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Uri.EscapeDataString(query.WireName) + "=" + Uri.EscapeDataString(value);
        if (!wire.ContainsKey(query.WireName))
        {
            pathAndQuery += "&" + Uri.EscapeDataString(query.WireName) + "=" + Uri.EscapeDataString(value);
        }

        var body = await AssertSameAsync(api, pathAndQuery, authorized: true, expectedStatus: 400);
        Assert.Contains(query.WireName, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_the_contract_does_not_serve_get_the_contracts_404_on_both()
    {
        foreach (var contract in Cases.Contracts)
        {
            await AssertSameAsync(contract.Name, "no-such-endpoint/at-all", authorized: true, expectedStatus: 404);
        }
    }

    [Fact]
    public async Task A_status_fault_asked_for_by_header_is_answered_alike()
    {
        foreach (var contract in Cases.Contracts)
        {
            var endpoint = Cases.Callable(contract).First(e => e.Response.Kind == ResponseKind.List);
            var pathAndQuery = HostsFixture.PathAndQuery(endpoint, await hosts.Kestrel.WholeAsync(contract, endpoint));
            await AssertSameAsync(contract.Name, pathAndQuery, authorized: true, expectedStatus: 503, fault: "503");
        }
    }

    /// <summary>Sends the same request to both hosts; asserts the same status, content type and body bytes (base addresses aside). Returns the body.</summary>
    private async Task<string> AssertSameAsync(string api, string pathAndQuery, bool authorized, int expectedStatus, string? fault = null)
    {
        using var kestrelRequest = authorized ? hosts.Kestrel.Request(api, pathAndQuery) : new HttpRequestMessage(HttpMethod.Get, new Uri(hosts.Kestrel.ApiBaseAddress(api), pathAndQuery));
        using var wireMockRequest = authorized ? hosts.WireMock.Request(api, pathAndQuery) : new HttpRequestMessage(HttpMethod.Get, new Uri(hosts.WireMock.ApiBaseAddress(api), pathAndQuery));
        if (fault is not null)
        {
            kestrelRequest.Headers.Add("X-Mock-Fault", fault);
            wireMockRequest.Headers.Add("X-Mock-Fault", fault);
        }

        using var kestrel = await hosts.Kestrel.Http.SendAsync(kestrelRequest);
        using var wireMock = await hosts.WireMock.Http.SendAsync(wireMockRequest);
        var kestrelBody = HostsFixture.Neutral(await kestrel.Content.ReadAsStringAsync(), hosts.Kestrel.BaseAddress);
        var wireMockBody = HostsFixture.Neutral(await wireMock.Content.ReadAsStringAsync(), hosts.WireMock.BaseAddress);

        Assert.Equal(expectedStatus, (int)kestrel.StatusCode);
        Assert.Equal((int)kestrel.StatusCode, (int)wireMock.StatusCode);
        Assert.Equal(kestrel.Content.Headers.ContentType?.ToString(), wireMock.Content.Headers.ContentType?.ToString());
        Assert.Equal(kestrelBody, wireMockBody);
        if (expectedStatus == 200)
        {
            using var _ = JsonDocument.Parse(wireMockBody);
        }

        return wireMockBody;
    }
}
