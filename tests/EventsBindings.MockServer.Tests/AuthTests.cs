using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>Demo credentials, 401/403 with the contracts' bodies, and the refresh-token exchange.</summary>
[Collection(MockCollection.Name)]
public sealed class AuthTests
{
    private readonly TestMockServerFixture _fx;

    public AuthTests(TestMockServerFixture fx) => _fx = fx;

    private HttpRequestMessage Raw(string api, string path, HttpMethod? method = null) =>
        new(method ?? HttpMethod.Get, new Uri(_fx.Host.ApiBaseAddress(api), path.TrimStart('/')));

    private static void AssertErrorBody(string api, int status, string body)
    {
        var error = TestContracts.Get(api).Errors.Single(e => e.Status == status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(error.Body!), JsonNode.Parse(body)), body);
    }

    [Fact]
    public async Task Abr_without_a_key_is_401_with_the_contracts_body()
    {
        var (status, body, _) = await _fx.SendAsync(Raw("AdminByRequest", "/events"));
        Assert.Equal(401, status);
        Assert.Equal("{\"Message\":\"Invalid API key\"}", body);
    }

    [Fact]
    public async Task Abr_with_a_wrong_key_is_401()
    {
        var request = Raw("AdminByRequest", "/events");
        request.Headers.Add("apikey", "abr-demo-kez");
        var (status, body, _) = await _fx.SendAsync(request);
        Assert.Equal(401, status);
        AssertErrorBody("AdminByRequest", 401, body);
    }

    [Fact]
    public async Task Abr_accepts_the_key_in_its_header_and_as_the_basic_password()
    {
        var header = Raw("AdminByRequest", "/events?take=1");
        header.Headers.Add("apikey", "abr-demo-key");
        Assert.Equal(200, (await _fx.SendAsync(header)).Status);

        var basic = Raw("AdminByRequest", "/events?take=1");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:abr-demo-key")));
        Assert.Equal(200, (await _fx.SendAsync(basic)).Status);

        var wrongBasic = Raw("AdminByRequest", "/events?take=1");
        wrongBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("abr-demo-key:nope")));
        Assert.Equal(401, (await _fx.SendAsync(wrongBasic)).Status);
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("wrong-token", 401)]
    [InlineData("banyan-demo-token", 200)]
    [InlineData("banyan-noscope-token", 403)]
    [InlineData("banyan-demo-refresh", 401)]
    public async Task Banyan_bearer_tokens(string? token, int expected)
    {
        var request = Raw("Banyan", "/events?limit=1");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var (status, body, _) = await _fx.SendAsync(request);
        Assert.Equal(expected, status);
        if (status != 200)
        {
            AssertErrorBody("Banyan", status, body);
        }
    }

    [Fact]
    public async Task The_refresh_token_is_exchanged_for_an_access_token_that_reads()
    {
        var exchange = Raw("Banyan", "/refresh_token", HttpMethod.Post);
        exchange.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "banyan-demo-refresh");
        var (status, body, _) = await _fx.SendAsync(exchange);
        Assert.Equal(200, status);
        var tokenField = TestContracts.Get("Banyan").AuthSchemes.Single(s => s.ExchangeEndpoint is not null).TokenField!;
        var token = JsonDocument.Parse(body).RootElement.GetProperty(tokenField).GetString()!;

        var read = Raw("Banyan", "/events/count");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(200, (await _fx.SendAsync(read)).Status);

        // The access token is not a refresh token.
        var again = Raw("Banyan", "/refresh_token", HttpMethod.Post);
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(401, (await _fx.SendAsync(again)).Status);
    }

    [Fact]
    public async Task An_api_key_is_exchanged_where_the_contract_lets_the_exchange_take_one()
    {
        // The contract's exchange lists the bearer scheme beside the refresh scheme (the official SDK
        // sends its API key there): a key that reads gets an access token that reads; a key that may
        // not read is refused with 403; the exchange of a refresh-only contract would give 401.
        var contract = TestContracts.Get("Banyan");
        var exchangeEndpoint = contract.FindEndpoint(contract.AuthSchemes.Single(s => s.ExchangeEndpoint is not null).ExchangeEndpoint!)!;
        Assert.Contains(exchangeEndpoint.Security, name => contract.FindScheme(name)!.Kind == AuthKind.Bearer);

        var key = Raw("Banyan", "/refresh_token", HttpMethod.Post);
        key.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "banyan-demo-token");
        var (status, body, _) = await _fx.SendAsync(key);
        Assert.Equal(200, status);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("Message").GetString()!;
        Assert.NotEqual("banyan-demo-token", token);

        var read = Raw("Banyan", "/events/count");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(200, (await _fx.SendAsync(read)).Status);

        var noScope = Raw("Banyan", "/refresh_token", HttpMethod.Post);
        noScope.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "banyan-noscope-token");
        Assert.Equal(403, (await _fx.SendAsync(noScope)).Status);
        var wrong = Raw("Banyan", "/refresh_token", HttpMethod.Post);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        Assert.Equal(401, (await _fx.SendAsync(wrong)).Status);
    }

    [Fact]
    public async Task Auth_is_checked_before_parameters()
    {
        var (status, _, _) = await _fx.SendAsync(Raw("AdminByRequest", "/events?take=abc"));
        Assert.Equal(401, status);
    }
}
