using EventsBindings.Runtime.Tests.Support;
using Xunit;

namespace EventsBindings.Runtime.Tests;

/// <summary>Access tokens are cached per options instance (one DI registration), base URL and scheme.</summary>
public sealed class TokenCacheSharingTests
{
    private static readonly string TwoItems = TestApi.Json(TestApi.Items(1, 2));

    private static Task<LoopbackServer> TokenServerAsync()
    {
        var exchanges = 0;
        return LoopbackServer.StartAsync(c => c.Request.Path == "/api/token"
            ? c.WriteJsonAsync("{\"access\":\"access-" + Interlocked.Increment(ref exchanges) + "\"}")
            : c.WriteJsonAsync(TwoItems));
    }

    [Fact]
    public async Task Pipelines_built_with_one_options_instance_exchange_the_refresh_token_once()
    {
        await using var server = await TokenServerAsync();
        var options = TestApi.FastOptions();
        var credential = new RefreshTokenCredential("refresh-shared");

        await TestApi.Pipeline(server, credential, options).GetItemsAsync();
        await TestApi.Pipeline(server, credential, options).GetItemsAsync();

        Assert.Equal(1, server.Count("/api/token"));
        Assert.All(server.Requests.Where(r => r.Path == "/api/items"), r => Assert.Equal("Bearer access-1", r.Header("Authorization")));
    }

    [Fact]
    public async Task Separate_options_or_another_base_url_exchange_again()
    {
        await using var server = await TokenServerAsync();
        await using var other = await TokenServerAsync();
        var credential = new RefreshTokenCredential("refresh-shared");
        var shared = TestApi.FastOptions();

        await TestApi.Pipeline(server, credential, shared).GetItemsAsync();
        await TestApi.Pipeline(server, credential, TestApi.FastOptions()).GetItemsAsync();
        await TestApi.Pipeline(other, credential, shared).GetItemsAsync();

        Assert.Equal(2, server.Count("/api/token"));
        Assert.Equal(1, other.Count("/api/token"));
    }

    [Fact]
    public async Task A_changed_refresh_token_is_exchanged_even_with_a_shared_cache()
    {
        await using var server = await TokenServerAsync();
        var options = TestApi.FastOptions();

        await TestApi.Pipeline(server, new RefreshTokenCredential("refresh-one"), options).GetItemsAsync();
        await TestApi.Pipeline(server, new RefreshTokenCredential("refresh-two"), options).GetItemsAsync();

        Assert.Equal(new[] { "Bearer refresh-one", "Bearer refresh-two" }, server.Requests.Where(r => r.Path == "/api/token").Select(r => r.Header("Authorization")));
        Assert.Equal("Bearer access-2", server.Requests.Last().Header("Authorization"));
    }
}
