using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EventsBindings.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Abr = EventsBindings.AdminByRequest;
using Banyan = EventsBindings.Banyan;

namespace EventsBindings.Clients.Tests;

/// <summary>
/// The generated <c>Add&lt;Api&gt;Client</c> registrations, against an in-process handler that answers the
/// contract's token exchange and counts what it is sent.
/// </summary>
public sealed class DependencyInjectionTests
{
    private const string Endpoint = "http://di.test/api/v1/";

    [Fact]
    public async Task Two_resolved_clients_of_one_registration_exchange_the_refresh_token_once()
    {
        var handler = new TokenExchangeHandler();
        var services = new ServiceCollection();
        services.AddBanyanClient(new RefreshTokenCredential("refresh-secret-1"), o => o.Endpoint = new Uri(Endpoint))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<Banyan.BanyanClient>();
        var second = provider.GetRequiredService<Banyan.BanyanClient>();
        Assert.NotSame(first, second);
        await first.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();
        await second.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();

        Assert.Equal(1, handler.Count("/api/v1/refresh_token"));
        Assert.Equal(2, handler.Count("/api/v1/events"));
        Assert.All(handler.Authorizations("/api/v1/events"), a => Assert.Equal("Bearer access-1", a));
    }

    [Fact]
    public async Task Options_are_built_once_per_registration_not_per_client()
    {
        var handler = new TokenExchangeHandler();
        var configured = 0;
        var services = new ServiceCollection();
        services.AddBanyanClient(new EventsKeyCredential("key-1"), o =>
        {
            configured++;
            o.Endpoint = new Uri(Endpoint);
            o.UserAgent = "di-test/" + configured;
        }).ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(0, configured);
        for (var i = 0; i < 3; i++)
        {
            await provider.GetRequiredService<Banyan.BanyanClient>().GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();
        }

        Assert.Equal(1, configured);
        Assert.All(handler.UserAgents, ua => Assert.StartsWith("di-test/1 ", ua, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Named_registrations_give_each_tenant_its_credential_endpoint_and_token_cache()
    {
        var handler = new TokenExchangeHandler();
        var services = new ServiceCollection();
        services.AddBanyanClient("tenant-a", new RefreshTokenCredential("refresh-a"), o => o.Endpoint = new Uri("http://a.test/api/v1/"))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        services.AddBanyanClient("tenant-b", _ => new EventsKeyCredential("key-b"), o => o.Endpoint = new Uri("http://b.test/api/v1/"))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IEventsClientFactory<Banyan.BanyanClient>>();

        var a = factory.Create("tenant-a");
        var b = provider.GetRequiredKeyedService<Banyan.BanyanClient>("tenant-b");
        await a.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();
        await factory.Create("tenant-a").GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();
        await b.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();

        Assert.Equal(new Uri("http://a.test/api/v1/"), a.Endpoint);
        Assert.Equal(new Uri("http://b.test/api/v1/"), b.Endpoint);
        Assert.Equal(1, handler.Count("/api/v1/refresh_token"));
        Assert.Equal(new[] { "Bearer refresh-a" }, handler.Authorizations("/api/v1/refresh_token"));
        Assert.Equal(new[] { "a.test Bearer access-1", "a.test Bearer access-1", "b.test Bearer key-b" }, handler.EventRequests);
        var missing = Assert.Throws<InvalidOperationException>(() => factory.Create("tenant-c"));
        Assert.Contains("'tenant-c'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'tenant-a'", missing.Message, StringComparison.Ordinal);
        Assert.Null(provider.GetService<Banyan.BanyanClient>());
    }

    [Fact]
    public async Task A_configuration_section_binds_endpoint_credential_and_options()
    {
        var handler = new TokenExchangeHandler();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Banyan:Endpoint"] = Endpoint,
            ["Banyan:RefreshToken"] = "refresh-from-config",
            ["Banyan:UserAgent"] = "configured/2.0",
            ["Banyan:AttemptTimeout"] = "00:00:07",
            ["Banyan:Retry:MaxRetries"] = "1",
            ["Banyan:Strictness"] = "strict",
        }).Build();
        var services = new ServiceCollection();
        Banyan.BanyanClientOptions? seen = null;
        services.AddBanyanClient(configuration.GetSection("Banyan"), o => seen = o).ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<Banyan.BanyanClient>();
        await client.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();

        Assert.Equal(new Uri(Endpoint), client.Endpoint);
        Assert.Equal(new[] { "Bearer refresh-from-config" }, handler.Authorizations("/api/v1/refresh_token"));
        Assert.NotNull(seen);
        Assert.Equal(TimeSpan.FromSeconds(7), seen.AttemptTimeout);
        Assert.Equal(1, seen.Retry.MaxRetries);
        Assert.Equal(EventsBindings.Runtime.Json.JsonStrictness.Strict, seen.Strictness);
        Assert.All(handler.UserAgents, ua => Assert.StartsWith("configured/2.0 ", ua, StringComparison.Ordinal));
    }

    [Fact]
    public void A_configured_server_name_picks_the_contract_server_and_a_bad_value_names_its_key_only()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Abr:Server"] = "usa",
            ["Abr:ApiKey"] = "abr-secret-key",
            ["Bad:ApiKey"] = "bad-secret-key",
            ["Bad:OverallTimeout"] = "bad-secret-key-as-timeout",
            ["None:Endpoint"] = Endpoint,
        }).Build();
        var services = new ServiceCollection();
        services.AddAdminByRequestClient(configuration.GetSection("Abr"));
        services.AddAdminByRequestClient("bad", configuration.GetSection("Bad"));
        services.AddAdminByRequestClient("none", configuration.GetSection("None"));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IEventsClientFactory<Abr.AdminByRequestClient>>();

        Assert.Equal(new Uri("https://dc2api.adminbyrequest.com"), provider.GetRequiredService<Abr.AdminByRequestClient>().Endpoint);
        var bad = Assert.Throws<InvalidOperationException>(() => factory.Create("bad"));
        Assert.Contains("'Bad:OverallTimeout'", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", bad.Message, StringComparison.Ordinal);
        var none = Assert.Throws<InvalidOperationException>(() => factory.Create("none"));
        Assert.Contains("'None'", none.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_variables_of_a_templated_server_bind_from_their_subsection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Okta:ServerVariables:yourOktaDomain"] = "acme.okta.com",
            ["Okta:ApiKey"] = "okta-key",
        }).Build();
        var services = new ServiceCollection();
        services.AddOktaClient(configuration.GetSection("Okta"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(new Uri("https://acme.okta.com"), provider.GetRequiredService<EventsBindings.Okta.OktaClient>().Endpoint);
    }

    [Fact]
    public async Task A_reloaded_api_key_is_used_by_the_next_request()
    {
        var handler = new TokenExchangeHandler();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Banyan:Endpoint"] = Endpoint,
            ["Banyan:ApiKey"] = "key-before",
        }).Build();
        var services = new ServiceCollection();
        services.AddBanyanClient(configuration.GetSection("Banyan")).ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<Banyan.BanyanClient>();

        await client.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();
        configuration["Banyan:ApiKey"] = "key-after";
        await client.GetEventsAsync(new Banyan.EventsQuery { Limit = 10 }).AsPages().FirstAsync();

        Assert.Equal(new[] { "Bearer key-before", "Bearer key-after" }, handler.Authorizations("/api/v1/events"));
    }

    /// <summary>Answers the token exchange with a numbered access token and every other request with an empty page.</summary>
    internal sealed class TokenExchangeHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<(string Host, string Path, string? Authorization, string? UserAgent)> _seen = new();
        private int _exchanges;

        public int Count(string path) => _seen.Count(s => s.Path == path);

        public IEnumerable<string?> Authorizations(string path) => _seen.Where(s => s.Path == path).Select(s => s.Authorization);

        public IEnumerable<string> EventRequests => _seen.Where(s => s.Path.EndsWith("/events", StringComparison.Ordinal)).Select(s => s.Host + " " + s.Authorization);

        public IEnumerable<string> UserAgents => _seen.Select(s => s.UserAgent ?? string.Empty);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            _seen.Enqueue((
                request.RequestUri.Host,
                path,
                request.Headers.TryGetValues("Authorization", out var values) ? values.Single() : null,
                request.Headers.TryGetValues("User-Agent", out var agents) ? string.Join(" ", agents) : null));
            var body = path.EndsWith("/refresh_token", StringComparison.Ordinal)
                ? "{\"Message\":\"access-" + Interlocked.Increment(ref _exchanges) + "\"}"
                : "{\"data\":[]}";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
