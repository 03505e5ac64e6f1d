using System.Text.Json;
using EventsBindings.Kit.Translation;
using EventsBindings.Kit.Verify;
using EventsBindings.MockServer.Hosting;
using EventsBindings.MockServer.Xunit;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit.Abstractions;

namespace EventsBindings.Kit.Tests;

/// <summary>The kit over the test contract <c>tests/fixtures/orglog</c>: a custom Authorization scheme, templated servers, a relative default.</summary>
public sealed class OrgLogKitTests(ITestOutputHelper output)
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "orglog");

    private static ContractSpec Contract => ContractReader.ParseFile(Path.Combine(Directory, "orglog.events.yaml")).Contract!;

    [Fact]
    public void The_openapi_export_states_the_scheme_the_server_variables_and_the_relative_default()
    {
        using var doc = JsonDocument.Parse(OpenApiTranslator.ToJson(Contract));
        var root = doc.RootElement;
        var ssws = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ssws");
        Assert.Equal("apiKey", ssws.GetProperty("type").GetString());
        Assert.Equal("header", ssws.GetProperty("in").GetString());
        Assert.Equal("Authorization", ssws.GetProperty("name").GetString());
        Assert.Contains("'Authorization: SSWS <token>'", ssws.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("SSWS", ssws.GetProperty("x-authorization-scheme").GetString());

        var servers = root.GetProperty("servers").EnumerateArray().ToList();
        var org = servers.Single(s => s.GetProperty("url").GetString() == "https://{orgDomain}");
        Assert.Equal("example.orglog.test", org.GetProperty("variables").GetProperty("orgDomain").GetProperty("default").GetString());
        var regional = servers.Single(s => s.GetProperty("url").GetString() == "https://{region}.logs.example.com/{tenant}/v1");
        Assert.Equal(new[] { "eu", "us" }, regional.GetProperty("variables").GetProperty("region").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("No default", regional.GetProperty("variables").GetProperty("tenant").GetProperty("description").GetString(), StringComparison.Ordinal);

        var since = root.GetProperty("paths").GetProperty("/api/v1/logs").GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "since");
        Assert.Contains("Default: 7 days before until (or now when until is absent).", since.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(since.GetProperty("schema").TryGetProperty("default", out _));
        Assert.Equal("-P7D", since.GetProperty("x-relative-default").GetProperty("offset").GetString());
        Assert.Equal("until", since.GetProperty("x-relative-default").GetProperty("relativeTo").GetString());
    }

    [Fact]
    public async Task Verify_sends_the_token_under_the_scheme_and_every_check_passes()
    {
        var options = new MockServerOptions { Port = 0, Events = 300, Seed = 7, ContractsDirectory = Directory, HotReload = false };
        var fx = new EventsBindings.MockServer.Xunit.MockServerFixture(options);
        await fx.InitializeAsync();
        try
        {
            var credential = fx.Credential("OrgLog", "ssws").Value;
            var report = await ContractVerifier.RunAsync(Contract, fx.ApiBaseAddress("OrgLog"), credential, new VerifyOptions { Pace = TimeSpan.Zero, Scheme = "ssws" });
            output.WriteLine(report.ToString());
            Assert.True(report.Succeeded, report.ToString());
            Assert.DoesNotContain(credential, report.ToString(), StringComparison.Ordinal);
            using var journal = JsonDocument.Parse(await fx.Http.GetStringAsync(new Uri("__admin/requests?limit=2000", UriKind.Relative)));
            var authorizations = journal.RootElement.GetProperty("requests").EnumerateArray()
                .Select(r => r.GetProperty("headers").TryGetProperty("Authorization", out var a) ? a.GetString() : null)
                .Where(a => a is not null)
                .ToList();
            Assert.NotEmpty(authorizations);
            Assert.All(authorizations, a => Assert.Equal("SSWS ***", a));
        }
        finally
        {
            await fx.DisposeAsync();
        }
    }
}
